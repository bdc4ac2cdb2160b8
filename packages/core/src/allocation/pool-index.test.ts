import { describe, expect, it } from '@jest/globals';
import { Labels, type Sandbox } from '@kruise-agents/api';
import { MINUTE, T0, aPoolSandbox, aSandbox, aSandboxClaim, aSandboxSet } from '../testing';
import { buildClaimLock } from './claim-lock';
import { PoolIndex, sandboxIdOf } from './pool-index';
import { RandomSet } from './random-set';

const NOW = T0 + MINUTE;
const set = aSandboxSet({ name: 'py' });
const first = () => 0;
const last = () => 0.999999;
/** A random source that replays the given draws, then repeats the last. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
};

function indexOf(...sandboxes: Sandbox[]): PoolIndex {
  const index = new PoolIndex();
  for (const s of sandboxes) index.upsert(s, NOW);
  return index;
}

describe('PoolIndex.pick', () => {
  it('returns nothing for an unknown pool', () => {
    expect(indexOf().pick('default', 'py', { now: NOW, random: first })).toBeUndefined();
  });

  it('indexes only available, unlocked members', () => {
    const index = indexOf(
      aPoolSandbox(set, { name: 'ok' }),
      aPoolSandbox(set, { name: 'starting', state: 'starting' }),
      aPoolSandbox(set, { name: 'failed', state: 'failed' }),
      aPoolSandbox(set, { name: 'locked', lockOwner: 'uid' }),
    );
    expect(index.stock('default', 'py')).toBe(1);
    expect(index.pick('default', 'py', { now: NOW, random: first })?.metadata.name).toBe('ok');
  });

  it('prefers the current revision, then falls back to others', () => {
    const index = indexOf(
      aPoolSandbox(set, { name: 'old', revision: 'r-old' }),
      aPoolSandbox(set, { name: 'new', revision: 'r-new' }),
    );
    const pick = () => index.pick('default', 'py', { now: NOW, random: first, preferRevision: 'r-new' })?.metadata.name;
    expect(pick()).toBe('new');
    expect(pick()).toBe('old');
    expect(pick()).toBeUndefined();
  });

  it('starts at a random position', () => {
    const names = ['a', 'b', 'c', 'd'];
    const pickWith = (random: () => number) =>
      indexOf(...names.map((name) => aPoolSandbox(set, { name }))).pick('default', 'py', { now: NOW, random })?.metadata
        .name;
    expect(pickWith(first)).toBe('a');
    expect(pickWith(last)).toBe('d');
    expect(pickWith(() => 0.5)).toBe('c');
  });

  it('never hands out an in-flight sandbox twice, until it is released unclaimed', () => {
    const index = indexOf(aPoolSandbox(set, { name: 'only' }));
    const picked = index.pick('default', 'py', { now: NOW, random: first })!;
    expect(index.pick('default', 'py', { now: NOW, random: first })).toBeUndefined();
    index.release(picked, 'abandoned', NOW);
    expect(index.pick('default', 'py', { now: NOW, random: first })?.metadata.name).toBe('only');
  });

  it.each(['claimed', 'conflict'] as const)('after %s, waits for a fresh copy from the cache', (outcome) => {
    const member = aPoolSandbox(set, { name: 'only', resourceVersion: '5' });
    const index = indexOf(member);
    index.release(index.pick('default', 'py', { now: NOW, random: first })!, outcome, NOW);
    index.upsert(member, NOW); // a replayed stale copy
    expect(index.pick('default', 'py', { now: NOW, random: first })).toBeUndefined();
    index.upsert({ ...member, metadata: { ...member.metadata, resourceVersion: '6' } }, NOW);
    expect(index.pick('default', 'py', { now: NOW, random: first })?.metadata.name).toBe('only');
  });

  it('does not hold a sandbox whose fresh copy arrived before the release', () => {
    const member = aPoolSandbox(set, { name: 'only', resourceVersion: '5' });
    const index = indexOf(member);
    const picked = index.pick('default', 'py', { now: NOW, random: first })!;
    index.upsert({ ...member, metadata: { ...member.metadata, resourceVersion: '6' } }, NOW); // someone else's write
    index.release(picked, 'conflict', NOW);
    expect(index.pick('default', 'py', { now: NOW, random: first })?.metadata.resourceVersion).toBe('6');
  });

  it('skips excluded sandboxes for this pick only', () => {
    const index = indexOf(aPoolSandbox(set, { name: 'a' }), aPoolSandbox(set, { name: 'b' }));
    const exclude = (s: Sandbox) => s.metadata.name === 'a';
    expect(index.pick('default', 'py', { now: NOW, random: first, exclude })?.metadata.name).toBe('b');
    expect(index.pick('default', 'py', { now: NOW, random: first, exclude })).toBeUndefined();
    expect(index.pick('default', 'py', { now: NOW, random: first })?.metadata.name).toBe('a');
  });

  it('drops a member that expired since it was indexed', () => {
    const expiring = aPoolSandbox(set, { name: 'expiring' });
    expiring.spec.shutdownTime = new Date(NOW + MINUTE).toISOString();
    const index = indexOf(expiring, aPoolSandbox(set, { name: 'ok' }));
    const later = NOW + 2 * MINUTE;
    expect(index.pick('default', 'py', { now: later, random: draws(0, 0) })?.metadata.name).toBe('ok');
    expect(index.stock('default', 'py')).toBe(0);
  });

  it('follows updates and deletes: claimed, relabelled or deleted sandboxes leave the pool', () => {
    const a = aPoolSandbox(set, { name: 'a' });
    const b = aPoolSandbox(set, { name: 'b' });
    const index = indexOf(a, b);
    index.upsert(buildClaimLock(a, { ownerUid: 'u' }, { now: NOW, lockId: 'l' }), NOW);
    index.delete(b);
    expect(index.stock('default', 'py')).toBe(0);
    index.upsert(aPoolSandbox(set, { name: 'c', revision: 'r2' }), NOW);
    index.upsert(aPoolSandbox(set, { name: 'c', revision: 'r3' }), NOW);
    expect(
      index.pick('default', 'py', { now: NOW, random: first, preferRevision: 'r3' })?.metadata.labels?.[
        Labels.TemplateHash
      ],
    ).toBe('r3');
  });

  it('keys pools by namespace and template', () => {
    const otherNs = aPoolSandbox(aSandboxSet({ name: 'py', namespace: 'team' }), { name: 'x' });
    const index = indexOf(otherNs);
    expect(index.pick('default', 'py', { now: NOW, random: first })).toBeUndefined();
    expect(index.pick('team', 'py', { now: NOW, random: first })?.metadata.name).toBe('x');
  });

  it('picks in constant time: a large pool is not scanned', () => {
    const index = new PoolIndex();
    for (let i = 0; i < 20_000; i++) index.upsert(aPoolSandbox(set, { name: `s${i}` }), NOW);
    let calls = 0;
    const random = () => (calls++, 0.5);
    for (let i = 0; i < 1000; i++) expect(index.pick('default', 'py', { now: NOW, random })).toBeDefined();
    expect(calls).toBe(1000);
    expect(index.stock('default', 'py')).toBe(19_000);
  });
});

describe('PoolIndex lookups', () => {
  const claim = aSandboxClaim({ name: 'c1' });
  const mine = aSandbox({ name: 'm1', claimedBy: claim });
  const mineDead = aSandbox({ name: 'm2', claimedBy: claim, phase: 'Failed' });
  const mineReserved = aSandbox({ name: 'm3', claimedBy: claim, labels: { [Labels.ReservedFailedSandbox]: 'true' } });
  const withId = aSandbox({ name: 'e2b', labels: { [Labels.SandboxId]: 'sbx123' } });
  const index = indexOf(mine, mineDead, mineReserved, withId);

  it('finds a sandbox by its E2B id: the label, else <namespace>--<name>', () => {
    expect(index.findBySandboxId('sbx123')?.metadata.name).toBe('e2b');
    expect(index.findBySandboxId('default--m1')?.metadata.name).toBe('m1');
    expect(sandboxIdOf(mine)).toBe('default--m1');
    expect(index.findBySandboxId('nope')).toBeUndefined();
  });

  it('finds sandboxes by claim name', () => {
    expect(
      index
        .findByClaimName('default', 'c1')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['m1', 'm2', 'm3']);
  });

  it('counts what a claim holds: not dead, not reserved-failed', () => {
    expect(index.countClaimedBy('default', claim.metadata.uid!, NOW)).toBe(1);
    expect(index.countClaimedBy('other', claim.metadata.uid!, NOW)).toBe(0);
  });

  it('forgets lookups when a sandbox is deleted or relabelled', () => {
    const local = indexOf(mine, withId);
    local.delete(mine);
    local.upsert({ ...withId, metadata: { ...withId.metadata, labels: {} } }, NOW);
    expect(local.findByClaimName('default', 'c1')).toEqual([]);
    expect(local.findBySandboxId('sbx123')).toBeUndefined();
    expect(local.findBySandboxId('default--e2b')?.metadata.name).toBe('e2b');
  });
});

describe('RandomSet', () => {
  it('adds, removes by swapping, and reads by position', () => {
    const set = new RandomSet();
    ['a', 'b', 'c'].forEach((k) => set.add(k));
    set.add('a');
    expect(set.size).toBe(3);
    expect(set.delete('a')).toBe(true);
    expect(set.delete('a')).toBe(false);
    expect([...set.keys()]).toEqual(['c', 'b']);
    expect(set.at(0)).toBe('c');
    expect(set.has('b')).toBe(true);
  });
});
