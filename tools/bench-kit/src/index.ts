/**
 * The measuring every benchmark shares, so their figures mean the same thing: percentiles by nearest rank, and a
 * driver that keeps `concurrency` calls in flight until `total` have run.
 */
import { readFileSync } from 'node:fs';

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

/**
 * CPU time (user + system, ms) each named process has used so far: `self` for this process, children by pid from
 * /proc (Linux). Take two and subtract to see where a phase's CPU went.
 */
export function cpuTimes(children: ReadonlyMap<string, number>): Map<string, number> {
  const times = new Map<string, number>();
  const own = process.cpuUsage();
  times.set('self', (own.user + own.system) / 1000);
  for (const [name, pid] of children) times.set(name, procCpuMs(pid));
  return times;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; Linux reports 100 on every architecture it ships

function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU ms per unit of work (`per` units) each process spent between two cpuTimes snapshots, largest first, and what
 * that allows: with every process on one machine, `cpus` can finish at most cpus × 1000 / total units a second, and
 * by Little's law `inFlight` concurrent calls then take at least inFlight / that rate each.
 */
export function cpuPerUnit(
  before: Map<string, number>,
  after: Map<string, number>,
  per: number,
  limits?: { cpus: number; inFlight: number },
): string {
  const each = [...after]
    .map(([name, t]) => [name, (t - (before.get(name) ?? 0)) / per] as const)
    .sort((a, b) => b[1] - a[1]);
  const text = each.map(([name, t]) => `${name} ${t.toFixed(2)} ms`).join(', ');
  if (!limits) return text;
  const total = each.reduce((sum, [, t]) => sum + t, 0);
  const ceiling = (limits.cpus * 1000) / total;
  return (
    `${text} = ${total.toFixed(2)} ms → ${limits.cpus} CPUs carry at most ${ceiling.toFixed(0)}/s, ` +
    `so ${limits.inFlight} in flight take ≥ ${((limits.inFlight / ceiling) * 1000).toFixed(1)} ms each`
  );
}
