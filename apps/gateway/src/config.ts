/**
 * The gateway process's settings, parsed once (zod) from `--flag value` arguments over KRUISE_GATEWAY_* environment
 * variables. Pure: main.ts and the CLI pass argv and env in.
 */
import { z } from 'zod';
import type { GatewayOptions } from './create-gateway';

const FLAGS = {
  '--kubeconfig': { env: 'KUBECONFIG', key: 'kubeconfigPath' },
  '--host': { env: 'KRUISE_GATEWAY_HOST', key: 'host' },
  '--port': { env: 'KRUISE_GATEWAY_PORT', key: 'port' },
  '--domain': { env: 'E2B_DOMAIN', key: 'domain' },
  '--admin-key': { env: 'KRUISE_GATEWAY_ADMIN_KEY', key: 'adminKey' },
  '--system-namespace': { env: 'KRUISE_GATEWAY_SYSTEM_NAMESPACE', key: 'systemNamespace' },
  '--namespace': { env: 'KRUISE_GATEWAY_NAMESPACE', key: 'namespace' },
  '--claim-timeout': { env: 'KRUISE_GATEWAY_CLAIM_TIMEOUT_SECONDS', key: 'claimTimeoutSeconds' },
  '--create-on-no-stock': { env: 'KRUISE_GATEWAY_CREATE_ON_NO_STOCK', key: 'createOnNoStock' },
  '--max-body-bytes': { env: 'KRUISE_GATEWAY_MAX_BODY_BYTES', key: 'maxBodyBytes' },
  '--log-level': { env: 'KRUISE_GATEWAY_LOG_LEVEL', key: 'logLevel' },
} as const;

const GatewayCliSchema = z.object({
  kubeconfigPath: z.string().optional(),
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  domain: z.string().optional(),
  adminKey: z
    .string()
    .regex(/^e2b_[0-9a-f]+$/, 'must match ^e2b_[0-9a-f]+$ (the E2B SDKs check it)')
    .optional(),
  systemNamespace: z.string().optional(),
  namespace: z.string().optional(),
  claimTimeoutSeconds: z.coerce.number().positive().default(60),
  createOnNoStock: z.enum(['true', 'false']).default('false'),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type GatewayCliConfig = z.infer<typeof GatewayCliSchema>;

export const GATEWAY_USAGE = `Options (each also read from the environment variable in brackets):
  --kubeconfig <file>          cluster to serve [KUBECONFIG] (default: the usual kubeconfig / in-cluster)
  --host <addr>                listen address [KRUISE_GATEWAY_HOST] (default 0.0.0.0)
  --port <n>                   one port for the API and the sandbox proxy [KRUISE_GATEWAY_PORT] (default 8080)
  --domain <d>                 sandbox domain returned to SDKs [E2B_DOMAIN] (default none)
  --admin-key <e2b_hex>        the admin API key [KRUISE_GATEWAY_ADMIN_KEY]
  --system-namespace <ns>      namespace of the API-key Secret [KRUISE_GATEWAY_SYSTEM_NAMESPACE]
  --namespace <ns>             serve one namespace only [KRUISE_GATEWAY_NAMESPACE]
  --claim-timeout <s>          wait this long for an empty pool [KRUISE_GATEWAY_CLAIM_TIMEOUT_SECONDS] (default 60)
  --create-on-no-stock <bool>  create at once when a pool is empty [KRUISE_GATEWAY_CREATE_ON_NO_STOCK] (default false)
  --max-body-bytes <n>         largest JSON body [KRUISE_GATEWAY_MAX_BODY_BYTES] (default 1048576)
  --log-level <level>          [KRUISE_GATEWAY_LOG_LEVEL] (default info)`;

export class GatewayConfigError extends Error {}

export function parseGatewayArgs(args: readonly string[], env: Record<string, string | undefined>): GatewayCliConfig {
  const raw: Record<string, string> = {};
  for (const spec of Object.values(FLAGS)) {
    const value = env[spec.env];
    if (value) raw[spec.key] = value;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = (eq > 0 ? arg.slice(0, eq) : arg) as keyof typeof FLAGS;
    const spec = FLAGS[flag];
    if (!spec) throw new GatewayConfigError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new GatewayConfigError(`${flag} needs a value`);
    raw[spec.key] = value;
  }
  const parsed = GatewayCliSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GatewayConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** The start options a parsed configuration stands for (the process's main and the CLI command share this). */
export function gatewayOptionsFrom(config: GatewayCliConfig): GatewayOptions {
  return {
    ...(config.kubeconfigPath ? { kubeconfigPath: config.kubeconfigPath } : {}),
    host: config.host,
    port: config.port,
    domain: config.domain ?? null,
    adminKey: config.adminKey,
    systemNamespace: config.systemNamespace,
    namespace: config.namespace,
    claimTimeoutMs: config.claimTimeoutSeconds * 1000,
    createOnNoStock: config.createOnNoStock === 'true',
    maxBodyBytes: config.maxBodyBytes,
    logger: config.logLevel,
    defaultMetrics: true,
  };
}
