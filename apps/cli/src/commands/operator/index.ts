/**
 * `kruise-agents operator`: the Kruise Agents operator (Sandbox, SandboxSet and SandboxClaim controllers) against the
 * cluster of a kubeconfig — a real one, or the embedded API server of `kruise-agents apiserver`.
 */
import { ConfigError, OPERATOR_USAGE, runOperatorMain } from '@kruise-agents/operator';
import { UsageError } from '../../errors';
import type { Command } from '../registry';

export const command: Command = {
  summary: 'Run the operator (Sandbox, SandboxSet, SandboxClaim controllers) against a cluster.',
  usage: `Usage: kruise-agents operator [options]

Runs the controllers that keep warm pools filled, hand sandboxes to SandboxClaims and run each Sandbox's pod, with
Lease leader election, /healthz, /readyz and Prometheus /metrics. Logs are JSON lines on stdout.
Against the embedded API server: kruise-agents operator --kubeconfig .kruise-agents/kubeconfig --leader-elect=false

${OPERATOR_USAGE}`,
  async run(args, signal) {
    try {
      return await runOperatorMain(args, process.env, signal);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
  },
};
