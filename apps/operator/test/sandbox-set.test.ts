// The warm pool: replenishment, scale up/down through the scale subresource (kubectl scale sbs), rolling update within
// maxUnavailable without touching claimed sandboxes, and status.
import { describe, expect, it } from '@jest/globals';
import { Labels } from '@kruise-agents/api';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, poolMembers, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());

const unclaimed = async (set: string) =>
  (await poolMembers(h, set)).filter(
    (s) => s.metadata.labels?.[Labels.SandboxClaimed] === 'false' && !s.metadata.deletionTimestamp,
  );

describe('SandboxSet', () => {
  it('fills the pool with sandboxes named <set>-, labelled and owned, each with its pod, and reports status', async () => {
    await h.sets.create(aSet('fill', 3));
    const set = await waitForAvailable(h, 'fill', 3);
    expect(set.status?.selector).toBe(`${Labels.SandboxClaimed}=false,${Labels.SandboxPool}=fill`);
    expect(set.status?.updatedReplicas).toBe(3);
    expect(set.status?.observedGeneration).toBe(set.metadata.generation);
    const members = await poolMembers(h, 'fill');
    expect(members).toHaveLength(3);
    for (const s of members) {
      expect(s.metadata.name).toMatch(/^fill-/);
      expect(s.metadata.labels?.[Labels.TemplateHash]).toBe(set.status?.updateRevision);
      expect(s.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'SandboxSet', name: 'fill', controller: true });
      const pod = await h.pods.get('default', s.metadata.name!);
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Sandbox',
        name: s.metadata.name,
        uid: s.metadata.uid,
      });
      expect(s.status?.podInfo?.podIP).toBe(pod.status?.podIP);
    }
  });

  it('scales up and down through the scale subresource, never over-creating', async () => {
    await h.sets.create(aSet('scale', 2));
    await waitForAvailable(h, 'scale', 2);
    await h.sets.patch('default', 'scale', 'merge', { spec: { replicas: 12 } }, { subresource: 'scale' });
    await waitForAvailable(h, 'scale', 12);
    expect(await poolMembers(h, 'scale')).toHaveLength(12);
    const scale = (await h.kube.transport.request(
      'GET',
      '/apis/agents.kruise.io/v1alpha1/namespaces/default/sandboxsets/scale/scale',
    )) as {
      spec: { replicas: number };
      status: { replicas: number; selector: string };
    };
    expect(scale.spec.replicas).toBe(12);
    expect(scale.status.replicas).toBe(12);
    await h.sets.patch('default', 'scale', 'merge', { spec: { replicas: 3 } }, { subresource: 'scale' });
    await waitForAvailable(h, 'scale', 3);
    await waitFor('scale-down deletes land', async () => (await unclaimed('scale')).length === 3);
  });

  it('replaces a claimed sandbox at once and never touches claimed ones again', async () => {
    await h.sets.create(aSet('replace', 2));
    await waitForAvailable(h, 'replace', 2);
    await h.claims.create(aClaim('replace', 'replace', { replicas: 2 }));
    await waitFor('claimed', async () => (await h.claims.get('default', 'replace')).status?.phase === 'Completed');
    await waitForAvailable(h, 'replace', 2);
    const members = await poolMembers(h, 'replace');
    expect(members.filter((s) => s.metadata.labels?.[Labels.SandboxClaimed] === 'true')).toHaveLength(2);
    expect(members).toHaveLength(4);
    // Scaling to 0 removes the unclaimed ones only.
    await h.sets.patch('default', 'replace', 'merge', { spec: { replicas: 0 } }, { subresource: 'scale' });
    await waitFor('unclaimed gone', async () => (await unclaimed('replace')).length === 0);
    const left = await poolMembers(h, 'replace');
    expect(left.map((s) => s.metadata.labels?.[Labels.ClaimName])).toEqual(['replace', 'replace']);
  });

  it('rolls a template change through the pool within maxUnavailable, leaving claimed sandboxes alone', async () => {
    await h.sets.create(aSet('roll', 10, { updateStrategy: { maxUnavailable: '20%' } }));
    const before = await waitForAvailable(h, 'roll', 10);
    await h.claims.create(aClaim('roll', 'roll', { replicas: 1 }));
    await waitFor('claimed', async () => (await h.claims.get('default', 'roll')).status?.phase === 'Completed');
    await waitForAvailable(h, 'roll', 10);
    const claimed = (await poolMembers(h, 'roll')).find((s) => s.metadata.labels?.[Labels.ClaimName] === 'roll')!;

    // Watch the pool while the template changes: unused members never drop below 10 - 2 available.
    let minAvailable = Infinity;
    const abort = new AbortController();
    const watching = (async () => {
      for await (const event of h.sets.watch('default', {
        fieldSelector: 'metadata.name=roll',
        signal: abort.signal,
      })) {
        minAvailable = Math.min(minAvailable, event.object.status?.availableReplicas ?? Infinity);
      }
    })().catch(() => undefined);
    const set = await h.sets.get('default', 'roll');
    set.spec.template!.spec.containers[0]!.image = 'python:3.13';
    await h.sets.update(set);
    const after = await waitFor(
      'every member updated',
      async () => {
        const s = await h.sets.get('default', 'roll');
        return s.status?.updateRevision !== before.status?.updateRevision &&
          s.status?.updatedReplicas === 10 &&
          s.status?.availableReplicas === 10
          ? s
          : undefined;
      },
      30_000,
    );
    abort.abort();
    await watching;
    expect(minAvailable).toBeGreaterThanOrEqual(8);
    const members = await unclaimed('roll');
    expect(members).toHaveLength(10);
    for (const s of members) {
      expect(s.metadata.labels?.[Labels.TemplateHash]).toBe(after.status?.updateRevision);
      expect(s.spec.template?.spec.containers[0]?.image).toBe('python:3.13');
    }
    const still = await h.sandboxes.get('default', claimed.metadata.name!);
    expect(still.metadata.uid).toBe(claimed.metadata.uid);
    expect(still.spec.template?.spec.containers[0]?.image).toBe('python:3.12');
  });

  it('removes a dead member and replaces it', async () => {
    await h.sets.create(aSet('dead', 2));
    await waitForAvailable(h, 'dead', 2);
    const [victim] = await poolMembers(h, 'dead');
    // The pod going away under a Running sandbox makes it Failed (dead); the pool deletes and replaces it.
    await h.pods.delete('default', victim!.metadata.name!, { gracePeriodSeconds: 0 });
    await waitFor('victim gone', async () => (await h.sandboxes.find('default', victim!.metadata.name!)) === undefined);
    await waitForAvailable(h, 'dead', 2);
  });
});
