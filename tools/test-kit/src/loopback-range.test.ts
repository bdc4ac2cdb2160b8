import { expect, it } from '@jest/globals';
import { ownLoopbackRange } from './loopback-range';

it('is a /20 on a /20 boundary inside 127.128.0.0/9, so never in the local node default 127.64.0.0/10', () => {
  for (let i = 0; i < 200; i++) {
    const { base, prefix } = ownLoopbackRange();
    expect(prefix).toBe(20);
    const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number];
    expect(a).toBe(127);
    expect(b).toBeGreaterThanOrEqual(128);
    expect(b).toBeLessThanOrEqual(255);
    expect(c % 16).toBe(0);
    expect(d).toBe(0);
  }
});
