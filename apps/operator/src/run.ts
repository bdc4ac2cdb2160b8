/**
 * The operator as a program: config from flags and env (parsed once), a JSON pino logger, startOperator, and a
 * graceful stop when `signal` aborts (SIGTERM/SIGINT in main). Shared by main.ts and `kruise-agents operator`.
 */
import os from 'node:os';
import { pino } from 'pino';
import { parseConfig } from './config';
import { startOperator } from './create-operator';

export async function runOperatorMain(
  args: readonly string[],
  env: Record<string, string | undefined>,
  signal: AbortSignal,
): Promise<number> {
  const config = parseConfig(args, env);
  const log = pino({ level: config.logLevel, base: { component: 'operator' } });
  const operator = await startOperator({
    kubeconfigPath: config.kubeconfig,
    namespace: config.namespace,
    logger: log,
    health: { host: config.healthHost, port: config.healthPort },
    leaderElection: config.leaderElect
      ? {
          namespace: config.leaderElectionNamespace,
          name: config.leaderElectionId,
          identity: config.identity ?? `${os.hostname()}-${process.pid}`,
        }
      : undefined,
    workers: {
      sandbox: config.sandboxWorkers,
      sandboxSet: config.sandboxSetWorkers,
      sandboxClaim: config.sandboxClaimWorkers,
    },
    disableClaimEvents: config.disableClaimEvents,
    defaultMetrics: true,
  });
  log.info({ health: operator.healthUrl }, 'operator started');
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log.info('shutting down');
  await operator.close();
  log.info('stopped');
  return 0;
}
