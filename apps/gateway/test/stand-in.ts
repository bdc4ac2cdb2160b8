/**
 * The test stack: kube-lite in-process, a gateway, and — STAND-IN FOR THE OPERATOR AND THE LOCAL NODE, until their
 * packages export a start function — warm-pool sandboxes written directly: a SandboxSet, and pool Sandboxes built
 * with core's buildPoolSandbox, each marked Running + Ready with status.podInfo.podIP pointing at a real
 * agent-runtime started in this process on its own loopback IP (127.x.y.z, standard ports 49983/49999).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startAgentRuntime, type AgentRuntime } from '@kruise-agents/agent-runtime';
import { buildPoolSandbox } from '@kruise-agents/core';
import type { SandboxObject, SandboxSetObject } from '@kruise-agents/core/client';
import { Informer, Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import type { ApiServer } from '@kruise-agents/kube-lite';
import { sandboxSetManifest, startKubeLite } from 'test-kit';
import { ensureNamespace } from '../src/auth/api-keys';
import { startGateway, type Gateway, type GatewayOptions } from '../src/index';

export const ADMIN_KEY = `e2b_${'a'.repeat(40)}`;

export interface Stack {
  server: ApiServer;
  kube: KubeClient;
  gateway: Gateway;
  /** A key of team (namespace) `team-a`. */
  key: string;
  /** SDK connection options for this gateway and key. */
  sdk: { apiKey: string; apiUrl: string; sandboxUrl: string; domain: string };
  pools: StandInPool[];
  /** Temp dir of the stack: the runtimes' roots go under it. */
  dir: string;
  close(): Promise<void>;
}

export interface StandInPool {
  set: SandboxSetObject;
  runtimes: Map<string, AgentRuntime>;
  /** Adds `count` ready pool sandboxes (with the pool's foreign token unless told otherwise). */
  add(count: number, foreignToken?: string): Promise<SandboxObject[]>;
}

/**
 * A loopback IP of our own, 127.<1-63>.<0-255>.<2-254>, so many runtimes share the standard ports; below the local
 * node's default range (127.64.0.0/10), which other suites on this machine use at the same time.
 */
function loopbackIp(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${(a! % 63) + 1}.${b}.${(c! % 253) + 2}`;
}

/** A runtime on a loopback IP of its own; another IP when something else (another suite) already listens there. */
async function startRuntimeSomewhere(root: string, accessToken: string | undefined) {
  for (let attempt = 0; ; attempt++) {
    const ip = loopbackIp();
    try {
      return { ip, runtime: await startAgentRuntime({ host: ip, root, accessToken }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 10) throw error;
    }
  }
}

export async function startStack(options: Partial<GatewayOptions> = {}): Promise<Stack> {
  const cluster = await startKubeLite('gateway-stand-in');
  const { api: server, kube } = cluster;
  const gateway = await startGateway({
    kubeconfigYaml: server.kubeconfig,
    adminKey: ADMIN_KEY,
    claimTimeoutMs: 3000,
    waitReadyTimeoutMs: 5000,
    ...options,
  });
  const { key } = await gateway.createApiKey('team-a', 'test');
  const pools: StandInPool[] = [];
  const controller = standInSandboxController(kube);
  return {
    server,
    kube,
    gateway,
    key,
    sdk: { apiKey: key, apiUrl: gateway.url, sandboxUrl: gateway.url, domain: 'sandbox.test' },
    pools,
    dir: cluster.dir,
    async close() {
      await controller.stop();
      await gateway.close();
      await Promise.all(pools.flatMap((p) => [...p.runtimes.values()].map((r) => r.close())));
      await cluster.close();
    },
  };
}

/** STAND-IN FOR THE OPERATOR: a SandboxSet and `replicas` Running + Ready pool sandboxes with live runtimes. */
export async function standInPool(
  stack: Stack,
  input: {
    namespace: string;
    name: string;
    replicas: number;
    image?: string;
    cpu?: string;
    memory?: string;
    /** false: no runtimes (fake addresses), for claims that skip the runtime init. */
    runtimes?: boolean;
    /** Runtimes that already hold this access token (someone else's): their /init refuses a new one. */
    foreignToken?: string;
  },
): Promise<StandInPool> {
  await ensureNamespace(stack.kube, input.namespace);
  const sets = stack.kube.resource(Resources.SandboxSet);
  const set = await sets.create(
    sandboxSetManifest({
      namespace: input.namespace,
      name: input.name,
      replicas: input.replicas,
      container: {
        image: input.image,
        resources: { limits: { cpu: input.cpu ?? '1', memory: input.memory ?? '512Mi' } },
      },
    }),
  );
  const runtimes = new Map<string, AgentRuntime>();
  const sandboxes = stack.kube.resource(Resources.Sandbox);
  const pool: StandInPool = {
    set,
    runtimes,
    async add(count, foreignToken = input.foreignToken) {
      return Promise.all(
        Array.from({ length: count }, async () => {
          let ip = loopbackIp();
          let runtime: AgentRuntime | undefined;
          if (input.runtimes !== false) {
            const root = fs.mkdtempSync(path.join(stack.dir, 'sbx-'));
            ({ ip, runtime } = await startRuntimeSomewhere(root, foreignToken));
          }
          const created = await sandboxes.create(buildPoolSandbox(set, { revision: 'r1' }) as SandboxObject);
          if (runtime) runtimes.set(created.metadata.name!, runtime);
          return sandboxes.updateStatus({
            ...created,
            status: {
              observedGeneration: created.metadata.generation,
              phase: 'Running',
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'PodReady',
                  lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
                },
              ],
              podInfo: { podIP: ip },
            },
          });
        }),
      );
    },
  };
  await pool.add(input.replicas);
  stack.pools.push(pool);
  return pool;
}

/**
 * STAND-IN FOR THE OPERATOR'S SANDBOX CONTROLLER: reports every spec change as observed, a paused sandbox as Paused
 * (not Ready, pausedAt set) and an unpaused one as Running + Ready again. The runtime process keeps running: pausing
 * a process is the local node's business, not the gateway's.
 */
function standInSandboxController(kube: KubeClient): { stop(): Promise<void> } {
  const client = kube.resource(Resources.Sandbox);
  const abort = new AbortController();
  const informer = new Informer<SandboxObject>({ client });
  const reconcile = async (sandbox: SandboxObject) => {
    const status = sandbox.status;
    if (!status || status.observedGeneration === sandbox.metadata.generation || sandbox.metadata.deletionTimestamp) {
      return;
    }
    const paused = sandbox.spec.paused === true;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const next: SandboxObject = {
      ...sandbox,
      status: {
        ...status,
        observedGeneration: sandbox.metadata.generation,
        phase: paused ? 'Paused' : 'Running',
        conditions: [
          {
            type: 'Ready',
            status: paused ? 'False' : 'True',
            reason: paused ? 'Paused' : 'PodReady',
            lastTransitionTime: now,
          },
        ],
        ...(paused ? { pausedAt: status.pausedAt ?? now } : { pausedAt: undefined }),
      },
    };
    if (!paused) delete next.status!.pausedAt;
    await client.updateStatus(next).catch(() => undefined); // a conflict: the next event brings the newer copy
  };
  informer.on({ add: (s) => void reconcile(s), update: (_o, s) => void reconcile(s) });
  informer.start(abort.signal);
  return {
    async stop() {
      abort.abort();
      await informer.stopped();
    },
  };
}
