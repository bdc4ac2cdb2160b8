/** A real kube-lite on 127.0.0.1:0, a temp data dir, a local node on it, and polling helpers. No mocks. */
import type { ApiServer } from '@kruise-agents/kube-lite';
import { Resources, type KubeClient, type Pod, type ResourceClient } from '@kruise-agents/kube-runtime';
import { startKubeLite, waitFor } from 'test-kit';
import { startLocalNode, type LocalNode, type LocalNodeOptions } from '../src';

export interface Harness {
  api: ApiServer;
  client: KubeClient;
  pods: ResourceClient<Pod>;
  dataDir: string;
  /** The node started with the harness (absent when started with `withNode: false`). */
  node: LocalNode;
  startNode(extra?: Partial<LocalNodeOptions>): Promise<LocalNode>;
  close(): Promise<void>;
}

export const FAST_BACKOFF = { initialMs: 200, maxMs: 1000 };

/**
 * Test files run in parallel, each with its own node: nodes on one machine need disjoint IP ranges, or two pods get the
 * same address and port. Each jest worker of each jest run takes its own /20.
 */
const WORKER = Number(process.env.JEST_WORKER_ID ?? '0');
export const TEST_IP_RANGE = { base: `127.${64 + (process.pid % 63)}.${(WORKER % 16) * 16}.0`, prefix: 20 };

export async function startHarness(options: Partial<LocalNodeOptions> = {}, withNode = true): Promise<Harness> {
  const cluster = await startKubeLite('local-node-test');
  const { api, kube: client, dir: dataDir } = cluster;
  const nodes: LocalNode[] = [];
  const startNode = async (extra: Partial<LocalNodeOptions> = {}) => {
    const node = await startLocalNode({
      kubeconfig: { yaml: api.kubeconfig },
      nodeName: 'test-node',
      dataDir,
      restartBackoff: FAST_BACKOFF,
      shutdownGraceMs: 2000,
      ipRange: TEST_IP_RANGE,
      // LOCAL_NODE_TEST_ISOLATION=none runs the suite as on a machine without bubblewrap.
      isolation: (process.env.LOCAL_NODE_TEST_ISOLATION as LocalNodeOptions['isolation']) ?? 'auto',
      ...options,
      ...extra,
    });
    nodes.push(node);
    return node;
  };
  const h: Harness = {
    api,
    client,
    pods: client.resource(Resources.Pod),
    dataDir,
    node: withNode ? await startNode() : (undefined as unknown as LocalNode),
    startNode,
    async close() {
      await Promise.all(nodes.map((n) => n.close()));
      await cluster.close();
    },
  };
  return h;
}

export function condition(pod: Pod, type: string): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === type)?.status;
}

export async function waitForPod(
  pods: ResourceClient<Pod>,
  name: string,
  what: string,
  test: (pod: Pod) => boolean,
  timeoutMs?: number,
): Promise<Pod> {
  return waitFor(
    `${name}: ${what}`,
    async () => {
      const pod = await pods.get('default', name);
      return test(pod) ? pod : undefined;
    },
    timeoutMs,
  );
}

export const isReady = (pod: Pod) => condition(pod, 'Ready') === 'True';

export function podManifest(
  name: string,
  containers: Array<Record<string, unknown>>,
  spec: Record<string, unknown> = {},
): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: containers as Pod['spec']['containers'], terminationGracePeriodSeconds: 2, ...spec },
  };
}

/**
 * A node one-liner: a tiny HTTP server on the pod IP, port 49983, answering with a per-process random `boot` (pids
 * repeat across bubblewrap PID namespaces), a counter kept in memory, and what it sees of its environment.
 */
const HTTP_SERVER_JS = `
const boot = Math.random().toString(36).slice(2);
let n = 0; setInterval(() => n++, 20);
require('node:http').createServer((q, s) => s.end(JSON.stringify({
  boot, n, name: process.env.POD_NAME, version: process.env.VERSION ?? null, env: process.env.GREETING ?? null, cwd: process.cwd(),
}))).listen(49983, process.env.POD_IP);
process.on('SIGTERM', () => process.exit(0));
`;

/** A command running HTTP_SERVER_JS: the default command of most suites, and of image-map entries. */
export const HTTP_SERVER_COMMAND = [process.execPath, '-e', HTTP_SERVER_JS];

export async function httpGetJson(ip: string, port = 49983): Promise<Record<string, unknown>> {
  const res = await fetch(`http://${ip}:${port}/`, { signal: AbortSignal.timeout(2000) });
  return (await res.json()) as Record<string, unknown>;
}

type State = Record<string, { reason?: string; message?: string; exitCode?: number; startedAt?: string } | undefined>;

/** The first container's status, with the fields kube-runtime's minimal type leaves out (lastState). */
export function containerStatus(pod: Pod):
  | {
      name: string;
      ready: boolean;
      restartCount: number;
      image: string;
      imageID: string;
      state?: State;
      lastState?: State;
    }
  | undefined {
  return pod.status?.containerStatuses?.[0] as ReturnType<typeof containerStatus>;
}
