/**
 * The measuring every benchmark shares, so their figures mean the same thing: percentiles by nearest rank, and a
 * driver that keeps `concurrency` calls in flight until `total` have run.
 */

/** The p-th percentile (0–100) by nearest rank; `samples` need not be sorted. NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = isSorted(samples) ? samples : [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** Runs `fn(0..total-1)` with `concurrency` workers; per-call latencies (ms) and the wall time (ms). */
export async function runConcurrently(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}
