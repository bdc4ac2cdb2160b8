/**
 * End to end with @kubernetes/client-node 2: typed and custom-object APIs, the generic object API (which reads
 * discovery), errors as ApiException with the Status body, patch strategies, server-side apply, Watch and informers.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer } from '../../src/index';
import { CRDS, eventually, sleep, type Json } from '../helpers';

let server: ApiServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;

const G = { group: 'agents.kruise.io', version: 'v1alpha1', namespace: 'default', plural: 'sandboxsets' };
const sbs = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'agents.kruise.io/v1alpha1',
  kind: 'SandboxSet',
  metadata: { name, labels },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
});
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: Json }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof k8s.ApiException) return { code: error.code, body: JSON.parse(error.body as string) };
    throw error;
  }
  throw new Error('expected an ApiException');
}

beforeAll(async () => {
  server = await startApiServer({ crds: CRDS, tls: false, watch: { historySize: 100 } });
  kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});
afterAll(() => server.close());

describe('client-node typed APIs', () => {
  it('create, read, list with a label selector, replace, delete', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cn-1', labels: { app: 'x' } }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toBeDefined();
    const read = await core.readNamespacedConfigMap({ name: 'cn-1', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=x' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['cn-1']);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'cn-1',
      namespace: 'default',
      body: { ...read, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    const stale = await apiError(
      core.replaceNamespacedConfigMap({ name: 'cn-1', namespace: 'default', body: { ...read, data: { a: '3' } } }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const status = await core.deleteNamespacedConfigMap({ name: 'cn-1', namespace: 'default' });
    expect(status.status).toBe('Success');
    const missing = await apiError(core.readNamespacedConfigMap({ name: 'cn-1', namespace: 'default' }));
    expect(missing.code).toBe(404);
  });

  it('pods with status updates, leases and events', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'cn-pod' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const patched = await core.patchNamespacedPodStatus(
      { name: 'cn-pod', namespace: 'default', body: { status: { phase: 'Running', podIP: '10.0.0.5' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.status?.phase).toBe('Running');
    const leases = kc.makeApiClient(k8s.CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: 'default',
      body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
    });
    const renewed = await leases.replaceNamespacedLease({
      name: 'leader',
      namespace: 'default',
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } },
    });
    expect(renewed.spec?.holderIdentity).toBe('b');
    const event = await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'cn-pod.' },
        involvedObject: { kind: 'Pod', name: 'cn-pod', namespace: 'default' },
        reason: 'Started',
        message: 'hi',
        type: 'Normal',
      },
    });
    expect(event.metadata?.name).toMatch(/^cn-pod\./);
  });
});

describe('client-node custom objects', () => {
  it('create (defaults applied), get, merge-patch, patch status, list by label', async () => {
    const created = (await custom.createNamespacedCustomObject({ ...G, body: sbs('cn-sbs', { team: 'a' }) })) as Json;
    expect(created.spec.updateStrategy).toEqual({ maxUnavailable: '20%' });
    await custom.patchNamespacedCustomObject({ ...G, name: 'cn-sbs', body: { spec: { replicas: 3 } } }, merge);
    await custom.patchNamespacedCustomObjectStatus(
      { ...G, name: 'cn-sbs', body: { status: { replicas: 2, availableReplicas: 1 } } },
      merge,
    );
    const got = (await custom.getNamespacedCustomObject({ ...G, name: 'cn-sbs' })) as Json;
    expect(got.spec.replicas).toBe(3);
    expect(got.status).toMatchObject({ replicas: 2, availableReplicas: 1 });
    expect(got.metadata.generation).toBe(2);
    const list = (await custom.listNamespacedCustomObject({ ...G, labelSelector: 'team=a' })) as Json;
    expect(list.items.map((i: Json) => i.metadata.name)).toEqual(['cn-sbs']);
  });

  it('422 Invalid arrives as an ApiException with the causes', async () => {
    const bad = sbs('cn-bad');
    (bad.spec as Json).replicas = -2;
    const e = await apiError(custom.createNamespacedCustomObject({ ...G, body: bad }));
    expect(e.code).toBe(422);
    expect(e.body.details.causes[0]).toMatchObject({ field: 'spec.replicas', reason: 'FieldValueInvalid' });
  });

  it('the generic object API (discovery-driven), with server-side apply', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = { ...sbs('cn-generic'), metadata: { name: 'cn-generic', namespace: 'default' } };
    await objects.create(spec);
    const read = (await objects.read({
      apiVersion: spec.apiVersion,
      kind: spec.kind,
      metadata: { name: 'cn-generic', namespace: 'default' },
    })) as Json;
    expect(read.spec.replicas).toBe(1);
    const applied = (await objects.patch(
      { ...spec, spec: { ...spec.spec, replicas: 4 } },
      undefined,
      undefined,
      'cn-test',
      true,
      k8s.PatchStrategy.ServerSideApply,
    )) as Json;
    expect(applied.spec.replicas).toBe(4);
    expect(applied.metadata.managedFields.some((m: Json) => m.manager === 'cn-test')).toBe(true);
    await objects.delete(spec);
  });

  it('deletion with finalizers and foreground propagation', async () => {
    const owner = (await custom.createNamespacedCustomObject({ ...G, body: sbs('cn-owner') })) as Json;
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        metadata: {
          name: 'cn-dep',
          ownerReferences: [
            {
              apiVersion: owner.apiVersion,
              kind: owner.kind,
              name: 'cn-owner',
              uid: owner.metadata.uid,
              blockOwnerDeletion: true,
            },
          ],
        },
      },
    });
    await custom.deleteNamespacedCustomObject({ ...G, name: 'cn-owner', propagationPolicy: 'Foreground' });
    await eventually(
      async () => (await apiError(core.readNamespacedConfigMap({ name: 'cn-dep', namespace: 'default' }))).code === 404,
    );
    await eventually(
      async () => (await apiError(custom.getNamespacedCustomObject({ ...G, name: 'cn-owner' }))).code === 404,
    );
  });
});

describe('client-node Watch and informers', () => {
  it('Watch streams ADDED, MODIFIED and DELETED from a resourceVersion', async () => {
    const list = (await custom.listNamespacedCustomObject(G)) as Json;
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      '/apis/agents.kruise.io/v1alpha1/namespaces/default/sandboxsets',
      { resourceVersion: list.metadata.resourceVersion },
      (type, obj: Json) => events.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await custom.createNamespacedCustomObject({ ...G, body: sbs('cn-watched') });
    await custom.patchNamespacedCustomObject({ ...G, name: 'cn-watched', body: { spec: { replicas: 2 } } }, merge);
    await custom.deleteNamespacedCustomObject({ ...G, name: 'cn-watched' });
    await eventually(() => events.length >= 3);
    req.abort();
    expect(events).toEqual(['ADDED cn-watched', 'MODIFIED cn-watched', 'DELETED cn-watched']);
  });

  it('an informer lists, then follows changes, and recovers from 410 Expired by relisting', async () => {
    const path = '/apis/agents.kruise.io/v1alpha1/namespaces/default/sandboxsets';
    const informer = k8s.makeInformer<Json>(
      kc,
      path,
      () => custom.listNamespacedCustomObject({ ...G, labelSelector: 'inf=yes' }) as Promise<Json>,
      'inf=yes',
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata.name}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata.name}`));
    await custom.createNamespacedCustomObject({ ...G, body: sbs('inf-1', { inf: 'yes' }) });
    await informer.start();
    await eventually(() => seen.includes('add inf-1'));
    await custom.createNamespacedCustomObject({ ...G, body: sbs('inf-2', { inf: 'yes' }) });
    await custom.patchNamespacedCustomObject({ ...G, name: 'inf-1', body: { spec: { replicas: 5 } } }, merge);
    await custom.deleteNamespacedCustomObject({ ...G, name: 'inf-2' });
    await eventually(
      () => seen.includes('add inf-2') && seen.includes('update inf-1') && seen.includes('delete inf-2'),
    );
    expect(informer.get('inf-1', 'default')?.spec.replicas).toBe(5);

    // Restart the informer from a resourceVersion the history no longer covers: it must relist and catch up.
    await informer.stop();
    // Churn the same type (histories are per type) past the 100 events kept, outside the informer's selector.
    for (let i = 0; i < 120; i++) await custom.createNamespacedCustomObject({ ...G, body: sbs(`churn-${i}`) });
    await custom.patchNamespacedCustomObject({ ...G, name: 'inf-1', body: { spec: { replicas: 6 } } }, merge);
    const expiredBefore = server.stats().expiredWatches;
    await informer.start();
    await eventually(() => informer.get('inf-1', 'default')?.spec.replicas === 6);
    expect(server.stats().expiredWatches).toBe(expiredBefore + 1);
    await informer.stop();
    await sleep(10);
  });
});

describe('client-node over TLS', () => {
  it('trusts the self-signed certificate from the kubeconfig', async () => {
    const tls = await startApiServer({ tls: true });
    try {
      const k = new k8s.KubeConfig();
      k.loadFromString(tls.kubeconfig);
      expect(tls.url).toMatch(/^https:/);
      const ns = await k.makeApiClient(k8s.CoreV1Api).listNamespace();
      expect(ns.items.map((n) => n.metadata?.name)).toContain('default');
    } finally {
      await tls.close();
    }
  });
});
