import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { aClaim, aSet, startHarness, waitFor, waitForAvailable, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it('fills a pool and claims one', async () => {
  await h.sets.create(aSet('smoke', 3));
  await waitForAvailable(h, 'smoke', 3);
  await h.claims.create(aClaim('c1', 'smoke'));
  const claim = await waitFor('claim completed', async () => {
    const c = await h.claims.get('default', 'c1');
    return c.status?.phase === 'Completed' ? c : undefined;
  });
  expect(claim.status?.claimedReplicas).toBe(1);
  await waitForAvailable(h, 'smoke', 3);
});
