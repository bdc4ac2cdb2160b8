/**
 * kube-lite benchmark. The server runs in this thread; the load (writers and 10 watchers) in a worker thread.
 *   npm run bench -w bench-kube-lite [-- --duration 5000]
 * Reports writes/s with 10 watchers attached (in memory and durable), watch-event latency p50/p99 at a moderate rate
 * and at saturation, and memory with 50,000 objects.
 */
import { percentile } from 'bench-kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startApiServer, type ApiServer, type StorageOptions } from '@kruise-agents/kube-lite';
import type { LoadRequest, LoadResult } from './load';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5000' },
    writers: { type: 'string', default: '32' },
    objects: { type: 'string', default: '50000' },
  },
});
const DURATION = Number(values.duration);
const WRITERS = Number(values.writers);
const OBJECTS = Number(values.objects);

function load(req: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load.ts', import.meta.url), { workerData: req });
    worker.once('message', (m: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

function summary(r: LoadResult): string {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const rate = (r.writes / r.elapsedMs) * 1000;
  return `${rate.toFixed(0)} writes/s (${r.writes} in ${(r.elapsedMs / 1000).toFixed(1)}s, ${r.errors} errors), ${r.eventsReceived} events to watchers, event latency p50 ${percentile(sorted, 50).toFixed(2)} ms p99 ${percentile(sorted, 99).toFixed(2)} ms max ${percentile(sorted, 100).toFixed(2)} ms`;
}

async function withServer<T>(storage: StorageOptions, fn: (s: ApiServer) => Promise<T>): Promise<T> {
  const server = await startApiServer({ storage, tls: false });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

const base = (s: ApiServer, prefix: string): LoadRequest => ({
  url: s.url,
  token: s.token,
  namespace: 'default',
  watchers: 10,
  writers: WRITERS,
  durationMs: DURATION,
  intervalMs: 0,
  payloadBytes: 256,
  prefix,
});

async function throughput(label: string, storage: StorageOptions): Promise<void> {
  await withServer(storage, async (s) => {
    // Warm up the JIT before measuring.
    await load({ ...base(s, 'warm'), durationMs: 1000 });
    const r = await load(base(s, 'run'));
    console.log(`${label}: ${summary(r)}`);
    const moderate = await load({ ...base(s, 'moderate'), writers: 4, intervalMs: 4 });
    console.log(`${label}, moderate rate: ${summary(moderate)}`);
    const low = await load({ ...base(s, 'low'), writers: 1, intervalMs: 5 });
    console.log(`${label}, low rate: ${summary(low)}`);
  });
}

async function memory(): Promise<void> {
  await withServer({ kind: 'memory' }, async (s) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    const r = await load({ ...base(s, 'obj'), watchers: 0, durationMs: 600_000, count: OBJECTS, payloadBytes: 256 });
    gc?.();
    const after = process.memoryUsage();
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      `memory with ${r.writes} configmaps (256-byte payload): heap ${mb(after.heapUsed)} (+${mb(after.heapUsed - before.heapUsed)}), rss ${mb(after.rss)} (includes the load worker)${gc ? '' : ' [run with --expose-gc for settled figures]'}`,
    );
    const t0 = performance.now();
    const res = await fetch(`${s.url}/api/v1/namespaces/default/configmaps`, {
      headers: { Authorization: `Bearer ${s.token}` },
    });
    const body = await res.text();
    console.log(`list of all ${r.writes}: ${(performance.now() - t0).toFixed(0)} ms, ${mb(body.length)}`);
  });
}

const load1 = () => loadavg()[0]!.toFixed(1);
console.log(
  `kube-lite benchmark: node ${process.version}, ${cpus().length} cores, ${WRITERS} writers, 10 watchers, ${DURATION} ms per run; load average ${load1()} at start`,
);
await throughput('in memory', { kind: 'memory' });
const dir = mkdtempSync(join(tmpdir(), 'bench-kube-lite-'));
try {
  await throughput('durable (SQLite, synchronous=FULL)', { kind: 'sqlite', dataDir: dir });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
await memory();
// Figures on a shared machine move with its load: say what it was.
console.log(`load average ${load1()} at the end`);
