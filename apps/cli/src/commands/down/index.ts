/** `kruise-agents down`: stops the `up` running on a data dir (SIGTERM, the same clean stop as Ctrl-C) and waits. */
import { UsageError } from '../../errors';
import { isAlive, runningPid } from '../../platform/pid-file';
import { parseDataDirArg } from '../up/args';
import type { Command } from '../registry';

/** up stops its sandboxes with a grace period each; this is well beyond it. */
const WAIT_MS = 60_000;

export const command: Command = {
  summary: 'Stop the platform that `kruise-agents up` started.',
  usage: `Usage: kruise-agents down [--data-dir <dir>]

Stops the \`kruise-agents up\` running on the data dir (default ~/.kruise-agents, or KRUISE_AGENTS_DATA_DIR) and its
sandboxes, and waits until it has exited. Everything stays in the data dir: \`up\` brings it back.`,
  async run(args) {
    const dataDir = parseDataDirArg(args);
    const pid = runningPid(dataDir);
    if (!pid) {
      console.log(`nothing to stop: kruise-agents up is not running on ${dataDir}`);
      return 0;
    }
    console.log(`stopping kruise-agents up (pid ${pid}) on ${dataDir}…`);
    const began = Date.now();
    process.kill(pid, 'SIGTERM');
    while (isAlive(pid)) {
      if (Date.now() - began > WAIT_MS) {
        throw new UsageError(`pid ${pid} is still running after ${WAIT_MS / 1000} s (kill -9 ${pid} forces it)`, 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`stopped in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return 0;
  },
};
