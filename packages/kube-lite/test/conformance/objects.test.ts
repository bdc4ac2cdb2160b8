/** Object semantics (API conventions: metadata, concurrency, generation, status) and the error Status codes. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CM, configMap, SBS, sandboxSet, startClient, type Client, type Json } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

describe('create', () => {
  it('fills in uid, creationTimestamp, resourceVersion, namespace, apiVersion and kind; 201 Created', async () => {
    const r = await c.post(CM(), { metadata: { name: 'create-1' }, data: { a: '1' } });
    expect(r.status).toBe(201);
    expect(r.body.apiVersion).toBe('v1');
    expect(r.body.kind).toBe('ConfigMap');
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.body.metadata.namespace).toBe('default');
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('generateName appends a random suffix', async () => {
    const a = await c.post(CM(), { metadata: { generateName: 'gen-' } });
    const b = await c.post(CM(), { metadata: { generateName: 'gen-' } });
    expect(a.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(b.body.metadata.name).not.toBe(a.body.metadata.name);
  });

  it('409 AlreadyExists for a taken name', async () => {
    await c.post(CM(), configMap('dup'));
    const r = await c.post(CM(), configMap('dup'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409 });
    expect(r.body.message).toBe('configmaps "dup" already exists');
  });

  it('422 Invalid for a missing or malformed name, with field paths', async () => {
    const missing = await c.post(CM(), { metadata: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'metadata.name' });
    const bad = await c.post(CM(), { metadata: { name: 'Not_Valid' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes[0].field).toBe('metadata.name');
    const label = await c.post(CM(), { metadata: { name: 'ok', labels: { 'bad key!': 'x' } } });
    expect(label.status).toBe(422);
    expect(label.body.details.causes[0].field).toBe('metadata.labels');
  });

  it('400 when the body namespace differs from the URL', async () => {
    const r = await c.post(CM(), { metadata: { name: 'x', namespace: 'kube-system' } });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('400 when the kind does not match the endpoint', async () => {
    const r = await c.post(CM(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(r.status).toBe(400);
  });

  it('404 for a namespace that does not exist', async () => {
    const r = await c.post(CM('nope'), configMap('x'));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nope" not found');
  });

  it('dryRun=All validates without storing', async () => {
    const r = await c.request('POST', `${CM()}?dryRun=All`, configMap('dry'));
    expect(r.status).toBe(201);
    expect((await c.get(`${CM()}/dry`)).status).toBe(404);
  });
});

describe('resourceVersion', () => {
  it('is one global, monotonically increasing counter across types', async () => {
    const a = await c.post(CM(), configMap('rv-a'));
    const b = await c.post(SBS(), sandboxSet('rv-b'));
    const d = await c.put(`${CM()}/rv-a`, { ...a.body, data: { a: '2' } });
    const rvs = [a, b, d].map((r) => Number(r.body.metadata.resourceVersion));
    expect(rvs[1]).toBeGreaterThan(rvs[0]!);
    expect(rvs[2]).toBeGreaterThan(rvs[1]!);
  });

  it('an update that changes nothing is not a write', async () => {
    const a = await c.post(CM(), configMap('noop'));
    const b = await c.put(`${CM()}/noop`, a.body);
    expect(b.status).toBe(200);
    expect(b.body.metadata.resourceVersion).toBe(a.body.metadata.resourceVersion);
  });
});

describe('update (optimistic concurrency)', () => {
  it('409 Conflict on a stale resourceVersion', async () => {
    const a = await c.post(CM(), configMap('occ'));
    await c.put(`${CM()}/occ`, { ...a.body, data: { a: 'new' } });
    const stale = await c.put(`${CM()}/occ`, { ...a.body, data: { a: 'stale' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain(
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('of concurrent updates from the same resourceVersion, exactly one wins', async () => {
    const a = await c.post(SBS(), sandboxSet('race'));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.put(`${SBS()}/race`, { ...a.body, spec: { ...a.body.spec, replicas: i + 2 } }),
      ),
    );
    const codes = results.map((r) => r.status).sort();
    expect(codes.filter((s) => s === 200)).toHaveLength(1);
    expect(codes.filter((s) => s === 409)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!;
    expect((await c.get(`${SBS()}/race`)).body.spec.replicas).toBe(winner.body.spec.replicas);
  });

  it('custom resources require a resourceVersion on update (422); built-ins allow unconditional updates', async () => {
    const s = await c.post(SBS(), sandboxSet('uncond'));
    const { resourceVersion: _rv, ...meta } = s.body.metadata;
    const r = await c.put(`${SBS()}/uncond`, { ...s.body, metadata: meta });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('metadata.resourceVersion');
    await c.post(CM(), configMap('uncond'));
    const u = await c.put(`${CM()}/uncond`, configMap('uncond', { a: 'x' }));
    expect(u.status).toBe(200);
  });

  it('keeps uid and creationTimestamp; 400 when the body name differs from the URL', async () => {
    const a = await c.post(CM(), configMap('keep'));
    const b = await c.put(`${CM()}/keep`, {
      ...a.body,
      metadata: { ...a.body.metadata, uid: undefined, creationTimestamp: '2000-01-01T00:00:00Z' },
      data: { z: '1' },
    });
    expect(b.body.metadata.uid).toBe(a.body.metadata.uid);
    expect(b.body.metadata.creationTimestamp).toBe(a.body.metadata.creationTimestamp);
    const wrong = await c.put(`${CM()}/keep`, { ...b.body, metadata: { ...b.body.metadata, name: 'other' } });
    expect(wrong.status).toBe(400);
  });

  it('PUT creates a missing configmap (201) but not a missing custom resource (404)', async () => {
    expect((await c.put(`${CM()}/put-create`, configMap('put-create'))).status).toBe(201);
    expect((await c.put(`${SBS()}/put-create`, sandboxSet('put-create'))).status).toBe(404);
  });
});

describe('generation and the status subresource', () => {
  it('generation starts at 1 and is bumped by spec changes only', async () => {
    const a = await c.post(SBS(), sandboxSet('gen'));
    expect(a.body.metadata.generation).toBe(1);
    const labelled = await c.patch(`${SBS()}/gen`, { metadata: { labels: { a: 'b' } } });
    expect(labelled.body.metadata.generation).toBe(1);
    const spec = await c.patch(`${SBS()}/gen`, { spec: { replicas: 5 } });
    expect(spec.body.metadata.generation).toBe(2);
    const status = await c.patch(`${SBS()}/gen/status`, { status: { replicas: 3 } });
    expect(status.body.metadata.generation).toBe(2);
    expect(status.body.status.replicas).toBe(3);
  });

  it('status is dropped on create and ignored by main-resource updates; /status changes only status', async () => {
    const a = await c.post(SBS(), { ...sandboxSet('st'), status: { replicas: 9 } });
    expect(a.body.status).toBeUndefined();
    const s = await c.put(`${SBS()}/st/status`, {
      ...a.body,
      spec: { ...a.body.spec, replicas: 7 },
      status: { replicas: 2 },
    });
    expect(s.status).toBe(200);
    expect(s.body.status.replicas).toBe(2);
    expect(s.body.spec.replicas).toBe(1);
    const m = await c.put(`${SBS()}/st`, { ...s.body, status: { replicas: 99 } });
    expect(m.body.status.replicas).toBe(2);
    const get = await c.get(`${SBS()}/st/status`);
    expect(get.body.status.replicas).toBe(2);
  });

  it('pods: status reset to Pending on create; resize changes only container resources', async () => {
    const pod = {
      metadata: { name: 'p1' },
      spec: { containers: [{ name: 'c', image: 'busybox:1', resources: { requests: { cpu: '100m' } } }] },
      status: { phase: 'Running' },
    };
    const a = await c.post('/api/v1/namespaces/default/pods', pod);
    expect(a.status).toBe(201);
    expect(a.body.status.phase).toBe('Pending');
    expect(a.body.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    const resized = await c.patch(
      '/api/v1/namespaces/default/pods/p1/resize',
      { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '200m' } } }] } },
      'application/strategic-merge-patch+json',
    );
    expect(resized.status).toBe(200);
    expect(resized.body.spec.containers[0].resources.requests.cpu).toBe('200m');
    const forbidden = await c.patch('/api/v1/namespaces/default/pods/p1', { spec: { restartPolicy: 'Never' } });
    expect(forbidden.status).toBe(422);
    expect(forbidden.body.details.causes[0].field).toBe('spec');
  });
});

describe('pods/binding', () => {
  it('sets spec.nodeName once; a second binding or a wrong uid is a conflict', async () => {
    const pod = await c.post('/api/v1/namespaces/default/pods', {
      metadata: { name: 'bind-me' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const wrongUid = await c.post('/api/v1/namespaces/default/pods/bind-me/binding', {
      metadata: { name: 'bind-me', uid: 'nope' },
      target: { kind: 'Node', name: 'n1' },
    });
    expect(wrongUid.status).toBe(409);
    const bound = await c.post('/api/v1/namespaces/default/pods/bind-me/binding', {
      metadata: { name: 'bind-me', uid: pod.body.metadata.uid },
      target: { kind: 'Node', name: 'n1' },
    });
    expect(bound.status).toBe(201);
    expect((await c.get('/api/v1/namespaces/default/pods/bind-me')).body.spec.nodeName).toBe('n1');
    const again = await c.post('/api/v1/namespaces/default/pods/bind-me/binding', {
      target: { kind: 'Node', name: 'n2' },
    });
    expect(again.status).toBe(409);
  });
});

describe('nodes', () => {
  it('keep the status sent on registration; later status goes through /status', async () => {
    const node = {
      metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/worker': '' } },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.2' }],
      },
    };
    const created = await c.post('/api/v1/nodes', node);
    expect(created.status).toBe(201);
    expect(created.body.status.conditions[0].status).toBe('True');
    const notReady = await c.patch(
      '/api/v1/nodes/node-1/status',
      { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      'application/strategic-merge-patch+json',
    );
    expect(notReady.body.status.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
    const table = await c.get('/api/v1/nodes', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(table.body.rows[0].cells.slice(0, 3)).toEqual(['node-1', 'NotReady', 'worker']);
  });
});

describe('errors are metav1.Status', () => {
  it('401 for a wrong token, 403 for no token', async () => {
    const wrong = await fetch(`${c.server.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const none = await fetch(`${c.server.url}/api/v1/namespaces`);
    expect(none.status).toBe(403);
    expect(((await none.json()) as Json).reason).toBe('Forbidden');
    expect((await fetch(`${c.server.url}/healthz`)).status).toBe(200);
  });

  it('404 NotFound for a missing object and for an unknown resource', async () => {
    const r = await c.get(`${SBS()}/missing`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      reason: 'NotFound',
      details: { name: 'missing', group: 'agents.kruise.io', kind: 'sandboxsets' },
    });
    expect(r.body.message).toBe('sandboxsets.agents.kruise.io "missing" not found');
    expect((await c.get('/api/v1/namespaces/default/widgets')).status).toBe(404);
  });

  it('405 MethodNotAllowed for PUT on a collection and POST on an object', async () => {
    expect((await c.put(CM(), configMap('x'))).status).toBe(405);
    expect((await c.post('/api/v1/configmaps', configMap('x'))).status).toBe(405);
    const r = await c.post(`${CM()}/x`, configMap('x'));
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe('MethodNotAllowed');
  });

  it('400 for a body that is not JSON', async () => {
    const r = await c.request('POST', CM(), '{nope', { 'Content-Type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('413 for a body over 3 MiB', async () => {
    const r = await c.post(CM(), configMap('big', { a: 'x'.repeat(3.5 * 1024 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.body.reason).toBe('RequestEntityTooLarge');
  });

  it('415 for an unsupported media type', async () => {
    const r = await c.request('POST', CM(), 'x', { 'Content-Type': 'application/cbor' });
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
    await c.post(CM(), configMap('patch-415'));
    const p = await c.patch(`${CM()}/patch-415`, 'x', 'text/plain');
    expect(p.status).toBe(415);
  });
});
