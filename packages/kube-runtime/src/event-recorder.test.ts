import { describe, expect, it } from '@jest/globals';
import { KubeApiError } from './errors';
import { EventBroadcaster, EventQueueFullError, objectReference, type EventSink } from './event-recorder';
import type { CoreEvent } from './objects';
import { Resources } from './resource-types';

/** A sink whose writes wait until released, recording each request. */
function fakeSink(options: { failCreate?: unknown; failPatch?: unknown } = {}) {
  const requests: Array<{ verb: 'create' | 'patch'; name: string; count: number }> = [];
  const gates: Array<() => void> = [];
  let held = false;
  const gate = () => (held ? new Promise<void>((r) => gates.push(r)) : Promise.resolve());
  const sink: EventSink = {
    async create(event: CoreEvent) {
      requests.push({ verb: 'create', name: event.metadata.name!, count: event.count });
      await gate();
      if (options.failCreate) throw options.failCreate;
      return event;
    },
    async patch(_ns, name, _type, patch) {
      requests.push({ verb: 'patch', name, count: (patch as CoreEvent).count });
      await gate();
      if (options.failPatch) throw options.failPatch;
      return {} as CoreEvent;
    },
  };
  return {
    sink,
    requests,
    hold: () => (held = true),
    release: () => {
      held = false;
      for (const g of gates.splice(0)) g();
    },
  };
}

const sandbox = {
  metadata: { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '7' },
};
const ref = objectReference(Resources.Sandbox, sandbox);

describe('objectReference', () => {
  it('names the kind and apiVersion from the resource type, with uid and resourceVersion', () => {
    expect(ref).toEqual({
      apiVersion: 'agents.kruise.io/v1alpha1',
      kind: 'Sandbox',
      namespace: 'ns',
      name: 'a',
      uid: 'u1',
      resourceVersion: '7',
    });
  });
});

describe('EventBroadcaster', () => {
  it('returns at once and writes in the background: create, then patches of the count', async () => {
    const fake = fakeSink();
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h' });
    const rec = b.recorder('sandbox-controller');
    rec.event(ref, 'Normal', 'SandboxRunning', 'running');
    expect(fake.requests).toHaveLength(1); // the write started; event() did not wait for it
    await b.flush();
    rec.event(ref, 'Normal', 'SandboxRunning', 'running');
    await b.flush();
    expect(fake.requests.map((r) => [r.verb, r.count])).toEqual([
      ['create', 1],
      ['patch', 2],
    ]);
    expect(b.stats()).toMatchObject({ recorded: 2, written: 2, failed: 0 });
  });

  it('folds a hot loop of one Event into one write per turn, never two at once', async () => {
    const fake = fakeSink();
    // The spam filter off (it would hold back all but 25, see the correlator's tests): this is the queue's folding.
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h', spamBurst: 1000 });
    const rec = b.recorder('c');
    fake.hold();
    for (let i = 0; i < 100; i++) rec.event(ref, 'Warning', 'Hot', 'again');
    expect(fake.requests).toHaveLength(1); // the create in flight; the other 99 wait as one state
    fake.release();
    await b.flush();
    expect(fake.requests.map((r) => [r.verb, r.count])).toEqual([
      ['create', 1],
      ['patch', 100],
    ]);
  });

  it('limits writes per second across objects', async () => {
    const fake = fakeSink();
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h', qps: 50, burst: 3 });
    const rec = b.recorder('c');
    const started = Date.now();
    for (let i = 0; i < 10; i++) rec.event({ ...ref, name: `s${i}`, uid: `u${i}` }, 'Normal', 'R', 'm');
    await new Promise((r) => setImmediate(r));
    expect(fake.requests).toHaveLength(3); // the burst; the other 7 wait for tokens (20 ms each)
    await b.flush();
    expect(fake.requests).toHaveLength(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(7 * 20 - 10);
  });

  it('drops new Events when the queue is full, and says so once', async () => {
    const fake = fakeSink();
    const errors: unknown[] = [];
    const b = new EventBroadcaster({
      sink: fake.sink,
      instance: 'h',
      concurrency: 1,
      maxPending: 2,
      onError: (e) => errors.push(e),
    });
    fake.hold();
    const rec = b.recorder('c');
    for (let i = 0; i < 6; i++) rec.event({ ...ref, name: `s${i}`, uid: `u${i}` }, 'Normal', 'R', 'm');
    expect(b.stats()).toMatchObject({ pending: 2, dropped: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EventQueueFullError);
    fake.release();
    await b.flush();
    expect(fake.requests).toHaveLength(3);
  });

  it('reports a failed write and never throws to the caller', async () => {
    const fake = fakeSink({ failCreate: new KubeApiError(403, 'Forbidden', 'events is forbidden') });
    const errors: unknown[] = [];
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h', onError: (e) => errors.push(e) });
    expect(() => b.recorder('c').event(ref, 'Normal', 'R', 'm')).not.toThrow();
    await b.flush();
    expect(errors).toHaveLength(1);
    expect(b.stats()).toMatchObject({ failed: 1, written: 0 });
  });

  it('creates an Event whose patch finds it gone', async () => {
    const fake = fakeSink({ failPatch: new KubeApiError(404, 'NotFound', 'gone') });
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h' });
    const rec = b.recorder('c');
    rec.event(ref, 'Normal', 'R', 'm');
    await b.flush();
    rec.event(ref, 'Normal', 'R', 'm');
    await b.flush();
    expect(fake.requests.map((r) => r.verb)).toEqual(['create', 'patch', 'create']);
    expect(b.stats().written).toBe(2);
  });

  it('takes nothing after close', async () => {
    const fake = fakeSink();
    const b = new EventBroadcaster({ sink: fake.sink, instance: 'h' });
    await b.close();
    b.recorder('c').event(ref, 'Normal', 'R', 'm');
    expect(fake.requests).toHaveLength(0);
  });
});
