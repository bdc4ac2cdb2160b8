/**
 * `kruise-agents up`: the whole platform on this machine, as one supervised process tree. The parts run in this
 * process (see platform/start-platform.ts) and the sandboxes are its child processes. Ctrl-C / SIGTERM (or
 * `kruise-agents down`) stops them in order; a part that fails is named and stops the rest, with exit code 1.
 */
import { UsageError } from '../../errors';
import { formatEnv } from '../../platform/env-file';
import { PlatformError, describeCause } from '../../platform/errors';
import { removePidFile, runningPid, writePidFile } from '../../platform/pid-file';
import { prepareDataDir } from '../../platform/preflight';
import { progressPrinter, waitForPools } from '../../platform/progress';
import { startPlatform, type Platform } from '../../platform/start-platform';
import type { Command } from '../registry';
import { parseUpArgs } from './args';

const print = (line: string) => console.log(line);

function nextSignal(signal: AbortSignal): Promise<'signal'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('signal');
    else signal.addEventListener('abort', () => resolve('signal'), { once: true });
  });
}

function printReady(platform: Platform): void {
  const env = formatEnv(platform.env)
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  print(`
The E2B SDKs read these (kept in ${platform.envFile}, mode 0600 — the only copy of the API key):

${env}

In another shell:

  set -a; source ${platform.envFile}; set +a
  export KUBECONFIG=${platform.kubeconfigPath}
  python3 -c 'from e2b_code_interpreter import Sandbox; print(Sandbox.create(template="demo").get_info())'
  kubectl get sbs,sbx,sbc

Stop with Ctrl-C or \`npx kruise-agents down\`.`);
}

export const command: Command = {
  summary: 'Start the whole platform locally (API server, local node, operator, E2B gateway).',
  usage: `Usage: kruise-agents up [options]

Starts, in this process: an embedded Kubernetes-compatible API server (durable in the data dir) with the project's
CRDs, a local node that runs sandboxes as processes, the operator and the E2B gateway. Creates the SandboxSets
"demo" and "code-interpreter-v1" in namespace default, writes <data-dir>/kubeconfig and <data-dir>/e2b.env, and
runs until Ctrl-C or \`kruise-agents down\`. Starting again with the same data dir brings back every sandbox, claim
and API key.

Options:
  --data-dir <dir>    where state lives [KRUISE_AGENTS_DATA_DIR] (default ~/.kruise-agents)
  --port <n>          the gateway's port: E2B API and sandbox traffic (default 3000)
  --api-port <n>      the Kubernetes API server's port (default 6443)
  --pool-size <n>     sandboxes kept ready in each pool (default 2 for new pools; given, it resizes existing ones)
  --verbose           print the parts' own logs`,
  async run(args, signal) {
    const options = parseUpArgs(args);
    const other = runningPid(options.dataDir);
    if (other) {
      throw new UsageError(
        `kruise-agents up is already running on ${options.dataDir} (pid ${other}): \`kruise-agents down\` stops it`,
        1,
      );
    }
    print(`kruise-agents up — data dir ${options.dataDir}`);
    // Claimed before anything starts, so that a second `up` on this data dir is refused even while this one starts.
    try {
      prepareDataDir(options.dataDir);
    } catch (error) {
      if (error instanceof PlatformError) throw new UsageError(error.message, 1);
      throw error;
    }
    writePidFile(options.dataDir);
    let crashed: ((error: PlatformError) => void) | undefined;
    const crash = new Promise<PlatformError>((resolve) => (crashed = resolve));
    // A part's bug surfaces here rather than as a half-dead process: report it and stop everything.
    const onCrash = (error: unknown) =>
      crashed?.(new PlatformError('platform', `a part crashed: ${describeCause(error)}`));
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    let platform: Platform;
    try {
      platform = await startPlatform({
        dataDir: options.dataDir,
        gatewayPort: options.port,
        apiPort: options.apiPort,
        poolSize: options.poolSize,
        onProgress: progressPrinter(print),
        ...(options.verbose ? { log: (part, line) => console.error(`[${part}] ${line}`) } : {}),
      });
    } catch (error) {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      removePidFile(options.dataDir);
      if (error instanceof PlatformError) throw new UsageError(error.message, 1);
      throw error;
    }
    printReady(platform);
    // Stops following the pools when up stops, whatever the reason (a signal, a failed part).
    const following = new AbortController();
    if (!signal.aborted) {
      print('');
      waitForPools(platform.kube, print, { signal: following.signal }).catch((error: unknown) => {
        if (following.signal.aborted) return;
        console.error(`kruise-agents: ${describeCause(error)} (pools) — still serving; see \`kruise-agents status\``);
      });
    }

    const outcome = await Promise.race([nextSignal(signal), platform.failure, crash]);
    const failed = outcome instanceof PlatformError ? outcome : undefined;
    if (failed) console.error(`kruise-agents: ${failed.message}; stopping everything`);
    else print('\nstopping: gateway, operator, local node (its sandboxes), api server…');
    following.abort();
    await platform.close();
    removePidFile(platform.dataDir);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    print(failed ? 'stopped' : 'stopped; `kruise-agents up` with the same data dir brings everything back');
    return failed ? 1 : 0;
  },
};
