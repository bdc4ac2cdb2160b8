/**
 * `kruise-agents gateway`: the E2B-compatible API and sandbox proxy on one port, for an existing cluster (or the
 * embedded API server). `kruise-agents gateway create-key --team <namespace>` adds an API key and prints it once.
 */
import {
  GATEWAY_USAGE,
  GatewayConfigError,
  addApiKey,
  gatewayOptionsFrom,
  parseGatewayArgs,
  startGateway,
} from '@kruise-agents/gateway';
import { UsageError } from '../../errors';
import type { Command } from '../registry';

async function createKey(args: string[]): Promise<number> {
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const team = value('--team');
  if (!team) throw new UsageError('create-key needs --team <namespace>');
  const kubeconfigPath = value('--kubeconfig') ?? process.env.KUBECONFIG;
  const created = await addApiKey({
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    systemNamespace: value('--system-namespace'),
    team,
    name: value('--name'),
  });
  console.log(`API key ${created.id} for team ${team} (stored hashed; shown once):\n${created.key}`);
  return 0;
}

export const command: Command = {
  summary: 'Run the E2B-compatible gateway (control-plane API + sandbox proxy) on one port.',
  usage: `Usage: kruise-agents gateway [options]
       kruise-agents gateway create-key --team <namespace> [--name <n>] [--kubeconfig <file>] [--system-namespace <ns>]

Serves the E2B REST API (Sandbox.create/list/connect/pause/kill/...) and proxies the SDKs' sandbox traffic to the
sandboxes' runtimes, both on one port. Point the SDKs at it with E2B_API_URL=E2B_SANDBOX_URL=http://<host>:<port>
and E2B_API_KEY=<a key from create-key, or the admin key>.

${GATEWAY_USAGE}`,
  async run(args, signal) {
    if (args[0] === 'create-key') return createKey(args.slice(1));
    let config;
    try {
      config = parseGatewayArgs(args, process.env);
    } catch (error) {
      if (error instanceof GatewayConfigError) throw new UsageError((error as Error).message);
      throw error;
    }
    const gateway = await startGateway(gatewayOptionsFrom(config));
    console.log(`E2B gateway: ${gateway.url} (E2B_API_URL and E2B_SANDBOX_URL)`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await gateway.close();
    return 0;
  },
};
