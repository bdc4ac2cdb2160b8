/**
 * The warm pools `up` keeps in namespace default: `demo` (the name the user document's examples ask for) and
 * `code-interpreter-v1` (the default template of the code-interpreter SDKs, so `Sandbox.create()` works unchanged).
 * There are no images on one machine: the local node runs its default entry, the project's agent-runtime, for both —
 * it serves envd and the code interpreter — so the image names only tell the two apart.
 */
import { API_VERSION, type SandboxSet } from '@kruise-agents/api';
import { Resources, isAlreadyExists, type KubeClient } from '@kruise-agents/kube-runtime';
import { ENVD_PORT } from '@kruise-agents/local-node';

export const POOL_NAMESPACE = 'default';
export const DEFAULT_POOL_SIZE = 2;

export const DEFAULT_POOLS = [
  { name: 'demo', image: 'kruise-agents/agent-runtime:latest' },
  { name: 'code-interpreter-v1', image: 'kruise-agents/code-interpreter:latest' },
] as const;

export function poolObject(name: string, image: string, replicas: number): SandboxSet {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { namespace: POOL_NAMESPACE, name, labels: { 'app.kubernetes.io/managed-by': 'kruise-agents-up' } },
    spec: {
      replicas,
      updateStrategy: { maxUnavailable: '20%' },
      // Declared because it is so (the local node runs the agent-runtime for every image): a SandboxClaim then gives
      // each sandbox its own access token through the runtime's /init, as an E2B create does.
      runtimes: [{ name: 'agent-runtime' }],
      template: {
        spec: {
          containers: [
            {
              name: 'main',
              image,
              // Ready once envd answers: that is when the SDKs can use the sandbox.
              readinessProbe: { httpGet: { path: '/health', port: ENVD_PORT }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  } satisfies SandboxSet;
}

/**
 * Creates the pools that do not exist. Existing ones are left as the user may have changed them (kubectl edit),
 * except that an explicit --pool-size resizes them.
 */
export async function ensureDefaultPools(kube: KubeClient, poolSize: number | undefined): Promise<string[]> {
  const sets = kube.resource(Resources.SandboxSet);
  const created: string[] = [];
  for (const pool of DEFAULT_POOLS) {
    const existing = await sets.find(POOL_NAMESPACE, pool.name);
    if (existing) {
      if (poolSize !== undefined && existing.spec.replicas !== poolSize) {
        await sets.patch(POOL_NAMESPACE, pool.name, 'merge', { spec: { replicas: poolSize } });
      }
      continue;
    }
    try {
      await sets.create(poolObject(pool.name, pool.image, poolSize ?? DEFAULT_POOL_SIZE) as never);
      created.push(pool.name);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
  return created;
}

export interface PoolStock {
  name: string;
  desired: number;
  available: number;
}

export async function poolStock(kube: KubeClient): Promise<PoolStock[]> {
  const sets = kube.resource(Resources.SandboxSet);
  const out: PoolStock[] = [];
  for (const pool of DEFAULT_POOLS) {
    const set = await sets.find(POOL_NAMESPACE, pool.name);
    out.push({ name: pool.name, desired: set?.spec.replicas ?? 0, available: set?.status?.availableReplicas ?? 0 });
  }
  return out;
}
