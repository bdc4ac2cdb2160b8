import { describe, expect, it } from '@jest/globals';
import { T0 } from '../testing';
import { EXPECTATIONS_DROPPED_REQUEUE_MS, ScaleExpectations, objectKey } from './expectations';

const KEY = 'default/pool';
const obj = (name: string, deleting = false) => ({ metadata: { name, ...(deleting && { deletionTimestamp: 'x' }) } });

describe('ScaleExpectations', () => {
  it('is satisfied for an unknown key', () => {
    expect(new ScaleExpectations().snapshot(KEY, T0)).toEqual({
      pendingCreations: [],
      pendingDeletions: [],
      satisfied: true,
      timedOut: false,
    });
  });

  it('holds creations until they are listed, and tells when to look again', () => {
    const e = new ScaleExpectations();
    e.expectCreation(KEY, 'pool-b', T0);
    e.expectCreation(KEY, 'pool-a', T0 + 1000);
    expect(e.snapshot(KEY, T0 + 10_000)).toMatchObject({
      pendingCreations: ['pool-a', 'pool-b'],
      satisfied: false,
      requeueAfterMs: 50_000, // measured from the first unsatisfied moment
    });
    e.observeListing(KEY, [obj('pool-a'), obj('other')]);
    expect(e.snapshot(KEY, T0 + 10_000).pendingCreations).toEqual(['pool-b']);
    e.observeCreation(KEY, 'pool-b');
    expect(e.snapshot(KEY, T0 + 10_000).satisfied).toBe(true);
  });

  it.each([
    ['absent from the listing', [] as ReturnType<typeof obj>[], true],
    ['listed with a deletionTimestamp', [obj('pool-a', true)], true],
    ['still listed and live', [obj('pool-a')], false],
  ])('observes a deletion when the object is %s', (_what, listing, observed) => {
    const e = new ScaleExpectations();
    e.expectDeletion(KEY, 'pool-a', T0);
    e.observeListing(KEY, listing);
    expect(e.snapshot(KEY, T0).satisfied).toBe(observed);
  });

  it('drops expectations unsatisfied for longer than the timeout, once, and asks for a short requeue', () => {
    const e = new ScaleExpectations(60_000);
    e.expectCreation(KEY, 'lost', T0);
    expect(e.snapshot(KEY, T0 + 59_999).satisfied).toBe(false);
    expect(e.snapshot(KEY, T0 + 60_000)).toEqual({
      pendingCreations: [],
      pendingDeletions: [],
      satisfied: true,
      timedOut: true,
      requeueAfterMs: EXPECTATIONS_DROPPED_REQUEUE_MS,
    });
    expect(e.snapshot(KEY, T0 + 60_001).timedOut).toBe(false);
  });

  it('restarts the timeout clock after being satisfied', () => {
    const e = new ScaleExpectations(60_000);
    e.expectCreation(KEY, 'a', T0);
    e.observeCreation(KEY, 'a');
    e.expectCreation(KEY, 'b', T0 + 50_000);
    expect(e.snapshot(KEY, T0 + 70_000)).toMatchObject({ satisfied: false, requeueAfterMs: 40_000 });
  });

  it('keys are independent and can be forgotten', () => {
    const e = new ScaleExpectations();
    e.expectCreation(KEY, 'a', T0);
    expect(e.snapshot('default/other', T0).satisfied).toBe(true);
    e.forget(KEY);
    expect(e.snapshot(KEY, T0).satisfied).toBe(true);
    expect(objectKey({ metadata: { namespace: 'ns', name: 'n' } })).toBe('ns/n');
  });
});
