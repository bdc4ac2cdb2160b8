/** Deletion: finalizers hold an object with a deletionTimestamp; ownerReference GC; namespace termination. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CM, configMap, eventually, SBS, sandboxSet, startClient, type Client, type Json } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

const owned = (name: string, owner: Json, extra: Record<string, unknown> = {}) =>
  configMap(
    name,
    {},
    {
      ownerReferences: [
        {
          apiVersion: owner.apiVersion,
          kind: owner.kind,
          name: owner.metadata.name,
          uid: owner.metadata.uid,
          ...extra,
        },
      ],
    },
  );

const gone = async (path: string) => eventually(async () => (await c.get(path)).status === 404);

describe('finalizers', () => {
  it('delete sets deletionTimestamp and keeps the object until the finalizers are removed', async () => {
    await c.post(SBS(), sandboxSet('fin', { finalizers: ['example.com/hold'] }));
    const d = await c.del(`${SBS()}/fin`);
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBeDefined();
    const held = await c.get(`${SBS()}/fin`);
    expect(held.status).toBe(200);
    expect(held.body.metadata.deletionTimestamp).toBeDefined();
    const added = await c.patch(`${SBS()}/fin`, { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } });
    expect(added.status).toBe(422);
    const released = await c.patch(`${SBS()}/fin`, { metadata: { finalizers: null } });
    expect(released.status).toBe(200);
    expect((await c.get(`${SBS()}/fin`)).status).toBe(404);
  });

  it('preconditions on delete: 409 for a wrong uid or resourceVersion', async () => {
    await c.post(CM(), configMap('pre'));
    const r = await c.del(`${CM()}/pre`, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } });
    expect(r.status).toBe(409);
    const ok = await c.del(`${CM()}/pre`);
    expect(ok.body).toMatchObject({ kind: 'Status', status: 'Success' });
  });
});

describe('garbage collection', () => {
  it('background: dependents are deleted after their owner', async () => {
    const owner = (await c.post(SBS(), sandboxSet('gc-bg'))).body;
    await c.post(CM(), owned('gc-bg-1', owner));
    await c.post(CM(), owned('gc-bg-2', owner));
    await c.del(`${SBS()}/gc-bg`);
    await gone(`${CM()}/gc-bg-1`);
    await gone(`${CM()}/gc-bg-2`);
  });

  it('orphan: dependents stay, without the ownerReference', async () => {
    const owner = (await c.post(SBS(), sandboxSet('gc-orphan'))).body;
    await c.post(CM(), owned('gc-orphan-1', owner));
    const d = await c.del(`${SBS()}/gc-orphan`, { propagationPolicy: 'Orphan' });
    expect(d.body.metadata.finalizers).toContain('orphan');
    await gone(`${SBS()}/gc-orphan`);
    const dep = await c.get(`${CM()}/gc-orphan-1`);
    expect(dep.status).toBe(200);
    expect(dep.body.metadata.ownerReferences).toBeUndefined();
  });

  it('foreground: the owner stays (foregroundDeletion) until blocking dependents are gone', async () => {
    const owner = (await c.post(SBS(), sandboxSet('gc-fg'))).body;
    await c.post(CM(), owned('gc-fg-1', owner, { blockOwnerDeletion: true }));
    const held = await c.post(CM(), {
      ...owned('gc-fg-2', owner, { blockOwnerDeletion: true }),
      metadata: { ...owned('gc-fg-2', owner, { blockOwnerDeletion: true }).metadata, finalizers: ['example.com/hold'] },
    });
    expect(held.status).toBe(201);
    const d = await c.del(`${SBS()}/gc-fg`, { propagationPolicy: 'Foreground' });
    expect(d.body.metadata.finalizers).toContain('foregroundDeletion');
    await gone(`${CM()}/gc-fg-1`);
    await c.server.settled();
    expect((await c.get(`${SBS()}/gc-fg`)).status).toBe(200);
    await c.patch(`${CM()}/gc-fg-2`, { metadata: { finalizers: null } });
    await gone(`${SBS()}/gc-fg`);
  });

  it('a dependent whose owner does not exist is collected; one with a live owner left alone', async () => {
    await c.post(
      CM(),
      configMap(
        'dangling',
        {},
        {
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '11111111-1111-1111-1111-111111111111' },
          ],
        },
      ),
    );
    await gone(`${CM()}/dangling`);
    const owner = (await c.post(CM(), configMap('alive'))).body;
    await c.post(CM(), owned('kept', owner));
    await c.server.settled();
    expect((await c.get(`${CM()}/kept`)).status).toBe(200);
  });
});

describe('namespaces', () => {
  it('a deleted namespace is Terminating, refuses new content (403), is emptied, then removed', async () => {
    await c.post('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await c.post(CM('doomed'), configMap('inside'));
    await c.post(SBS('doomed'), sandboxSet('held', { finalizers: ['example.com/hold'] }));
    const d = await c.del('/api/v1/namespaces/doomed');
    expect(d.body.status.phase).toBe('Terminating');
    const refused = await c.post(CM('doomed'), configMap('late'));
    expect(refused.status).toBe(403);
    await gone(`${CM('doomed')}/inside`);
    expect((await c.get('/api/v1/namespaces/doomed')).status).toBe(200);
    await c.patch(`${SBS('doomed')}/held`, { metadata: { finalizers: null } });
    await gone('/api/v1/namespaces/doomed');
  });
});
