// kube-runtime against a real (embedded) API server: clients, conflicts, informers, leader election.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_VERSION, buildAllCustomResourceDefinitions, type Sandbox } from '@kruise-agents/api';
import { startApiServer, type ApiServer } from '@kruise-agents/kube-lite';
import {
  EventBroadcaster,
  Informer,
  KubeApiError,
  KubeClient,
  LeaderElector,
  Resources,
  isConflict,
  objectReference,
  type Lease,
} from '../src';

let server: ApiServer;
let kube: KubeClient;

beforeAll(async () => {
  server = await startApiServer({ crds: buildAllCustomResourceDefinitions() });
  kube = KubeClient.fromSource({ kubeconfigYaml: server.kubeconfig });
});

afterAll(async () => {
  kube.close();
  await server.close();
});

const sandbox = (name: string, labels: Record<string, string> = {}): Sandbox => ({
  apiVersion: API_VERSION,
  kind: 'Sandbox',
  metadata: { name, namespace: 'default', labels },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'demo' }] } } },
});

const until = async (check: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ResourceClient', () => {
  it('creates, reads, updates status and deletes', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    const created = await sandboxes.create(sandbox('crud'));
    expect(created.metadata.uid).toBeTruthy();
    const withStatus = await sandboxes.updateStatus({ ...created, status: { phase: 'Running' } });
    expect(withStatus.status?.phase).toBe('Running');
    expect((await sandboxes.get('default', 'crud')).status?.phase).toBe('Running');
    await sandboxes.delete('default', 'crud');
    expect(await sandboxes.find('default', 'crud')).toBeUndefined();
    expect(await sandboxes.deleteIfExists('default', 'crud')).toBe(false);
  });

  it('rejects a write from a stale copy with a Conflict: one winner per resourceVersion', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    const original = await sandboxes.create(sandbox('race'));
    const writes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        sandboxes.update({ ...original, metadata: { ...original.metadata, labels: { winner: String(i) } } }),
      ),
    );
    expect(writes.filter((w) => w.status === 'fulfilled')).toHaveLength(1);
    for (const w of writes) if (w.status === 'rejected') expect(isConflict(w.reason)).toBe(true);
  });

  it('reports the API server status as a typed error naming the field', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    const bad = { ...sandbox('bad'), spec: { template: 'not an object' } } as unknown as Sandbox;
    const error = await sandboxes.create(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(422);
    expect((error as KubeApiError).message).toMatch(/spec\.template/);
  });

  it('lists across pages and filters by label', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    for (let i = 0; i < 7; i++) await sandboxes.create(sandbox(`page-${i}`, { group: 'paged' }));
    const list = await sandboxes.list('default', { labelSelector: 'group=paged', limit: 3 });
    expect(list.items.map((s) => s.metadata.name).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
  });
});

describe('Informer', () => {
  it('syncs, follows changes through its indexes, and sees deletes', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    await sandboxes.create(sandbox('inf-a', { pool: 'p1' }));
    const controller = new AbortController();
    const informer = new Informer({
      client: sandboxes,
      namespace: 'default',
      indexers: { pool: (s) => (s.metadata.labels?.pool ? [s.metadata.labels.pool] : []) },
    });
    const seen: string[] = [];
    informer.on({
      add: (s) => seen.push(`add:${s.metadata.name}`),
      update: (_o, s) => seen.push(`update:${s.metadata.name}`),
      delete: (s) => seen.push(`delete:${s.metadata.name}`),
    });
    informer.start(controller.signal);
    await informer.waitForSync();
    expect(informer.byIndex('pool', 'p1').map((s) => s.metadata.name)).toEqual(['inf-a']);

    const b = await sandboxes.create(sandbox('inf-b', { pool: 'p1' }));
    await until(() => informer.byIndex('pool', 'p1').length === 2, 'inf-b in the index');
    await sandboxes.update({ ...b, metadata: { ...b.metadata, labels: { pool: 'p2' } } });
    await until(() => informer.byIndex('pool', 'p2').length === 1, 'inf-b moved to p2');
    expect(informer.byIndex('pool', 'p1').map((s) => s.metadata.name)).toEqual(['inf-a']);
    await sandboxes.delete('default', 'inf-b');
    await until(() => informer.get('default', 'inf-b') === undefined, 'inf-b deleted');
    expect(seen).toEqual(expect.arrayContaining(['add:inf-a', 'add:inf-b', 'update:inf-b', 'delete:inf-b']));
    controller.abort();
    await informer.stopped();
  });

  it('resumes after its watch is closed by the server and misses nothing', async () => {
    const sandboxes = kube.resource(Resources.Sandbox);
    const controller = new AbortController();
    const informer = new Informer({
      client: sandboxes,
      namespace: 'default',
      labelSelector: 'resume=yes',
      watchTimeoutSeconds: 1,
    });
    informer.start(controller.signal);
    await informer.waitForSync();
    for (let i = 0; i < 5; i++) {
      await sandboxes.create(sandbox(`resume-${i}`, { resume: 'yes' }));
      await new Promise((r) => setTimeout(r, 400));
    }
    await until(() => informer.list().length === 5, 'all five');
    expect(informer.stats.watches).toBeGreaterThan(1);
    expect(informer.stats.lists).toBe(1);
    controller.abort();
    await informer.stopped();
  });
});

describe('LeaderElector', () => {
  it('elects exactly one leader, and a successor takes over after a clean release', async () => {
    const leases = kube.resource<Lease>(Resources.Lease);
    const opts = {
      client: leases,
      namespace: 'default',
      name: 'operator',
      leaseDurationMs: 2000,
      retryPeriodMs: 100,
      renewDeadlineMs: 1500,
    };
    const leading = new Set<string>();
    const first = new AbortController();
    const second = new AbortController();
    const a = new LeaderElector({ ...opts, identity: 'a' });
    const b = new LeaderElector({ ...opts, identity: 'b' });
    const runA = a.run(first.signal, {
      onStartedLeading: () => leading.add('a'),
      onStoppedLeading: () => leading.delete('a'),
    });
    await until(() => leading.has('a'), 'a leads');
    const runB = b.run(second.signal, {
      onStartedLeading: () => leading.add('b'),
      onStoppedLeading: () => leading.delete('b'),
    });
    await new Promise((r) => setTimeout(r, 500));
    expect([...leading]).toEqual(['a']);
    first.abort();
    await runA;
    await until(() => leading.has('b'), 'b takes over', 5000);
    expect([...leading]).toEqual(['b']);
    expect((await leases.get('default', 'operator')).spec.holderIdentity).toBe('b');
    second.abort();
    await runB;
  });
});

describe('EventBroadcaster', () => {
  it('writes core/v1 Events that a field-selector list by involvedObject finds, repeats as one with a count', async () => {
    const created = await kube.resource(Resources.Sandbox).create(sandbox('with-events'));
    const broadcaster = new EventBroadcaster({ sink: kube.resource(Resources.Event), instance: 'test-host' });
    const recorder = broadcaster.recorder('sandbox-controller');
    const ref = objectReference(Resources.Sandbox, created);
    recorder.event(ref, 'Normal', 'SandboxRunning', 'running');
    await broadcaster.flush();
    recorder.event(ref, 'Normal', 'SandboxRunning', 'running');
    recorder.event(ref, 'Warning', 'RuntimeInitFailed', 'no runtime');
    await broadcaster.flush();
    expect(broadcaster.stats()).toMatchObject({ failed: 0, written: 3 });
    // The query `kubectl describe` sends.
    const fieldSelector = `involvedObject.name=with-events,involvedObject.namespace=default,involvedObject.kind=Sandbox,involvedObject.uid=${created.metadata.uid}`;
    const events = await kube.resource(Resources.Event).list('default', { fieldSelector });
    const byReason = Object.fromEntries(events.items.map((e) => [e.reason, e]));
    expect(Object.keys(byReason).sort()).toEqual(['RuntimeInitFailed', 'SandboxRunning']);
    expect(byReason.SandboxRunning).toMatchObject({
      count: 2,
      type: 'Normal',
      reportingComponent: 'sandbox-controller',
      reportingInstance: 'test-host',
      involvedObject: { resourceVersion: created.metadata.resourceVersion, apiVersion: 'agents.kruise.io/v1alpha1' },
    });
    expect(byReason.RuntimeInitFailed).toMatchObject({ count: 1, type: 'Warning', message: 'no runtime' });
    await broadcaster.close();
  });
});
