import { describe, expect, it } from '@jest/globals';
import { percentile, runConcurrently } from './index';

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
