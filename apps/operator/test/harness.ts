/**
 * A real kube-lite (in memory) with the CRDs, a local node in virtual mode (pods Running and Ready, no process), and
 * the operator in-process — the same graph main.ts runs. No mocks. Polling helpers read the API server, not a cache.
 */
import { API_VERSION, type Sandbox, type SandboxClaim, type SandboxSet } from '@kruise-agents/api';
import { Resources, type KubeObject, type Pod, type ResourceClient } from '@kruise-agents/kube-runtime';
import { startLocalNode, type LocalNode } from '@kruise-agents/local-node';
import { sandboxSetManifest, startKubeLite, waitFor, type KubeLite } from 'test-kit';
import { startOperator, type Operator, type StartOperatorOptions } from '../src';

export type SandboxObject = Sandbox & KubeObject;

export interface Harness extends Omit<KubeLite, 'dir' | 'close'> {
  sandboxes: ResourceClient<SandboxObject>;
  sets: ResourceClient<SandboxSet & KubeObject>;
  claims: ResourceClient<SandboxClaim & KubeObject>;
  pods: ResourceClient<Pod>;
  operator: Operator;
  node: LocalNode;
  /** Stops the operator and starts a fresh one on the same API server. */
  restartOperator(options?: Partial<StartOperatorOptions>): Promise<Operator>;
  startOperator(options?: Partial<StartOperatorOptions>): Promise<Operator>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<StartOperatorOptions> = {}): Promise<Harness> {
  const cluster = await startKubeLite('operator-test');
  const { api, kube } = cluster;
  const node = await startLocalNode({
    kubeconfig: { yaml: api.kubeconfig },
    mode: 'virtual',
    nodeName: 'virtual-node',
    dataDir: cluster.dir,
    concurrency: 64,
  });
  const operators: Operator[] = [];
  const start = async (extra: Partial<StartOperatorOptions> = {}) => {
    const op = await startOperator({ kubeconfigYaml: api.kubeconfig, ...options, ...extra });
    operators.push(op);
    return op;
  };
  const h: Harness = {
    api,
    kube,
    kubeconfigPath: cluster.kubeconfigPath,
    sandboxes: kube.resource(Resources.Sandbox),
    sets: kube.resource(Resources.SandboxSet),
    claims: kube.resource(Resources.SandboxClaim),
    pods: kube.resource(Resources.Pod),
    operator: await start(),
    node,
    startOperator: start,
    async restartOperator(extra) {
      await h.operator.close();
      h.operator = await start(extra);
      return h.operator;
    },
    async close() {
      await Promise.all(operators.map((o) => o.close()));
      await node.close();
      await cluster.close();
    },
  };
  return h;
}

export function aSet(
  name: string,
  replicas: number,
  extra: Partial<SandboxSet['spec']> = {},
  image = 'python:3.12',
): SandboxSet & KubeObject {
  return sandboxSetManifest({ name, replicas, container: { image }, labels: { app: name }, spec: extra });
}

export function aClaim(
  name: string,
  templateName: string,
  spec: Partial<SandboxClaim['spec']> = {},
): SandboxClaim & KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxClaim',
    metadata: { name, namespace: 'default' },
    spec: { templateName, ...spec } as SandboxClaim['spec'],
  };
}

export const condition = (
  o: { status?: { conditions?: { type: string; status: string; reason?: string }[] } },
  type: string,
) => o.status?.conditions?.find((c) => c.type === type);

/** Waits until the set reports `available` available replicas (read from the API server). */
export function waitForAvailable(h: Harness, name: string, available: number, timeoutMs = 20_000) {
  return waitFor(
    `${name} to have ${available} available`,
    async () => {
      const set = await h.sets.get('default', name);
      return set.status?.availableReplicas === available && set.status?.replicas === available ? set : undefined;
    },
    timeoutMs,
  );
}

export async function poolMembers(h: Harness, set: string): Promise<SandboxObject[]> {
  const list = await h.sandboxes.list('default', { labelSelector: `agents.kruise.io/sandbox-pool=${set}` });
  return list.items;
}
