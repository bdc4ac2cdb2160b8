// SandboxClaim flows of the user document (points 2, 3, 4, 6): claim one, batch with claimTimeout and
// ttlAfterCompleted, shutdownTime, labels and annotations, a missing SandboxSet, an empty pool waited on.
import { describe, expect, it } from '@jest/globals';
import { Annotations, Labels } from '@kruise-agents/api';
import { sleep, waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, condition, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());

const completed = (name: string, timeoutMs?: number) =>
  waitFor(
    `claim ${name} Completed`,
    async () => {
      const c = await h.claims.get('default', name);
      return c.status?.phase === 'Completed' ? c : undefined;
    },
    timeoutMs,
  );

const claimedBy = async (claim: string) =>
  (await h.sandboxes.list('default', { labelSelector: `${Labels.ClaimName}=${claim}` })).items;

describe('SandboxClaim', () => {
  it('claims one sandbox: labelled with the claim, detached from the pool, which replaces it at once', async () => {
    await h.sets.create(aSet('demo', 2));
    await waitForAvailable(h, 'demo', 2);
    const claim = await h.claims.create(aClaim('one', 'demo'));
    const done = await completed('one');
    expect(done.status?.claimedReplicas).toBe(1);
    expect(condition(done, 'Completed')?.reason).toBe('AllClaimed');
    const [sandbox, ...rest] = await claimedBy('one');
    expect(rest).toHaveLength(0);
    expect(sandbox!.metadata.ownerReferences ?? []).toHaveLength(0);
    expect(sandbox!.metadata.labels?.[Labels.SandboxClaimed]).toBe('true');
    expect(sandbox!.metadata.annotations?.[Annotations.Owner]).toBe(claim.metadata.uid);
    expect(sandbox!.status?.phase).toBe('Running');
    await waitForAvailable(h, 'demo', 2);
  });

  it('copies labels, annotations and shutdownTime onto each claimed sandbox, which is deleted at that time', async () => {
    await h.sets.create(aSet('meta', 2));
    await waitForAvailable(h, 'meta', 2);
    const shutdownTime = new Date(Date.now() + 3000).toISOString().replace(/\.\d+Z$/, 'Z');
    await h.claims.create(
      aClaim('meta', 'meta', {
        replicas: 2,
        labels: { team: 'ml' },
        annotations: { userId: 'alice' },
        shutdownTime,
      }),
    );
    await completed('meta');
    const sandboxes = await claimedBy('meta');
    expect(sandboxes).toHaveLength(2);
    for (const s of sandboxes) {
      expect(s.metadata.labels?.team).toBe('ml');
      expect(s.metadata.annotations?.userId).toBe('alice');
      expect(s.spec.shutdownTime).toBe(shutdownTime);
      expect(s.spec.template?.metadata?.labels?.team).toBe('ml');
    }
    await waitFor(
      'claimed sandboxes deleted at shutdownTime',
      async () => (await claimedBy('meta')).length === 0,
      10_000,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(shutdownTime));
  });

  it('a batch larger than the pool ends at claimTimeout with what it got; ttlAfterCompleted deletes only the claim', async () => {
    await h.sets.create(aSet('batch', 4));
    await waitForAvailable(h, 'batch', 4);
    // Stop the pool from replacing what is claimed (scale-up capped at 0 unready), so only the 4 warm ones exist.
    await h.sets.patch('default', 'batch', 'merge', { spec: { scaleStrategy: { maxUnavailable: 0 } } });
    await h.claims.create(
      aClaim('batch', 'batch', { replicas: 10, claimTimeout: '3s', ttlAfterCompleted: '2s', createOnNoStock: false }),
    );
    const done = await completed('batch', 15_000);
    expect(condition(done, 'TimedOut')?.status).toBe('True');
    expect(done.status?.message).toMatch(/claimed \d+\/10/);
    const got = await claimedBy('batch');
    expect(done.status?.claimedReplicas).toBe(got.length);
    expect(got).toHaveLength(4);
    await waitFor(
      'claim deleted after its TTL',
      async () => (await h.claims.find('default', 'batch')) === undefined,
      10_000,
    );
    await sleep(500);
    expect((await claimedBy('batch')).map((s) => s.metadata.name).sort()).toEqual(
      got.map((s) => s.metadata.name).sort(),
    );
  });

  it('delivers gradually: an empty pool is waited on, and sandboxes count up as stock arrives', async () => {
    await h.sets.create(aSet('slow', 0));
    await h.claims.create(aClaim('slow', 'slow', { replicas: 3, claimTimeout: '20s', createOnNoStock: false }));
    await sleep(500);
    const waiting = await h.claims.get('default', 'slow');
    expect(waiting.status?.phase).toBe('Claiming');
    expect(waiting.status?.claimedReplicas).toBe(0);
    // Every status the claim goes through, from a watch: claimedReplicas must count up 1, 2, 3.
    const seen: number[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const event of h.claims.watch('default', {
        fieldSelector: 'metadata.name=slow',
        resourceVersion: waiting.metadata.resourceVersion,
        signal: abort.signal,
      })) {
        const n = event.object.status?.claimedReplicas ?? 0;
        if (seen.at(-1) !== n) seen.push(n);
      }
    })().catch(() => undefined);
    // A pool of one: each claimed sandbox is replaced, and the replacement is claimed in turn.
    await h.sets.patch('default', 'slow', 'merge', { spec: { replicas: 1 } }, { subresource: 'scale' });
    const done = await completed('slow');
    expect(done.status?.claimedReplicas).toBe(3);
    await sleep(200);
    abort.abort();
    await watching;
    expect(seen.filter((n) => n > 0)).toEqual([1, 2, 3]);
    expect(condition(done, 'Completed')?.reason).toBe('AllClaimed');
  });

  it('creates sandboxes directly when the pool is empty and createOnNoStock is set (the default)', async () => {
    await h.sets.create(aSet('cold', 0));
    await h.claims.create(aClaim('cold', 'cold', { replicas: 2 }));
    const done = await completed('cold');
    expect(done.status?.claimedReplicas).toBe(2);
    const sandboxes = await claimedBy('cold');
    expect(sandboxes).toHaveLength(2);
    for (const s of sandboxes) {
      expect(s.metadata.annotations?.[Annotations.SandboxPriority]).toBe('100');
      expect(s.status?.phase).toBe('Running');
      expect(condition(s, 'Ready')?.status).toBe('True');
    }
    // The pool itself stays at 0: claimed sandboxes are not members.
    const set = await h.sets.get('default', 'cold');
    expect(set.status?.replicas).toBe(0);
  });

  it('ends a claim whose SandboxSet does not exist with a clear condition, once', async () => {
    await h.claims.create(aClaim('orphan', 'no-such-set', { ttlAfterCompleted: '4s' }));
    const done = await completed('orphan');
    expect(condition(done, 'Completed')?.reason).toBe('SandboxSetNotFound');
    expect(done.status?.message).toMatch(/no-such-set/);
    await waitFor('claim TTL fires', async () => (await h.claims.find('default', 'orphan')) === undefined, 15_000);
  });
});
