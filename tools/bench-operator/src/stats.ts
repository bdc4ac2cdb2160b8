/** Latency summaries and Prometheus text helpers for the benchmark. */

import { percentile } from 'bench-kit';

export { percentile };

export function summarise(latenciesMs: number[], elapsedMs: number) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: round((sorted.length / elapsedMs) * 1000),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
  };
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** The value of one sample line of Prometheus text, e.g. metric('process_resident_memory_bytes'). */
export function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

/** Mean and an upper-bound p99 from a Prometheus histogram's buckets. */
export function histogram(text: string, name: string, labels: string) {
  const count = metric(text, `${name}_count`, labels);
  const sum = metric(text, `${name}_sum`, labels);
  const buckets = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_bucket{`) && l.includes(labels))
    .map((l) => ({ le: Number(/le="([^"]+)"/.exec(l)?.[1] ?? 'NaN'), n: Number(l.split(' ').pop()) }))
    .filter((b) => Number.isFinite(b.le));
  const p = (q: number) => buckets.find((b) => b.n >= q * count)?.le ?? Infinity;
  return { count, meanMs: round((sum / count) * 1000, 2), p50LeMs: p(0.5) * 1000, p99LeMs: p(0.99) * 1000 };
}
