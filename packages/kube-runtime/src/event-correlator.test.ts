import { describe, expect, it } from '@jest/globals';
import { COMBINED_PREFIX, EventCorrelator, Lru, TokenBucket, type EventOccurrence } from './event-correlator';

const sbx = { apiVersion: 'agents.kruise.io/v1alpha1', kind: 'Sandbox', namespace: 'ns', name: 'a', uid: 'u1' };
const occ = (extra: Partial<EventOccurrence> = {}): EventOccurrence => ({
  regarding: sbx,
  type: 'Normal',
  reason: 'SandboxRunning',
  message: 'running',
  component: 'sandbox-controller',
  instance: 'host-1',
  ...extra,
});

const write = (c: ReturnType<EventCorrelator['correlate']>) => {
  if (c.action !== 'write') throw new Error('expected a write');
  return c;
};

describe('EventCorrelator', () => {
  it('creates an Event on first occurrence, with the reference, source and reporting fields', () => {
    const { event, create } = write(new EventCorrelator().correlate(occ(), Date.UTC(2026, 0, 1, 0, 0, 0, 500)));
    expect(create).toBe(true);
    expect(event).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'ns' },
      involvedObject: sbx,
      reason: 'SandboxRunning',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      source: { component: 'sandbox-controller', host: 'host-1' },
      reportingComponent: 'sandbox-controller',
      reportingInstance: 'host-1',
    });
    expect(event.metadata.name).toMatch(/^a\.[0-9a-f]+$/);
  });

  it('counts an identical repeat on the same Event instead of creating another', () => {
    const c = new EventCorrelator();
    const first = write(c.correlate(occ(), 1_000));
    const second = write(c.correlate(occ(), 61_000));
    expect(second.create).toBe(false);
    expect(second.event.metadata.name).toBe(first.event.metadata.name);
    expect(second.event.count).toBe(2);
    expect(second.event.firstTimestamp).toBe(first.event.firstTimestamp);
    expect(second.event.lastTimestamp).not.toBe(first.event.lastTimestamp);
  });

  it('keeps different messages, reasons, objects and uids apart', () => {
    const c = new EventCorrelator();
    const names = [
      occ(),
      occ({ message: 'other' }),
      occ({ reason: 'SandboxPaused' }),
      occ({ regarding: { ...sbx, name: 'b' } }),
      occ({ regarding: { ...sbx, uid: 'u2' } }),
      occ({ type: 'Warning' }),
    ].map((o) => write(c.correlate(o, 0)).event.metadata.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('combines more than maxSimilar messages of one reason into one counted Event', () => {
    const c = new EventCorrelator({ maxSimilar: 3 });
    const results = Array.from({ length: 6 }, (_, i) => write(c.correlate(occ({ message: `m${i}` }), i)));
    expect(results.slice(0, 3).map((r) => r.create)).toEqual([true, true, true]);
    const combined = results.slice(3);
    expect(combined[0]!.create).toBe(true);
    expect(combined.map((r) => r.create)).toEqual([true, false, false]);
    expect(new Set(combined.map((r) => r.event.metadata.name)).size).toBe(1);
    expect(combined.map((r) => r.event.count)).toEqual([1, 2, 3]);
    expect(combined[2]!.event.message).toBe(`${COMBINED_PREFIX}m5`);
  });

  it('forgets similar messages after the aggregation window', () => {
    const c = new EventCorrelator({ maxSimilar: 2, aggregateWindowMs: 1000 });
    write(c.correlate(occ({ message: 'm0' }), 0));
    write(c.correlate(occ({ message: 'm1' }), 10));
    expect(write(c.correlate(occ({ message: 'm2' }), 5000)).event.message).toBe('m2');
  });

  it('rate-limits one object (spam filter) and carries the held-back count into the next write', () => {
    const c = new EventCorrelator({ spamBurst: 2, spamRefillMs: 1000 });
    expect(c.correlate(occ(), 0).action).toBe('write');
    expect(c.correlate(occ(), 1).action).toBe('write');
    expect(c.correlate(occ(), 2).action).toBe('skip');
    expect(c.correlate(occ(), 3).action).toBe('skip');
    // Another object has its own bucket.
    expect(c.correlate(occ({ regarding: { ...sbx, name: 'b' } }), 4).action).toBe('write');
    const later = write(c.correlate(occ(), 1002));
    expect(later.event.count).toBe(5);
    expect(later.create).toBe(false);
  });

  it('creates (not patches) an Event whose first occurrence was filtered', () => {
    const c = new EventCorrelator({ spamBurst: 1, spamRefillMs: 1000 });
    write(c.correlate(occ(), 0));
    expect(c.correlate(occ({ reason: 'Other' }), 1).action).toBe('skip');
    const next = write(c.correlate(occ({ reason: 'Other' }), 1001));
    expect(next.create).toBe(true);
    expect(next.event.count).toBe(2);
  });
});

describe('Lru', () => {
  it('evicts the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills one token per interval', () => {
    const bucket = new TokenBucket(2, 100, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, false]);
    expect(bucket.waitMs(50)).toBe(50);
    expect(bucket.take(100)).toBe(true);
  });
});
