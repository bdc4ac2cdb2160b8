/** Latency percentiles and throughput from per-pod timestamps. Pure. */

export interface Summary {
  pods: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Pods that became Ready per second, first create to last Ready. */
  podsPerSecond: number;
  wallMs: number;
}

import { percentile } from 'bench-kit';

export { percentile };

export function summarize(created: ReadonlyMap<string, number>, ready: ReadonlyMap<string, number>): Summary {
  const latencies: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const [name, at] of created) {
    first = Math.min(first, at);
    const readyAt = ready.get(name);
    if (readyAt === undefined) continue;
    latencies.push(readyAt - at);
    last = Math.max(last, readyAt);
  }
  latencies.sort((a, b) => a - b);
  const wallMs = latencies.length ? last - first : 0;
  return {
    pods: latencies.length,
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? NaN,
    podsPerSecond: wallMs > 0 ? (latencies.length * 1000) / wallMs : NaN,
    wallMs,
  };
}
