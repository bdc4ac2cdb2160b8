/**
 * The whole platform in one process, as `kruise-agents up` runs it: kube-lite, the operator, a local node running
 * every pod as a real agent-runtime process on its own loopback IP, and the gateway. No stand-ins.
 */
import type { SandboxSetObject } from '@kruise-agents/core/client';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import type { ApiServer } from '@kruise-agents/kube-lite';
import { startLocalNode, type LocalNode } from '@kruise-agents/local-node';
import { startOperator, type Operator } from '@kruise-agents/operator';
import { processNodeOptions, sandboxSetManifest, startKubeLite, waitFor } from 'test-kit';
import { ensureNamespace } from '../src/auth/api-keys';
import { startGateway, type Gateway, type GatewayOptions } from '../src/index';
import { ADMIN_KEY } from './stand-in';

export interface Platform {
  server: ApiServer;
  kube: KubeClient;
  operator: Operator;
  /** The node running now: restartNode() replaces it. */
  readonly node: LocalNode;
  gateway: Gateway;
  key: string;
  sdk: { apiKey: string; apiUrl: string; sandboxUrl: string };
  dataDir: string;
  /**
   * As `kruise-agents up` restarting: closes the node, which stops every process, and starts the next one on the same
   * data dir (its state files) and loopback range (the pods keep their IPs), which starts their containers again.
   */
  restartNode(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlatform(options: Partial<GatewayOptions> = {}): Promise<Platform> {
  const cluster = await startKubeLite('gateway-e2e');
  const { api: server, kube, dir: dataDir } = cluster;
  const nodeOptions = processNodeOptions(cluster, 'e2e-node');
  let node = await startLocalNode(nodeOptions);
  const operator = await startOperator({ kubeconfigYaml: server.kubeconfig });
  const gateway = await startGateway({
    kubeconfigYaml: server.kubeconfig,
    adminKey: ADMIN_KEY,
    claimTimeoutMs: 20_000,
    waitReadyTimeoutMs: 20_000,
    ...options,
  });
  const { key } = await gateway.createApiKey('team-a', 'e2e');
  return {
    server,
    kube,
    operator,
    get node() {
      return node;
    },
    gateway,
    key,
    dataDir,
    sdk: { apiKey: key, apiUrl: gateway.url, sandboxUrl: gateway.url },
    async restartNode() {
      await node.close();
      node = await startLocalNode(nodeOptions);
    },
    async close() {
      await gateway.close();
      await operator.close();
      await node.close();
      await cluster.close();
    },
  };
}

/** A SandboxSet whose pods run the agent-runtime (the local node maps any image to it), Ready once envd answers. */
export async function createPool(
  platform: Platform,
  input: { namespace: string; name: string; replicas: number; image?: string },
): Promise<SandboxSetObject> {
  const { image, ...pool } = input;
  await ensureNamespace(platform.kube, pool.namespace);
  return platform.kube.resource(Resources.SandboxSet).create(
    sandboxSetManifest({
      ...pool,
      container: {
        image,
        resources: { limits: { cpu: '1', memory: '1Gi' } },
        readinessProbe: { httpGet: { path: '/health', port: 49983 }, periodSeconds: 1 },
      },
    }),
  );
}

/** Resolves once the pool has `count` available sandboxes. */
export async function waitForStock(
  platform: Platform,
  namespace: string,
  name: string,
  count: number,
  timeoutMs = 30_000,
) {
  const sets = platform.kube.resource(Resources.SandboxSet);
  await waitFor(
    `pool ${namespace}/${name} to have ${count} available`,
    async () => ((await sets.get(namespace, name)).status?.availableReplicas ?? 0) >= count,
    timeoutMs,
  );
}
