/** CRDs: serving, structural-schema validation (422 with field paths), defaulting, pruning, scale, Table, cleanup. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GROUP_PATH, SBS, sandboxSet, startClient, eventually, type Client, type Json } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

const SBC = `${GROUP_PATH}/namespaces/default/sandboxclaims`;
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const widgetCrd = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    scope: 'Cluster',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 3 } } } },
          },
        },
        ...extra,
      },
    ],
  },
});

describe('CustomResourceDefinitions', () => {
  it('are established at once and their resources served at the group-version', async () => {
    const crd = await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd());
    expect(crd.status).toBe(201);
    const conditions = crd.body.status.conditions.map((x: Json) => `${x.type}=${x.status}`);
    expect(conditions).toEqual(expect.arrayContaining(['Established=True', 'NamesAccepted=True']));
    expect(crd.body.status.acceptedNames).toMatchObject({ kind: 'Widget', plural: 'widgets', listKind: 'WidgetList' });
    const w = await c.post('/apis/example.com/v1/widgets', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: {},
    });
    expect(w.status).toBe(201);
    expect(w.body.spec.size).toBe(3);
    const list = await c.get('/apis/example.com/v1');
    expect(list.body.resources[0]).toMatchObject({
      name: 'widgets',
      kind: 'Widget',
      namespaced: false,
      shortNames: ['wd'],
    });
  });

  it('deleting a CRD deletes its objects first, then stops serving them', async () => {
    await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      ...widgetCrd(),
      metadata: { name: 'gadgets.example.com' },
      spec: { ...widgetCrd().spec, names: { plural: 'gadgets', kind: 'Gadget' } },
    });
    await c.post('/apis/example.com/v1/gadgets', { metadata: { name: 'g1' }, spec: {} });
    const d = await c.del('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    expect(d.status).toBe(200);
    await eventually(
      async () =>
        (await c.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')).status === 404,
    );
    expect((await c.get('/apis/example.com/v1/gadgets')).status).toBe(404);
  });

  it('422 for an invalid CRD', async () => {
    const r = await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      ...widgetCrd(),
      metadata: { name: 'wrong.example.com' },
    });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('metadata.name');
  });
});

describe('validation against the structural schema', () => {
  it('422 Invalid with every failing field path', async () => {
    const r = await c.post(
      SBS(),
      sandboxSet('bad', {}, { replicas: -1, pauseStrategy: { type: 'Nap' }, persistentContents: 'ip' }),
    );
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    const fields = r.body.details.causes.map((x: Json) => `${x.field}:${x.reason}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.replicas:FieldValueInvalid',
        'spec.pauseStrategy.type:FieldValueNotSupported',
        'spec.persistentContents:FieldValueTypeInvalid',
      ]),
    );
    expect(r.body.message).toContain(
      'spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
    );
    expect(r.body.message).toContain(
      'spec.pauseStrategy.type: Unsupported value: "Nap": supported values: "Stop", "Freeze", "Hibernate"',
    );
  });

  it('required fields, patterns and int-or-string', async () => {
    const noTemplate = await c.post(SBC, {
      apiVersion: 'agents.kruise.io/v1alpha1',
      kind: 'SandboxClaim',
      metadata: { name: 'c1' },
      spec: {},
    });
    expect(noTemplate.status).toBe(422);
    expect(noTemplate.body.details.causes[0]).toMatchObject({
      field: 'spec.templateName',
      reason: 'FieldValueRequired',
    });
    const pattern = await c.post(SBC, { metadata: { name: 'c2' }, spec: { templateName: 'x', claimTimeout: 'soon' } });
    expect(pattern.status).toBe(422);
    expect(pattern.body.details.causes[0].field).toBe('spec.claimTimeout');
    const ios = await c.post(SBS(), sandboxSet('ios', {}, { scaleStrategy: { maxUnavailable: true } }));
    expect(ios.status).toBe(422);
    expect(ios.body.details.causes[0].field).toBe('spec.scaleStrategy.maxUnavailable');
    const ok = await c.post(SBS(), sandboxSet('ios-ok', {}, { scaleStrategy: { maxUnavailable: '10%' } }));
    expect(ok.status).toBe(201);
  });
});

describe('defaulting and pruning', () => {
  it('applies schema defaults on create', async () => {
    const r = await c.post(SBC, { metadata: { name: 'defaults' }, spec: { templateName: 'pool' } });
    expect(r.status).toBe(201);
    expect(r.body.spec).toMatchObject({
      replicas: 1,
      claimTimeout: '1m',
      ttlAfterCompleted: '60m',
      createOnNoStock: true,
      waitReadyTimeout: '30s',
    });
    const s = await c.post(SBS(), sandboxSet('defaults'));
    expect(s.body.spec.updateStrategy).toEqual({ maxUnavailable: '20%' });
  });

  it('prunes unknown fields (keeping x-kubernetes-preserve-unknown-fields subtrees) and warns', async () => {
    const r = await c.post(
      SBS(),
      sandboxSet('prune', { bogusMeta: 1 }, { bogus: 1, template: { anything: { goes: true } } }),
    );
    expect(r.status).toBe(201);
    expect(r.body.spec.bogus).toBeUndefined();
    expect(r.body.metadata.bogusMeta).toBeUndefined();
    expect(r.body.spec.template).toEqual({ anything: { goes: true } });
    expect(r.headers.get('warning')).toContain('unknown field \\"spec.bogus\\"');
  });

  it('fieldValidation=Strict rejects unknown fields with 400', async () => {
    const r = await c.request('POST', `${SBS()}?fieldValidation=Strict`, sandboxSet('strict', {}, { bogus: 1 }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('strict decoding error: unknown field "spec.bogus"');
  });
});

describe('scale subresource', () => {
  it('reads and writes spec.replicas through autoscaling/v1 Scale', async () => {
    await c.post(SBS(), sandboxSet('scaled'));
    await c.patch(`${SBS()}/scaled/status`, { status: { replicas: 1, selector: 'pool=scaled' } });
    const scale = await c.get(`${SBS()}/scaled/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'pool=scaled' },
    });
    const put = await c.put(`${SBS()}/scaled/scale`, { ...scale.body, spec: { replicas: 4 } });
    expect(put.status).toBe(200);
    expect(put.body.spec.replicas).toBe(4);
    const patched = await c.patch(`${SBS()}/scaled/scale`, { spec: { replicas: 6 } });
    expect(patched.body.spec.replicas).toBe(6);
    expect((await c.get(`${SBS()}/scaled`)).body.spec.replicas).toBe(6);
    const stale = await c.put(`${SBS()}/scaled/scale`, { ...scale.body, spec: { replicas: 2 } });
    expect(stale.status).toBe(409);
  });
});

describe('Table output', () => {
  it('shows Name plus the printer columns, priority kept, with PartialObjectMetadata rows', async () => {
    await c.post(SBS(), sandboxSet('tbl', { labels: { tier: 'gold' } }, { replicas: 2 }));
    const r = await c.get(`${SBS()}?labelSelector=tier%3Dgold`, { Accept: TABLE });
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('Table');
    expect(r.body.apiVersion).toBe('meta.k8s.io/v1');
    const cols = r.body.columnDefinitions.map((x: Json) => `${x.name}/${x.priority}`);
    expect(cols).toEqual(['Name/0', 'Desired/0', 'Available/0', 'Updated/0', 'Age/0', 'Replicas/1', 'Revision/1']);
    expect(r.body.rows).toHaveLength(1);
    expect(r.body.rows[0].cells.slice(0, 4)).toEqual(['tbl', 2, null, null]);
    expect(r.body.rows[0].cells[4]).toMatch(/^\d+s$/);
    expect(r.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'tbl' } });
  });

  it('serves built-in columns for pods and a single object as a one-row table', async () => {
    const r = await c.get('/api/v1/namespaces', { Accept: TABLE });
    expect(r.body.columnDefinitions.map((x: Json) => x.name)).toEqual(['Name', 'Status', 'Age']);
    const one = await c.get('/api/v1/namespaces/default', { Accept: TABLE });
    expect(one.body.rows).toHaveLength(1);
    expect(one.body.rows[0].cells[1]).toBe('Active');
  });
});

describe('x-kubernetes-validations (CEL)', () => {
  it('enforces rules on create: exactly one of template and templateRef', async () => {
    const both = await c.post(SBS(), sandboxSet('cel-both', {}, { templateRef: { name: 'x' } }));
    expect(both.status).toBe(422);
    expect(both.body.details.causes[0]).toMatchObject({
      field: 'spec',
      message: 'Invalid value: "object": must set exactly one of template and templateRef',
    });
    const claim = await c.post(SBC, {
      metadata: { name: 'cel-timeout' },
      spec: { templateName: 'x', claimTimeout: '10ms' },
    });
    expect(claim.status).toBe(422);
    expect(claim.body.details.causes[0]).toMatchObject({
      field: 'spec.claimTimeout',
      message: 'Invalid value: "string": must be greater than or equal to 1s',
    });
  });

  it('enforces transition rules on update only: replicas is immutable', async () => {
    const created = await c.post(SBC, { metadata: { name: 'cel-imm' }, spec: { templateName: 'x', replicas: 2 } });
    expect(created.status).toBe(201);
    const changed = await c.patch(`${SBC}/cel-imm`, { spec: { replicas: 3 } });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toContain('spec.replicas: Invalid value: "integer": replicas is immutable');
    const other = await c.patch(`${SBC}/cel-imm`, { spec: { waitReadyTimeout: '45s' } });
    expect(other.status).toBe(200);
  });
});
