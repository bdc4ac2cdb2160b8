// Operator restart in the middle of a batch claim: the new operator rebuilds its state from the API server (counts
// the claim's sandboxes by owner), so nothing is claimed twice, the claim gets exactly what it asked for, and the pool
// is not over-created.
import { expect, it } from '@jest/globals';
import { Annotations, Labels } from '@kruise-agents/api';
import { sleep, waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, poolMembers, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());

const claimedBy = async (claim: string) =>
  (await h.sandboxes.list('default', { labelSelector: `${Labels.ClaimName}=${claim}` })).items;

/** The claim, once Completed (a restarted operator picks it up again). */
const completed = (name: string) =>
  waitFor(
    `claim ${name} Completed`,
    async () => {
      const c = await h.claims.get('default', name);
      return c.status?.phase === 'Completed' ? c : undefined;
    },
    40_000,
  );

it('restarted mid-claim from a warm pool: exactly the replicas asked for, each once, and the pool at its size', async () => {
  await h.sets.create(aSet('restart', 10));
  await waitForAvailable(h, 'restart', 10);
  const claim = await h.claims.create(
    aClaim('restart', 'restart', { replicas: 40, claimTimeout: '30s', createOnNoStock: false }),
  );
  await waitFor('claim under way', async () => (await claimedBy('restart')).length >= 5);
  await h.restartOperator();
  const done = await completed('restart');
  expect(done.status?.claimedReplicas).toBe(40);
  const got = await claimedBy('restart');
  expect(got).toHaveLength(40);
  for (const s of got) expect(s.metadata.annotations?.[Annotations.Owner]).toBe(claim.metadata.uid);
  await waitForAvailable(h, 'restart', 10);
  await sleep(500);
  const unclaimed = (await poolMembers(h, 'restart')).filter(
    (s) => s.metadata.labels?.[Labels.SandboxClaimed] !== 'true',
  );
  expect(unclaimed).toHaveLength(10);
});

it('restarted mid-claim while creating on no stock: no sandbox created beyond the replicas asked for', async () => {
  await h.sets.create(aSet('restart-cold', 0));
  await h.claims.create(aClaim('restart-cold', 'restart-cold', { replicas: 30, claimTimeout: '30s' }));
  await waitFor('creations under way', async () => (await poolMembers(h, 'restart-cold')).length >= 3);
  await h.restartOperator();
  const done = await completed('restart-cold');
  expect(done.status?.claimedReplicas).toBe(30);
  await sleep(500);
  // Every sandbox of this pool was created for the claim; none is left over, unclaimed or claimed twice.
  const all = await poolMembers(h, 'restart-cold');
  expect(all).toHaveLength(30);
  expect(all.every((s) => s.metadata.labels?.[Labels.ClaimName] === 'restart-cold')).toBe(true);
});
