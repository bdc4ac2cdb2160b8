/**
 * The benchmark's cluster, each part in its own process as in a deployment: kube-lite, the gateway replicas, and a
 * host of real agent-runtimes on their own loopback IPs; warm pools are written directly — pool Sandboxes Running +
 * Ready whose pod IPs point at those runtimes (no operator: nothing else writes while we time). The SDK clients and
 * the floor's calls run in the benchmark process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { API_VERSION, type SandboxSet } from '@kruise-agents/api';
import { buildPoolSandbox } from '@kruise-agents/core';
import type { KubeClient } from '@kruise-agents/kube-runtime';
import { Resources, type KubeObject } from '@kruise-agents/kube-runtime';

type SetObject = SandboxSet & KubeObject;

export const ADMIN_KEY = `e2b_${randomBytes(20).toString('hex')}`;

const usedIps = new Set<string>();

/** A loopback IP not handed out before in this run. */
export function loopbackIp(): string {
  for (;;) {
    const ip = randomLoopbackIp();
    if (!usedIps.has(ip)) {
      usedIps.add(ip);
      return ip;
    }
  }
}

function randomLoopbackIp(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${(a! % 63) + 1}.${b}.${(c! % 253) + 2}`; // below the local nodes' default 127.64.0.0/10
}

export async function ensureNamespace(kube: KubeClient, name: string): Promise<void> {
  const namespaces = kube.resource(Resources.Namespace);
  if (!(await namespaces.find(undefined, name))) {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

export async function createSet(kube: KubeClient, namespace: string, name: string): Promise<SetObject> {
  await ensureNamespace(kube, namespace);
  return (await kube.resource(Resources.SandboxSet).create({
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { namespace, name },
    spec: {
      replicas: 0,
      updateStrategy: { maxUnavailable: '20%' },
      template: { spec: { containers: [{ name: 'main', image: 'bench:1' }] } },
    },
  } satisfies SandboxSet as SetObject)) as SetObject;
}

/**
 * `count` ready pool sandboxes of `set`, `parallel` writes at a time. With `runtimes`, each gets a live agent-runtime;
 * without, a fake pod IP (for claims that skip the runtime init).
 */
export async function addPool(
  kube: KubeClient,
  set: SetObject,
  count: number,
  options: { runtimes?: RuntimeHost; parallel?: number } = {},
): Promise<void> {
  const sandboxes = kube.resource(Resources.Sandbox);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const ip = options.runtimes ? await options.runtimes.start() : loopbackIp();
      const created = await sandboxes.create(buildPoolSandbox(set, { revision: 'r1' }) as never);
      await sandboxes.updateStatus({
        ...created,
        status: {
          observedGeneration: created.metadata.generation,
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: 'True', reason: 'PodReady', lastTransitionTime: '2026-01-01T00:00:00Z' },
          ],
          podInfo: { podIP: ip },
        },
      } as never);
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 16 }, worker));
}

const children = new Set<ChildProcess>();
// However the benchmark ends, its children end with it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A TypeScript entry of this repository in its own node process (tsx, source conditions). */
export function spawnTs(entry: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      // BENCH_PROF=<dir>: a V8 CPU profile of every child, named for its entry (open in Chrome DevTools).
      ...(process.env.BENCH_PROF
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env.BENCH_PROF}`,
            `--cpu-prof-name=${path.basename(entry, '.ts')}-\${pid}.cpuprofile`,
          ]
        : []),
      '--conditions=@kruise-agents/source',
      '--import',
      'tsx',
      entry,
      ...args,
    ],
    { stdio: [stdin, 'pipe', 'inherit'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the first stdout match of `pattern`; rejects if the child exits first. */
export function awaitOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      const match = pattern.exec(log);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}): ${log}`)));
  });
}

export const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** kube-lite in its own process; resolves with the kubeconfig path. */
export async function startApiServerProcess(
  dir: string,
): Promise<{ kubeconfig: string; pid: number; stop(): Promise<void> }> {
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawnTs(path.join(import.meta.dirname, 'apiserver-process.ts'), [kubeconfig]);
  await awaitOutput(child, /ready/);
  return { kubeconfig, pid: child.pid!, stop: () => stopChild(child) };
}

/** A process holding many agent-runtimes, each on its own loopback IP. */
export class RuntimeHost {
  private readonly child = spawnTs(path.join(import.meta.dirname, 'runtime-host.ts'), [], 'pipe');
  private readonly waiting = new Map<string, (ok: boolean) => void>();
  private buffer = '';

  constructor(private readonly root: string) {
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      let at: number;
      while ((at = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 1);
        const [status, ip] = line.split(' ');
        this.waiting.get(ip ?? '')?.(status === 'ok');
      }
    });
  }

  /** Starts a runtime on a fresh loopback IP (another, when something else already listens there); its IP. */
  async start(): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ip = loopbackIp();
      const root = fs.mkdtempSync(path.join(this.root, 'sbx-'));
      const ok = await new Promise<boolean>((resolve) => {
        this.waiting.set(ip, resolve);
        this.child.stdin!.write(`${ip} ${root}\n`);
      });
      this.waiting.delete(ip);
      if (ok) return ip;
    }
    throw new Error('no free loopback address for a runtime after 10 tries');
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

export interface GatewayProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** One gateway replica in its own process, from source (tsx), as `kruise-agents gateway` runs it. */
export async function startGatewayProcess(kubeconfigPath: string): Promise<GatewayProcess> {
  const main = path.resolve(import.meta.dirname, '../../../apps/gateway/src/main.ts');
  const child = spawnTs(main, [
    '--kubeconfig',
    kubeconfigPath,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--admin-key',
    ADMIN_KEY,
    '--log-level',
    'info',
    '--claim-timeout',
    '30',
  ]);
  const match = await awaitOutput(child, /"url":"(http:\/\/[^"]+)"/);
  return { url: match[1]!, pid: child.pid!, stop: () => stopChild(child) };
}
