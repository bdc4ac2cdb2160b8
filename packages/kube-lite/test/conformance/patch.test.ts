/** PATCH: JSON merge patch, JSON patch, strategic merge patch (built-in types) and server-side apply. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CM, configMap, SBS, sandboxSet, startClient, type Client, type Json } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

const APPLY = 'application/apply-patch+yaml';
const POD = (name = '') => `/api/v1/namespaces/default/pods${name ? '/' + name : ''}`;

describe('merge patch', () => {
  it('merges maps, deletes with null, replaces lists', async () => {
    await c.post(CM(), configMap('mp', { a: '1', b: '2' }, { labels: { x: 'y' } }));
    const r = await c.patch(`${CM()}/mp`, { data: { b: null, c: '3' }, metadata: { labels: { z: 'w' } } });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ a: '1', c: '3' });
    expect(r.body.metadata.labels).toEqual({ x: 'y', z: 'w' });
  });

  it('a resourceVersion in the patch is a precondition (409 when stale)', async () => {
    const a = await c.post(CM(), configMap('mp-rv'));
    await c.patch(`${CM()}/mp-rv`, { data: { a: '2' } });
    const r = await c.patch(`${CM()}/mp-rv`, {
      metadata: { resourceVersion: a.body.metadata.resourceVersion },
      data: { a: '3' },
    });
    expect(r.status).toBe(409);
  });

  it('404 for a missing object; schema still validated (422)', async () => {
    expect((await c.patch(`${CM()}/missing`, { data: {} })).status).toBe(404);
    await c.post(SBS(), sandboxSet('mp-422'));
    const r = await c.patch(`${SBS()}/mp-422`, { spec: { replicas: 'many' } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('spec.replicas');
  });
});

describe('JSON patch', () => {
  it('applies add/replace/remove/test operations', async () => {
    await c.post(SBS(), sandboxSet('jp', { labels: { a: 'b' } }));
    const r = await c.patch(
      `${SBS()}/jp`,
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels/c', value: 'd' },
        { op: 'remove', path: '/metadata/labels/a' },
      ],
      'application/json-patch+json',
    );
    expect(r.status).toBe(200);
    expect(r.body.spec.replicas).toBe(4);
    expect(r.body.metadata.labels).toEqual({ c: 'd' });
  });

  it('422 when an operation does not apply (failed test, missing path); 400 when malformed', async () => {
    await c.post(SBS(), sandboxSet('jp-fail'));
    const t = await c.patch(
      `${SBS()}/jp-fail`,
      [{ op: 'test', path: '/spec/replicas', value: 9 }],
      'application/json-patch+json',
    );
    expect(t.status).toBe(422);
    const m = await c.patch(`${SBS()}/jp-fail`, [{ op: 'remove', path: '/spec/nope' }], 'application/json-patch+json');
    expect(m.status).toBe(422);
    const bad = await c.patch(`${SBS()}/jp-fail`, { op: 'remove' }, 'application/json-patch+json');
    expect(bad.status).toBe(400);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and env by name; finalizers as a set', async () => {
    await c.post(POD(), {
      metadata: { name: 'smp', finalizers: ['a.example.com/x'] },
      spec: {
        containers: [
          { name: 'a', image: 'one:1', env: [{ name: 'X', value: '1' }] },
          { name: 'b', image: 'two:1' },
        ],
      },
    });
    const r = await c.patch(
      POD('smp'),
      { metadata: { finalizers: ['b.example.com/y'] }, spec: { containers: [{ name: 'a', image: 'one:2' }] } },
      'application/strategic-merge-patch+json',
    );
    expect(r.status).toBe(200);
    expect(r.body.spec.containers.map((x: Json) => `${x.name}=${x.image}`)).toEqual(['a=one:2', 'b=two:1']);
    expect(r.body.spec.containers[0].env).toEqual([{ name: 'X', value: '1' }]);
    expect(r.body.metadata.finalizers).toEqual(['a.example.com/x', 'b.example.com/y']);
    const del = await c.patch(
      POD('smp'),
      {
        metadata: {
          $deleteFromPrimitiveList: undefined,
          '$deleteFromPrimitiveList/finalizers': ['a.example.com/x', 'b.example.com/y'],
        },
      },
      'application/strategic-merge-patch+json',
    );
    expect(del.body.metadata.finalizers ?? []).toEqual([]);
  });

  it('is refused for custom resources with 415', async () => {
    await c.post(SBS(), sandboxSet('smp-cr'));
    const r = await c.patch(`${SBS()}/smp-cr`, { spec: { replicas: 2 } }, 'application/strategic-merge-patch+json');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });
});

describe('server-side apply', () => {
  const applied = (replicas: number, labels: Record<string, string> = { team: 'a' }) =>
    JSON.stringify({ ...sandboxSet('ssa', { labels }), spec: { replicas, template: {} } });

  it('creates the object (201), records the manager, and updates it (200)', async () => {
    const created = await c.patch(`${SBS()}/ssa?fieldManager=alice`, applied(1), APPLY);
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields[0]).toMatchObject({ manager: 'alice', operation: 'Apply' });
    expect(created.body.metadata.managedFields[0].fieldsV1['f:spec']).toHaveProperty('f:replicas');
    const updated = await c.patch(`${SBS()}/ssa?fieldManager=alice`, applied(2), APPLY);
    expect(updated.status).toBe(200);
    expect(updated.body.spec.replicas).toBe(2);
  });

  it('409 Conflict when another manager owns the field; force=true takes it over', async () => {
    const conflict = await c.patch(`${SBS()}/ssa?fieldManager=bob`, applied(5), APPLY);
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain('conflict with "alice"');
    expect(conflict.body.details.causes[0]).toMatchObject({ reason: 'FieldManagerConflict', field: '.spec.replicas' });
    const forced = await c.patch(`${SBS()}/ssa?fieldManager=bob&force=true`, applied(5), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
  });

  it('removes fields a manager stops applying', async () => {
    await c.patch(
      `${SBS()}/ssa?fieldManager=carol`,
      JSON.stringify({ ...sandboxSet('ssa', { labels: { carol: 'yes' } }), spec: undefined }),
      APPLY,
    );
    const dropped = await c.patch(
      `${SBS()}/ssa?fieldManager=carol`,
      JSON.stringify({ apiVersion: 'agents.kruise.io/v1alpha1', kind: 'SandboxSet', metadata: { name: 'ssa' } }),
      APPLY,
    );
    expect(dropped.status).toBe(200);
    expect(dropped.body.metadata.labels.carol).toBeUndefined();
    expect(dropped.body.metadata.labels.team).toBe('a');
  });

  it('accepts YAML and requires a fieldManager', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  k: v\n';
    expect((await c.patch(`${CM()}/ssa-yaml`, yaml, APPLY)).status).toBe(400);
    const r = await c.patch(`${CM()}/ssa-yaml?fieldManager=me`, yaml, APPLY);
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ k: 'v' });
  });
});
