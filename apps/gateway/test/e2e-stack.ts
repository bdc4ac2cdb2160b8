/**
 * The whole platform in one process, as `kruise-agents up` runs it: kube-lite, the operator, a local node running
 * every pod as a real agent-runtime process on its own loopback IP, and the gateway. No stand-ins.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_VERSION, buildAllCustomResourceDefinitions, type SandboxSet } from '@kruise-agents/api';
import type { SandboxSetObject } from '@kruise-agents/core/client';
import { KubeClient, Resources } from '@kruise-agents/kube-runtime';
import { startApiServer, type ApiServer } from '@kruise-agents/kube-lite';
import { startLocalNode, type LocalNode } from '@kruise-agents/local-node';
import { startOperator, type Operator } from '@kruise-agents/operator';
import { ensureNamespace } from '../src/auth/api-keys';
import { startGateway, type Gateway, type GatewayOptions } from '../src/index';
import { ADMIN_KEY } from './stand-in';

export interface Platform {
  server: ApiServer;
  kube: KubeClient;
  operator: Operator;
  node: LocalNode;
  gateway: Gateway;
  key: string;
  sdk: { apiKey: string; apiUrl: string; sandboxUrl: string };
  dataDir: string;
  close(): Promise<void>;
}

export async function startPlatform(options: Partial<GatewayOptions> = {}): Promise<Platform> {
  const server = await startApiServer({ crds: buildAllCustomResourceDefinitions() });
  const kube = KubeClient.fromSource({ kubeconfigYaml: server.kubeconfig });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-e2e-'));
  const node = await startLocalNode({
    kubeconfig: { yaml: server.kubeconfig },
    mode: 'process',
    nodeName: 'e2e-node',
    // Our own /20 outside the default 127.64.0.0/10: other suites on this machine run local nodes (and runtimes on
    // the same ports) at the same time, and must not answer for our pods.
    ipRange: {
      base: `127.${128 + Math.floor(Math.random() * 127)}.${Math.floor(Math.random() * 16) * 16}.0`,
      prefix: 20,
    },
    dataDir,
    concurrency: 16,
    restartBackoff: { initialMs: 200, maxMs: 1000 },
    shutdownGraceMs: 1000,
  });
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
    node,
    gateway,
    key,
    dataDir,
    sdk: { apiKey: key, apiUrl: gateway.url, sandboxUrl: gateway.url },
    async close() {
      await gateway.close();
      await operator.close();
      await node.close();
      kube.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A SandboxSet whose pods run the agent-runtime (the local node maps any image to it), Ready once envd answers. */
export async function createPool(
  platform: Platform,
  input: { namespace: string; name: string; replicas: number; image?: string },
): Promise<SandboxSetObject> {
  await ensureNamespace(platform.kube, input.namespace);
  return (await platform.kube.resource(Resources.SandboxSet).create({
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { namespace: input.namespace, name: input.name },
    spec: {
      replicas: input.replicas,
      updateStrategy: { maxUnavailable: '20%' },
      template: {
        spec: {
          containers: [
            {
              name: 'main',
              image: input.image ?? 'demo:1',
              resources: { limits: { cpu: '1', memory: '1Gi' } },
              readinessProbe: { httpGet: { path: '/health', port: 49983 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  } satisfies SandboxSet as SandboxSetObject)) as SandboxSetObject;
}

/** Resolves once the pool has `count` available sandboxes. */
export async function waitForStock(
  platform: Platform,
  namespace: string,
  name: string,
  count: number,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const set = await platform.kube.resource(Resources.SandboxSet).get(namespace, name);
    if ((set.status?.availableReplicas ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`pool ${namespace}/${name}: ${JSON.stringify(set.status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
