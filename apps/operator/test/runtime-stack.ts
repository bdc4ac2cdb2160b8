/**
 * What the runtime-* tests stand up, end to end: kube-lite, a local node running every pod as a real agent-runtime
 * process, and the operator; the node can be restarted as `kruise-agents up` restarts it. And the little helpers those
 * tests share. Not harness.ts: its node runs processes, not virtual pods.
 */
import { Annotations, type Sandbox, type SandboxClaim } from '@kruise-agents/api';
import {
  Resources,
  type KubeClient,
  type KubeObject,
  type Pod,
  type ResourceClient,
} from '@kruise-agents/kube-runtime';
import { ENVD_PORT, startLocalNode, type LocalNode } from '@kruise-agents/local-node';
import { processNodeOptions, startKubeLite, waitFor as pollFor, type KubeLite } from 'test-kit';
import { startOperator, type Operator } from '../src';

export type SandboxObject = Sandbox & KubeObject;

export interface RuntimeStack {
  cluster: KubeLite;
  kube: KubeClient;
  /** The node running now: restartNode() replaces it. */
  readonly node: LocalNode;
  operator: Operator;
  sandboxes: ResourceClient<SandboxObject>;
  claims: ResourceClient<SandboxClaim & KubeObject>;
  pods: ResourceClient<Pod>;
  /**
   * Closes the node, which stops every process, and starts the next one on the same data dir (its state files) and
   * loopback range (the pods keep their IPs), which starts their containers again.
   */
  restartNode(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the stack; `name` names kube-lite's temp dir (`operator-<name>`) and the node (`<name>-node`). */
export async function startRuntimeStack(name: string): Promise<RuntimeStack> {
  const cluster = await startKubeLite(`operator-${name}`);
  const nodeOptions = processNodeOptions(cluster, `${name}-node`);
  let node: LocalNode | undefined;
  let operator: Operator | undefined;
  const close = async () => {
    await operator?.close();
    await node?.close();
    await cluster.close();
  };
  try {
    node = await startLocalNode(nodeOptions);
    operator = await startOperator({ kubeconfigYaml: cluster.api.kubeconfig });
  } catch (error) {
    await close();
    throw error;
  }
  const { kube } = cluster;
  return {
    cluster,
    kube,
    get node() {
      return node!;
    },
    operator,
    sandboxes: kube.resource(Resources.Sandbox),
    claims: kube.resource(Resources.SandboxClaim),
    pods: kube.resource(Resources.Pod),
    async restartNode() {
      await node!.close();
      node = await startLocalNode(nodeOptions);
    },
    close,
  };
}

/** test-kit's waitFor with 30 s by default: pods here are real processes, and each claim inits their runtimes. */
export const waitFor: typeof pollFor = (what, check, timeoutMs = 30_000) => pollFor(what, check, timeoutMs);

export const condition = (s: SandboxObject, type: string) => s.status?.conditions?.find((c) => c.type === type);
/** The runtime access token the claim gave the sandbox ('' for none). */
export const tokenOf = (s: SandboxObject) => s.metadata.annotations?.[Annotations.RuntimeAccessToken] ?? '';

/** GET on the sandbox's runtime, with `token` as X-Access-Token when given. */
export async function runtimeGet(s: SandboxObject, pathAndQuery: string, token?: string) {
  const res = await fetch(`http://${s.status!.podInfo!.podIP}:${ENVD_PORT}${pathAndQuery}`, {
    headers: token === undefined ? {} : { 'x-access-token': token },
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, text: await res.text() };
}
