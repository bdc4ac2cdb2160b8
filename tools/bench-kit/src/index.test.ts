import { describe, expect, it } from '@jest/globals';
import { cpuPerUnit, cpuTimes, percentile, runConcurrently } from './index';

describe('percentile', () => {
  it('is the nearest rank, sorted or not', () => {
    const tenths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([50, 90, 99, 100, 0].map((p) => percentile(tenths, p))).toEqual([5, 9, 10, 10, 1]);
    expect(percentile([10, 1, 5, 3], 50)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('runConcurrently', () => {
  it('runs every index once with at most `concurrency` in flight', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    const { samples } = await runConcurrently(20, 4, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(i);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(samples).toHaveLength(20);
    expect(most).toBe(4);
  });
});

describe('cpuTimes and cpuPerUnit', () => {
  it('reads this process and a child by pid, and attributes the difference per unit', () => {
    const before = cpuTimes(new Map([['me-by-pid', process.pid]]));
    const start = process.cpuUsage();
    // Burn 50 ms of CPU (not of wall time: a busy machine may not give us the core).
    while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < 50);
    const after = cpuTimes(new Map([['me-by-pid', process.pid]]));
    expect(after.get('self')! - before.get('self')!).toBeGreaterThanOrEqual(50);
    // /proc counts in 10 ms ticks.
    expect(after.get('me-by-pid')! - before.get('me-by-pid')!).toBeGreaterThanOrEqual(30);
    expect(cpuTimes(new Map([['gone', 2 ** 30]])).get('gone')).toBeNaN();
  });

  it('states the ceiling the CPU cost implies', () => {
    const text = cpuPerUnit(
      new Map([
        ['a', 0],
        ['b', 100],
      ]),
      new Map([
        ['a', 300],
        ['b', 200],
      ]),
      100,
      { cpus: 2, inFlight: 50 },
    );
    expect(text).toBe(
      'a 3.00 ms, b 1.00 ms = 4.00 ms → 2 CPUs carry at most 500/s, so 50 in flight take ≥ 100.0 ms each',
    );
  });
});
