/**
 * A real kube-lite (in memory) with the CRDs, a local node in virtual mode (pods Running and Ready, no process), and
 * the operator in-process — the same graph main.ts runs. No mocks. Polling helpers read the API server, not a cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  API_VERSION,
  buildAllCustomResourceDefinitions,
  type Sandbox,
  type SandboxClaim,
  type SandboxSet,
} from '@kruise-agents/api';
import { startApiServer, type ApiServer } from '@kruise-agents/kube-lite';
import { KubeClient, Resources, type KubeObject, type Pod, type ResourceClient } from '@kruise-agents/kube-runtime';
import { startLocalNode, type LocalNode } from '@kruise-agents/local-node';
import { startOperator, type Operator, type StartOperatorOptions } from '../src';

export type SandboxObject = Sandbox & KubeObject;

export interface Harness {
  api: ApiServer;
  kube: KubeClient;
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
  const api = await startApiServer({ crds: buildAllCustomResourceDefinitions() });
  const kube = KubeClient.fromSource({ kubeconfigYaml: api.kubeconfig });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'operator-test-'));
  const node = await startLocalNode({
    kubeconfig: { yaml: api.kubeconfig },
    mode: 'virtual',
    nodeName: 'virtual-node',
    dataDir,
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
      kube.close();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Polls until `check` returns a value (not undefined/false); fails with the last value seen. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function aSet(
  name: string,
  replicas: number,
  extra: Partial<SandboxSet['spec']> = {},
  image = 'python:3.12',
): SandboxSet & KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      updateStrategy: { maxUnavailable: '20%' },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image }] },
      },
      ...extra,
    },
  };
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
