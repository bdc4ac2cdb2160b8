/**
 * The benchmark's cluster: kube-lite in this process, gateways as child processes (each its own event loop, as
 * replicas are), and warm pools written directly — pool Sandboxes Running + Ready whose pod IPs point at real
 * agent-runtimes started in this process on their own loopback IPs (no operator: nothing else writes while we time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAgentRuntime, type AgentRuntime } from '@kruise-agents/agent-runtime';
import { API_VERSION, type SandboxSet } from '@kruise-agents/api';
import { buildPoolSandbox } from '@kruise-agents/core';
import type { KubeClient } from '@kruise-agents/kube-runtime';
import { Resources, type KubeObject } from '@kruise-agents/kube-runtime';

type SetObject = SandboxSet & KubeObject;

export const ADMIN_KEY = `e2b_${randomBytes(20).toString('hex')}`;

export function loopbackIp(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${(a! % 254) + 1}.${b}.${(c! % 253) + 2}`;
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
  options: { runtimes?: AgentRuntime[]; root?: string; parallel?: number } = {},
): Promise<void> {
  const sandboxes = kube.resource(Resources.Sandbox);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const ip = loopbackIp();
      if (options.runtimes) {
        const root = fs.mkdtempSync(path.join(options.root ?? os.tmpdir(), 'sbx-'));
        options.runtimes.push(await startAgentRuntime({ host: ip, root, interpreterPort: false }));
      }
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

export interface GatewayProcess {
  url: string;
  stop(): Promise<void>;
}

/** One gateway replica in its own process, from source (tsx), as `kruise-agents gateway` runs it. */
export async function startGatewayProcess(kubeconfigPath: string): Promise<GatewayProcess> {
  const main = path.resolve(import.meta.dirname, '../../../apps/gateway/src/main.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_GATEWAY_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_GATEWAY_PROF}`] : []),
      '--conditions=@kruise-agents/source',
      '--import',
      'tsx',
      main,
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
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(log);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${log}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
