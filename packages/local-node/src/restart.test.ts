import { describe, expect, it } from '@jest/globals';
import { KUBELET_BACKOFF, backoffDelay, crashCountAfterExit, shouldRestart } from './restart';

describe('restart policy', () => {
  it.each([
    [undefined, 0, true],
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 2, true],
    ['Never', 0, false],
    ['Never', 1, false],
  ])('policy %s, exit %i → restart %s', (policy, code, restart) => {
    expect(shouldRestart(policy, code)).toBe(restart);
  });

  it.each([
    [1, 0],
    [2, 10_000],
    [3, 20_000],
    [4, 40_000],
    [7, 300_000],
    [20, 300_000],
  ])('crash %i waits %i ms', (n, ms) => {
    expect(backoffDelay(n, KUBELET_BACKOFF)).toBe(ms);
  });

  it('starts the count over after a long run', () => {
    expect(crashCountAfterExit(5, 1000, KUBELET_BACKOFF)).toBe(6);
    expect(crashCountAfterExit(5, 300_000, KUBELET_BACKOFF)).toBe(1);
  });
});
