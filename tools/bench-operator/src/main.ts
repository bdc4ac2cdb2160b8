/**
 * Pool-allocation benchmark, everything real but the pods (virtual local node):
 *   npm run bench -w bench-operator -- [--claims 200] [--concurrency 1,10,50] [--refill 500] [--sizes 10000,50000]
 * 1. pool refill rate: a SandboxSet scaled from 0 to --refill, until every member is available;
 * 2. claims from a warm pool at each concurrency: direct claims through @kruise-agents/core/client (one lock write
 *    each, the gateway's path) with the pool not refilling (the allocator alone) and refilling (every claim also
 *    costs a replacement sandbox and pod), and SandboxClaims through the operator (create → Completed, by a watch);
 * 3. operator memory (RSS, heap) and reconcile latency with --sizes sandboxes in one pool.
 * kube-lite and the local node run in this process; the operator runs in its own (src/operator-process.ts), so its
 * memory is its own. Prints one JSON document.
 */
import { runConcurrently } from 'bench-kit';
import os from 'node:os';
import path from 'node:path';
import { API_VERSION, type SandboxClaim } from '@kruise-agents/api';
import { connectSandboxClient } from '@kruise-agents/core/client';
import { Resources, type KubeObject } from '@kruise-agents/kube-runtime';
import { startLocalNode } from '@kruise-agents/local-node';
import { awaitOutput, sandboxSetManifest, sleep, spawnSource, startKubeLite, stopProcess, waitFor } from 'test-kit';
import { histogram, metric, round, summarise } from './stats';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const CLAIMS = Number(arg('claims', '200'));
const CONCURRENCY = arg('concurrency', '1,10,50').split(',').map(Number);
const REFILL = Number(arg('refill', '500'));
const SIZES = arg('sizes', '10000,50000').split(',').filter(Boolean).map(Number);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const cluster = await startKubeLite('bench-operator', { watch: { historySize: 200_000 } });
const { api, kube } = cluster;
const node = await startLocalNode({
  kubeconfig: { yaml: api.kubeconfig },
  mode: 'virtual',
  nodeName: 'bench-node',
  dataDir: cluster.dir,
  concurrency: 256,
});
const sets = kube.resource(Resources.SandboxSet);
const claims = kube.resource(Resources.SandboxClaim);

const operatorProcess = spawnSource(
  path.join(import.meta.dirname, 'operator-process.ts'),
  [cluster.kubeconfigPath],
  ['ignore', 'pipe', 'inherit'],
);
const [, healthUrl] = await awaitOutput(operatorProcess, 'stdout', /(\S+)\n/);
const metricsUrl = `${healthUrl}/metrics`;
const scrape = async () => (await fetch(metricsUrl)).text();

const aSet = (name: string, replicas: number) =>
  sandboxSetManifest({ name, replicas, container: { image: 'bench:1' } });

/** Milliseconds until the set has `count` available. */
async function untilAvailable(name: string, count: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await waitFor(
    `${name} to have ${count} available`,
    async () => ((await sets.get('default', name)).status?.availableReplicas ?? 0) >= count,
    timeoutMs,
  );
  return performance.now() - started;
}

const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
};

// 1. Refill.
await sets.create(aSet('refill', 0));
await sleep(200);
const refillStarted = performance.now();
await sets.patch('default', 'refill', 'merge', { spec: { replicas: REFILL } }, { subresource: 'scale' });
const refillMs = await untilAvailable('refill', REFILL, 600_000);
results.refill = {
  sandboxes: REFILL,
  seconds: round(refillMs / 1000, 2),
  perSecond: round((REFILL / (performance.now() - refillStarted)) * 1000),
};
log(`refill ${JSON.stringify(results.refill)}`);
await sets.patch('default', 'refill', 'merge', { spec: { replicas: 0 } }, { subresource: 'scale' });

// 2. Claims from a warm pool.
await sets.create(aSet('warm', CLAIMS));
await untilAvailable('warm', CLAIMS, 300_000);
const client = await connectSandboxClient({ kubeconfigYaml: api.kubeconfig, namespace: 'default' });
const direct: Record<string, unknown> = {};
const declarative: Record<string, unknown> = {};
const completed = new Map<string, () => void>();
const watchAbort = new AbortController();
void (async () => {
  for await (const event of claims.watch('default', { signal: watchAbort.signal })) {
    if (event.object.status?.phase === 'Completed') completed.get(event.object.metadata.name!)?.();
  }
})().catch(() => undefined);

async function runWorkers(concurrency: number, total: number, one: (i: number) => Promise<void>) {
  const { samples, wallMs } = await runConcurrently(total, concurrency, one);
  return summarise(samples, wallMs);
}

/** CLAIMS direct claims from the warm pool, `concurrency` at a time: the lock write only (the gateway's path). */
async function directClaims(concurrency: number, owner: string) {
  let misses = 0;
  const timing = await runWorkers(concurrency, CLAIMS, async (i) => {
    const result = await client.claimer.claimOne(
      { namespace: 'default', pool: 'warm' },
      { ownerUid: `${owner}-${concurrency}-${i}` },
    );
    if (result.status !== 'claimed') misses++;
  });
  return { ...timing, misses };
}

// The allocator alone: the pool does not refill while it is drained (scale-up capped at 0 unready members), so each
// claim costs its lock write and nothing else; then the same with the pool replacing every claimed sandbox at once.
const isolated: Record<string, unknown> = {};
for (const concurrency of CONCURRENCY) {
  await sets.patch('default', 'warm', 'merge', { spec: { scaleStrategy: null } });
  await untilAvailable('warm', CLAIMS, 300_000);
  await sets.patch('default', 'warm', 'merge', { spec: { scaleStrategy: { maxUnavailable: 0 } } });
  await sleep(500);
  isolated[`c${concurrency}`] = await directClaims(concurrency, 'iso');
  log(`direct, no refill c=${concurrency} ${JSON.stringify(isolated[`c${concurrency}`])}`);
}
results.directClaimsNoRefill = isolated;
await sets.patch('default', 'warm', 'merge', { spec: { scaleStrategy: null } });

for (const concurrency of CONCURRENCY) {
  await untilAvailable('warm', CLAIMS, 300_000);
  await sleep(500); // let the client's cache see the refilled pool
  direct[`c${concurrency}`] = await directClaims(concurrency, 'bench');
  log(`direct c=${concurrency} ${JSON.stringify(direct[`c${concurrency}`])}`);
}
for (const concurrency of CONCURRENCY) {
  await untilAvailable('warm', CLAIMS, 300_000);
  await sleep(500);
  declarative[`c${concurrency}`] = await runWorkers(concurrency, CLAIMS, async (i) => {
    const name = `bench-${concurrency}-${i}`;
    const done = new Promise<void>((resolve) => completed.set(name, resolve));
    const claim: SandboxClaim & KubeObject = {
      apiVersion: API_VERSION,
      kind: 'SandboxClaim',
      metadata: { name, namespace: 'default' },
      spec: { templateName: 'warm', createOnNoStock: false, ttlAfterCompleted: '1s' } as SandboxClaim['spec'],
    };
    await claims.create(claim);
    await done;
    completed.delete(name);
  });
  log(`SandboxClaim c=${concurrency} ${JSON.stringify(declarative[`c${concurrency}`])}`);
}
results.directClaims = direct;
results.sandboxClaims = declarative;
watchAbort.abort();
await client.close();
await sets.delete('default', 'warm');

// 3. Operator memory and reconcile latency at scale.
const scale: Record<string, unknown> = {};
for (const size of SIZES) {
  const before = await scrape();
  const started = performance.now();
  await sets.create(aSet(`scale-${size}`, size));
  const fillMs = await untilAvailable(`scale-${size}`, size, 3_600_000);
  await sleep(5000);
  const after = await scrape();
  const delta = (name: string, labels: string) => {
    const a = histogram(after, name, labels);
    const b = histogram(before, name, labels);
    return {
      reconciles: a.count - (b.count || 0),
      meanMs: round((a.meanMs * a.count - (b.meanMs || 0) * (b.count || 0)) / (a.count - (b.count || 0)), 2),
      p99LeMs: a.p99LeMs,
    };
  };
  // A fresh client's cache sync and one claim against the full pool.
  const syncStarted = performance.now();
  const probe = await connectSandboxClient({ kubeconfigYaml: api.kubeconfig, namespace: 'default' });
  const probeReadyMs = performance.now() - syncStarted;
  const claimStarted = performance.now();
  await probe.claim({ namespace: 'default', template: `scale-${size}`, timeoutMs: 10_000 });
  const claimMs = performance.now() - claimStarted;
  await probe.close();
  scale[`s${size}`] = {
    sandboxes: Math.round(metric(after, 'kruise_agents_cached_objects', 'kind="Sandbox"')),
    fillSeconds: round(fillMs / 1000, 1),
    fillPerSecond: round((size / (performance.now() - started)) * 1000),
    operatorRssMiB: round(metric(after, 'process_resident_memory_bytes') / 2 ** 20),
    operatorHeapUsedMiB: round(metric(after, 'nodejs_heap_size_used_bytes') / 2 ** 20),
    reconcile: {
      sandbox: delta('kruise_agents_reconcile_duration_seconds', 'controller="sandbox"'),
      sandboxset: delta('kruise_agents_reconcile_duration_seconds', 'controller="sandboxset"'),
    },
    clientCacheSyncMs: round(probeReadyMs),
    claimFromFullPoolMs: round(claimMs),
  };
  log(`scale ${size} ${JSON.stringify(scale[`s${size}`])}`);
}
results.scale = scale;

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
await stopProcess(operatorProcess);
await node.close();
await cluster.close();
process.exit(0);
