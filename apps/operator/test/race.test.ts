// No sandbox is ever handed to two claimers: 20 SandboxClaims × 10 replicas through the operator, against a pool of
// 100, while a second process makes 100 direct claims through @kruise-agents/core/client. Checked by reading the
// objects from the API server afterwards, not by trusting either claimer.
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { Annotations, Labels } from '@kruise-agents/api';
import { awaitOutput, spawnSource, waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());

interface ChildResult {
  claims: { owner: string; names: string[] }[];
  errors: string[];
}

/** Starts the second process; resolves once its cache is synced, with a function that fires it and awaits its result. */
async function startDirectClaimer(kubeconfig: string): Promise<() => Promise<ChildResult>> {
  const script = path.join(import.meta.dirname, 'race-client.ts');
  const child = spawnSource(script, [kubeconfig, 'race', '100'], ['pipe', 'pipe', 'inherit']);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = () => awaitOutput(child, 'stdout', /^(.*)\n/).then(([, text]) => text!);
  const first = await line();
  if (first !== 'READY') throw new Error(`race client did not start: ${first}`);
  return async () => {
    // It prints nothing between READY and its result, so listening from here on misses nothing.
    const result = line();
    child.stdin!.end('go\n');
    const json = await result;
    await exited;
    return JSON.parse(json) as ChildResult;
  };
}

it('hands every sandbox to at most one claimer across the operator and another process', async () => {
  await h.sets.create(aSet('race', 100));
  await waitForAvailable(h, 'race', 100, 30_000);
  const fire = await startDirectClaimer(h.kubeconfigPath);

  const claims = Array.from({ length: 20 }, (_, i) =>
    aClaim(`race-${i}`, 'race', { replicas: 10, claimTimeout: '20s', createOnNoStock: false }),
  );
  const [direct] = await Promise.all([fire(), ...claims.map((c) => h.claims.create(c))]);
  const finished = await waitFor(
    'every claim Completed',
    async () => {
      const list = (await h.claims.list('default')).items.filter((c) => c.metadata.name!.startsWith('race-'));
      return list.length === 20 && list.every((c) => c.status?.phase === 'Completed') ? list : undefined;
    },
    40_000,
  );

  // Read back every sandbox of the pool and attribute it from the objects themselves.
  const sandboxes = (await h.sandboxes.list('default', { labelSelector: `${Labels.SandboxPool}=race` })).items;
  const byName = new Map(sandboxes.map((s) => [s.metadata.name!, s]));
  const uidToClaim = new Map(finished.map((c) => [c.metadata.uid!, c.metadata.name!]));

  // The direct claims: each got one sandbox, distinct, whose owner annotation names that claimer and no claim.
  expect(direct.errors).toEqual([]);
  const directNames = direct.claims.flatMap((c) => c.names);
  expect(directNames).toHaveLength(100);
  expect(new Set(directNames).size).toBe(100);
  for (const { owner, names } of direct.claims) {
    for (const name of names) {
      const s = byName.get(name)!;
      expect(s.metadata.annotations?.[Annotations.Owner]).toBe(owner);
      expect(s.metadata.labels?.[Labels.ClaimName]).toBeUndefined();
    }
  }
  // The SandboxClaims: every sandbox labelled with a claim is owned by that claim's UID, and none by a direct claimer.
  const labelled = sandboxes.filter((s) => s.metadata.labels?.[Labels.ClaimName]?.startsWith('race-'));
  for (const s of labelled) {
    expect(uidToClaim.get(s.metadata.annotations![Annotations.Owner]!)).toBe(s.metadata.labels![Labels.ClaimName]);
    expect(directNames).not.toContain(s.metadata.name);
  }
  // Each claim's count matches the sandboxes that say they are its; the totals add up, with no overlap.
  for (const claim of finished) {
    const mine = labelled.filter((s) => s.metadata.labels?.[Labels.ClaimName] === claim.metadata.name);
    expect(claim.status?.claimedReplicas).toBe(mine.length);
    expect(mine.length).toBeLessThanOrEqual(10);
  }
  const claimedTotal = finished.reduce((n, c) => n + (c.status?.claimedReplicas ?? 0), 0);
  expect(claimedTotal).toBe(200);
  const owned = sandboxes.filter((s) => s.metadata.labels?.[Labels.SandboxClaimed] === 'true');
  expect(owned).toHaveLength(300);
});
