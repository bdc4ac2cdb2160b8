/**
 * The operator's configuration: flags first, then environment variables, parsed once by zod in main and passed down.
 * Nothing below main reads process.env.
 */
import { z } from 'zod';

export const OperatorConfigSchema = z.object({
  /** A kubeconfig file; in-cluster or ~/.kube/config when omitted. */
  kubeconfig: z.string().optional(),
  /** Watch one namespace; every namespace when omitted. */
  namespace: z.string().optional(),
  /** /healthz, /readyz and /metrics listen here; 0 picks a free port. */
  healthPort: z.coerce.number().int().min(0).max(65535).default(8080),
  healthHost: z.string().default('0.0.0.0'),
  leaderElect: z.stringbool().default(true),
  leaderElectionNamespace: z.string().default('kruise-agents-system'),
  leaderElectionId: z.string().default('kruise-agents-operator'),
  /** This replica's identity in the Lease; the pod name in a cluster. */
  identity: z.string().optional(),
  sandboxWorkers: z.coerce.number().int().min(1).default(64),
  sandboxSetWorkers: z.coerce.number().int().min(1).default(3),
  sandboxClaimWorkers: z.coerce.number().int().min(1).default(64),
  /** No Events from the SandboxClaim controller (the reference's flag of the same name). */
  disableClaimEvents: z.stringbool().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type OperatorConfig = z.infer<typeof OperatorConfigSchema>;

/** `--health-port 8081` or `--health-port=8081` ↔ healthPort; env KRUISE_AGENTS_HEALTH_PORT. */
const FLAGS: Record<string, keyof OperatorConfig> = Object.fromEntries(
  Object.keys(OperatorConfigSchema.shape).map((key) => [key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), key]),
) as Record<string, keyof OperatorConfig>;

export const OPERATOR_USAGE = `Options (each also as an environment variable KRUISE_AGENTS_<NAME>, e.g. KRUISE_AGENTS_HEALTH_PORT):
  --kubeconfig <path>                 the cluster (default: in-cluster, else KUBECONFIG / ~/.kube/config)
  --namespace <ns>                    watch one namespace (default: all)
  --health-port <port>                /healthz, /readyz, /metrics (default 8080)
  --health-host <addr>                (default 0.0.0.0)
  --leader-elect <bool>               Lease leader election (default true)
  --leader-election-namespace <ns>    (default kruise-agents-system)
  --leader-election-id <name>         the Lease's name (default kruise-agents-operator)
  --identity <id>                     this replica's Lease identity (default: hostname + random)
  --sandbox-workers <n>               (default 64)
  --sandbox-set-workers <n>           (default 3)
  --sandbox-claim-workers <n>         (default 64)
  --disable-claim-events <bool>       no Events from the SandboxClaim controller (default false)
  --log-level <level>                 fatal|error|warn|info|debug|trace|silent (default info)`;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseConfig(args: readonly string[], env: Record<string, string | undefined>): OperatorConfig {
  const raw: Record<string, string> = {};
  for (const [flag, key] of Object.entries(FLAGS)) {
    const value = env[`KRUISE_AGENTS_${flag.replace(/-/g, '_').toUpperCase()}`];
    if (value !== undefined) raw[key] = value;
  }
  if (env.KUBECONFIG && raw.kubeconfig === undefined && !env.KUBECONFIG.includes(':')) raw.kubeconfig = env.KUBECONFIG;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = match && FLAGS[match[1]!];
    if (!match || !key) throw new ConfigError(`unknown option ${arg}\n\n${OPERATOR_USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new ConfigError(`option ${arg} needs a value`);
    raw[key] = value;
  }
  const result = OperatorConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`,
    );
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
