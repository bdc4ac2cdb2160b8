/**
 * `kruise-agents runtime`: the in-sandbox daemon (envd + code interpreter) as a plain local process, on the standard
 * ports, so that the E2B SDKs in debug mode (E2B_DEBUG=true → localhost:49983/49999) work against it.
 */
import fs from 'node:fs';
import { ConfigError, USAGE, parseArgs, startAgentRuntime } from '@kruise-agents/agent-runtime';
import { UsageError } from '../../errors';
import type { Command } from '../registry';

export const command: Command = {
  summary: 'Run the sandbox runtime (envd + code interpreter) locally on ports 49983/49999.',
  usage: `Usage: kruise-agents runtime [options]

Serves the envd API and the code interpreter that the E2B SDKs talk to, as a local process. With --root, sandbox
paths (/home/user/...) live under that directory instead of the machine's /; commands still run on this machine.
Point the SDKs at it with E2B_DEBUG=true (or E2B_SANDBOX_URL=<envd url>).

${USAGE}`,
  async run(args, signal) {
    let options;
    try {
      options = parseArgs(args, process.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    if (options.root) fs.mkdirSync(options.root, { recursive: true });
    const runtime = await startAgentRuntime({ ...options, log: (line) => console.error(line) }).catch(
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(
            `${(error as Error).message}: is another runtime running? (choose ports with --envd-port)`,
            1,
          );
        }
        throw error;
      },
    );
    console.log(`envd:             ${runtime.envdUrl} (envd ${runtime.envdVersion})`);
    if (runtime.interpreterUrl) console.log(`code interpreter: ${runtime.interpreterUrl}`);
    console.log('SDK:              E2B_DEBUG=true (standard ports) or E2B_SANDBOX_URL=' + runtime.envdUrl);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await runtime.close();
    return 0;
  },
};
