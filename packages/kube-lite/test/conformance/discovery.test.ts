/** Discovery and OpenAPI v3: what kubectl reads before it does anything. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startClient, type Client, type Json } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

describe('discovery', () => {
  it('/version is served without a token', async () => {
    const r = await fetch(`${c.server.url}/version`);
    expect(await r.json()).toMatchObject({ major: '1', minor: '32' });
  });

  it('/api lists v1; /api/v1 lists the core resources with verbs, short names, categories and subresources', async () => {
    expect((await c.get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = await c.get('/api/v1');
    expect(v1.body.kind).toBe('APIResourceList');
    const byName = Object.fromEntries(v1.body.resources.map((r: Json) => [r.name, r]));
    for (const name of [
      'namespaces',
      'pods',
      'events',
      'secrets',
      'configmaps',
      'services',
      'persistentvolumes',
      'persistentvolumeclaims',
    ]) {
      expect(byName[name]).toBeDefined();
    }
    expect(byName.pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(byName['pods/status']).toMatchObject({ verbs: ['get', 'patch', 'update'] });
    expect(byName['pods/resize']).toBeDefined();
    expect(byName.namespaces.namespaced).toBe(false);
  });

  it('/apis lists the groups with preferred versions; each group and group-version is served', async () => {
    const apis = await c.get('/apis');
    const names = apis.body.groups.map((g: Json) => g.name);
    expect(names).toEqual(expect.arrayContaining(['coordination.k8s.io', 'apiextensions.k8s.io', 'agents.kruise.io']));
    const ours = apis.body.groups.find((g: Json) => g.name === 'agents.kruise.io');
    expect(ours.preferredVersion).toEqual({ groupVersion: 'agents.kruise.io/v1alpha1', version: 'v1alpha1' });
    expect((await c.get('/apis/agents.kruise.io')).body.kind).toBe('APIGroup');
    const gv = await c.get('/apis/agents.kruise.io/v1alpha1');
    const sbs = gv.body.resources.find((r: Json) => r.name === 'sandboxsets');
    expect(sbs).toMatchObject({ kind: 'SandboxSet', shortNames: ['sbs'], categories: ['all', 'kruise-agents'] });
    const scale = gv.body.resources.find((r: Json) => r.name === 'sandboxsets/scale');
    expect(scale).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
    expect((await c.get('/apis/coordination.k8s.io/v1')).body.resources[0].name).toBe('leases');
    expect((await c.get('/apis/nope.example.com/v1')).status).toBe(404);
  });
});

describe('OpenAPI v3', () => {
  it('indexes each group-version with a hashed URL', async () => {
    const index = await c.get('/openapi/v3');
    expect(index.body.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    expect(index.body.paths['apis/agents.kruise.io/v1alpha1']).toBeDefined();
  });

  it('publishes the CRD schemas with their GVK, and fieldValidation on PATCH operations', async () => {
    const doc = await c.get('/openapi/v3/apis/agents.kruise.io/v1alpha1');
    const schema = doc.body.components.schemas['io.kruise.agents.v1alpha1.SandboxSet'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'agents.kruise.io', version: 'v1alpha1', kind: 'SandboxSet' },
    ]);
    expect(schema.properties.spec.properties.replicas.type).toBe('integer');
    const item = doc.body.paths['/apis/agents.kruise.io/v1alpha1/namespaces/{namespace}/sandboxsets/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'agents.kruise.io',
      version: 'v1alpha1',
      kind: 'SandboxSet',
    });
    expect(item.patch.parameters.map((p: Json) => p.name)).toContain('fieldValidation');
  });
});
