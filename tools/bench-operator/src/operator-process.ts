/**
 * The operator in its own process, so its memory is its own: started by the benchmark with a kubeconfig path, it
 * prints its /metrics URL on stdout and stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { startOperator } from '@kruise-agents/operator';

const operator = await startOperator({
  kubeconfigYaml: readFileSync(process.argv[2]!, 'utf8'),
  health: { port: 0 },
  defaultMetrics: true,
  workers: { sandbox: 64, sandboxSet: 3, sandboxClaim: 64 },
});
process.stdout.write(`${operator.healthUrl}\n`);
process.once('SIGTERM', () => {
  void operator.close().then(() => process.exit(0));
});
