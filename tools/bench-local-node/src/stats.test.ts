import { describe, expect, it } from '@jest/globals';
import { percentile, summarize } from './stats';

describe('stats', () => {
  it.each([
    [50, 5],
    [90, 9],
    [99, 10],
    [100, 10],
    [0, 1],
  ])('p%i of 1..10 is %i', (p, v) => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p)).toBe(v);
  });

  it('summarizes create→Ready latency and throughput, ignoring pods never Ready', () => {
    const created = new Map([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
    const ready = new Map([
      ['a', 50],
      ['b', 400],
    ]);
    expect(summarize(created, ready)).toEqual({
      pods: 2,
      p50Ms: 50,
      p90Ms: 300,
      p99Ms: 300,
      maxMs: 300,
      podsPerSecond: 5,
      wallMs: 400,
    });
  });
});
