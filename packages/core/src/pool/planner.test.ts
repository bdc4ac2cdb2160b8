import { describe, expect, it } from '@jest/globals';
import { Labels, type Sandbox, type SandboxSet } from '@kruise-agents/api';
import { sandboxSetRevision } from '../revision';
import { CoreError } from '../errors';
import { MINUTE, T0, aPoolSandbox, aSandbox, aSandboxSet, aSandboxTemplate, type PoolSandboxOptions } from '../testing';
import type { ExpectationsSnapshot } from './expectations';
import { isPoolMember, planSandboxSet, sandboxSetSelector } from './planner';

const NOW = T0 + 60 * MINUTE;
const names = (list: readonly Sandbox[]) => list.map((s) => s.metadata.name);
const members = (set: SandboxSet, specs: PoolSandboxOptions[]) => specs.map((o) => aPoolSandbox(set, o));
const inFlight = (pendingCreations: string[], pendingDeletions: string[] = []): ExpectationsSnapshot => ({
  pendingCreations,
  pendingDeletions,
  satisfied: pendingCreations.length + pendingDeletions.length === 0,
  timedOut: false,
  requeueAfterMs: 42_000,
});

describe('planSandboxSet: status', () => {
  it('reports counts, revision, selector and generation', () => {
    const set = aSandboxSet({ name: 'py', replicas: 4, generation: 7 });
    const sandboxes = members(set, [
      { name: 'a', state: 'available' },
      { name: 'b', state: 'available', revision: 'old' },
      { name: 'c', state: 'pending' },
      { name: 'd', state: 'starting', revision: 'old' },
      { name: 'e', state: 'failed' },
    ]);
    const { status } = planSandboxSet(set, sandboxes, { now: NOW });
    expect(status).toEqual({
      observedGeneration: 7,
      replicas: 4,
      availableReplicas: 2,
      updatedReplicas: 2,
      updatedAvailableReplicas: 1,
      updateRevision: sandboxSetRevision(set),
      currentRevision: sandboxSetRevision(set),
      selector: 'agents.kruise.io/sandbox-claimed=false,agents.kruise.io/sandbox-pool=py',
    });
    expect(sandboxSetSelector('py')).toBe(status.selector);
  });

  it('counts creations in flight as replicas until they are listed', () => {
    const set = aSandboxSet({ replicas: 3 });
    const sandboxes = members(set, [{ name: 'a' }]);
    const plan = planSandboxSet(set, sandboxes, { now: NOW, expectations: inFlight(['a', 'b']) });
    expect(plan.status.replicas).toBe(2); // a (listed) + b (in flight)
    expect(plan.create).toBe(1);
    expect(plan.requeueAfterMs).toBe(42_000);
  });

  it('observes a creation that was claimed before the set saw it (listed without an owner)', () => {
    const set = aSandboxSet({ replicas: 1 });
    const claimed = aSandbox({ name: 'pool-x', labels: { [Labels.SandboxPool]: 'pool' } });
    const plan = planSandboxSet(set, [claimed], { now: NOW, expectations: inFlight(['pool-x']) });
    expect(plan.status.replicas).toBe(0);
    expect(plan.create).toBe(1);
  });
});

describe('planSandboxSet: membership', () => {
  const set = aSandboxSet({ name: 'pool', replicas: 1 });
  const other = aSandboxSet({ name: 'other' });

  it.each([
    ['its own member', aPoolSandbox(set, { name: 'a' }), true],
    ["another set's member", aPoolSandbox(other, { name: 'b' }), false],
    ['a claimed sandbox (no ownerReference)', aSandbox({ name: 'c', labels: { [Labels.SandboxPool]: 'pool' } }), false],
    [
      'a member labelled claimed',
      (() => {
        const s = aPoolSandbox(set, { name: 'd' });
        s.metadata.labels![Labels.SandboxClaimed] = 'true';
        return s;
      })(),
      false,
    ],
  ])('%s → member: %s', (_what, sandbox, member) => {
    expect(isPoolMember(set, sandbox)).toBe(member);
  });

  it('never deletes or counts claimed sandboxes, even dead ones', () => {
    const dead = aSandbox({ name: 'c', phase: 'Failed', labels: { [Labels.SandboxPool]: 'pool' } });
    const plan = planSandboxSet(set, [dead, aPoolSandbox(set, { name: 'a' })], { now: NOW });
    expect(plan.status.replicas).toBe(1);
    expect(plan.deleteDead).toEqual([]);
  });
});

describe('planSandboxSet: scale up', () => {
  it.each([
    ['no cap', { replicas: 5 }, [] as PoolSandboxOptions[], 5],
    ['at size', { replicas: 2 }, [{ name: 'a' }, { name: 'b', state: 'pending' }], 0],
    [
      'cap 3, 2 not yet available',
      { replicas: 10, scaleMaxUnavailable: 3 },
      [
        { name: 'a', state: 'pending' },
        { name: 'b', state: 'starting' },
      ],
      1,
    ],
    ['cap 3, all available', { replicas: 10, scaleMaxUnavailable: 3 }, [{ name: 'a' }, { name: 'b' }], 3],
    ['cap 50% of 5 rounds up to 3', { replicas: 5, scaleMaxUnavailable: '50%' }, [], 3],
    [
      'cap exhausted',
      { replicas: 5, scaleMaxUnavailable: 1 },
      [
        { name: 'a', state: 'pending' },
        { name: 'b', state: 'pending' },
      ],
      0,
    ],
  ] as const)('%s', (_what, setOptions, specs, create) => {
    const set = aSandboxSet(setOptions);
    expect(planSandboxSet(set, members(set, [...specs]), { now: NOW }).create).toBe(create);
  });

  it('scales up even while deletions are in flight', () => {
    const set = aSandboxSet({ replicas: 2 });
    const plan = planSandboxSet(set, members(set, [{ name: 'a' }]), { now: NOW, expectations: inFlight([], ['a']) });
    expect(plan.create).toBe(1);
  });
});

describe('planSandboxSet: dead members', () => {
  it('deletes failed and expired members, not those already being deleted', () => {
    const set = aSandboxSet({ replicas: 1 });
    const expired = aPoolSandbox(set, { name: 'expired' });
    expired.spec.shutdownTime = new Date(NOW - 1).toISOString();
    const sandboxes = [
      ...members(set, [{ name: 'ok' }, { name: 'failed', state: 'failed' }, { name: 'gone', state: 'deleting' }]),
      expired,
    ];
    expect(names(planSandboxSet(set, sandboxes, { now: NOW }).deleteDead)).toEqual(['failed', 'expired']);
  });
});

describe('planSandboxSet: scale down', () => {
  const set = aSandboxSet({ replicas: 0 });
  const pool = members(set, [
    { name: 'fresh-new', createdAt: 30 * MINUTE },
    { name: 'fresh-old', createdAt: 1 * MINUTE },
    { name: 'starting', state: 'starting', createdAt: 2 * MINUTE },
    { name: 'recycled-once', recycledCount: 1, createdAt: 3 * MINUTE },
    { name: 'recycled-twice', recycledCount: 2, createdAt: 4 * MINUTE },
    { name: 'pending-new', state: 'pending', createdAt: 20 * MINUTE },
    { name: 'pending-old', state: 'pending', createdAt: 10 * MINUTE },
    { name: 'old-rev-available', revision: 'old', createdAt: 40 * MINUTE },
    { name: 'old-rev-pending', revision: 'old', state: 'pending', createdAt: 50 * MINUTE },
  ]);
  const order = [
    'old-rev-pending',
    'old-rev-available',
    'pending-old',
    'pending-new',
    'recycled-twice',
    'recycled-once',
    'starting',
    'fresh-old',
    'fresh-new',
  ];

  it.each([1, 3, 5, 9])(
    'removes %d in the order old revision, Pending, recycled, not ready, fresh; older first',
    (n) => {
      const shrunk = { ...set, spec: { ...set.spec, replicas: pool.length - n } };
      const plan = planSandboxSet(shrunk, pool, { now: NOW });
      expect(names(plan.scaleDown)).toEqual(order.slice(0, n));
      expect(plan.create).toBe(0);
      expect(plan.rollingUpdate).toEqual([]);
    },
  );

  it('waits while creations or deletions are in flight', () => {
    const small = aSandboxSet({ replicas: 1 });
    const sandboxes = members(small, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect(planSandboxSet(small, sandboxes, { now: NOW, expectations: inFlight([], ['a']) }).scaleDown).toEqual([]);
    expect(planSandboxSet(small, sandboxes, { now: NOW, expectations: inFlight(['a']) }).scaleDown).toHaveLength(2);
  });

  it('skips (without replacing) a member locked by a claim, and retries its own scale-down lock', () => {
    const small = aSandboxSet({ replicas: 1 });
    const sandboxes = members(small, [
      { name: 'claiming', createdAt: 0 * MINUTE, lockOwner: 'uid-claim' },
      { name: 'mine', createdAt: 1 * MINUTE, lockOwner: '__manager_scale_down' },
      { name: 'keep', createdAt: 2 * MINUTE },
    ]);
    expect(names(planSandboxSet(small, sandboxes, { now: NOW }).scaleDown)).toEqual(['mine']);
  });
});

describe('planSandboxSet: rolling update', () => {
  it.each([
    // [what, replicas, maxUnavailable, members, expected deletions]
    ['nothing old', 5, '20%', [{ name: 'a' }, { name: 'b' }], []],
    [
      '20% of 5 → 1, oldest old available first',
      5,
      '20%',
      [
        { name: 'o1', revision: 'x', createdAt: 2 * MINUTE },
        { name: 'o2', revision: 'x', createdAt: 1 * MINUTE },
        { name: 'n1' },
        { name: 'n2' },
        { name: 'n3' },
      ],
      ['o2'],
    ],
    [
      '20% of 6 rounds up to 2',
      6,
      '20%',
      [
        { name: 'o1', revision: 'x', createdAt: 3 * MINUTE },
        { name: 'o2', revision: 'x', createdAt: 2 * MINUTE },
        { name: 'o3', revision: 'x', createdAt: 1 * MINUTE },
        { name: 'n1' },
        { name: 'n2' },
        { name: 'n3' },
      ],
      ['o3', 'o2'],
    ],
    [
      'all old creating ones first, outside the budget',
      3,
      1,
      [
        { name: 'oc1', revision: 'x', state: 'pending', createdAt: 2 * MINUTE },
        { name: 'oc2', revision: 'x', state: 'starting', createdAt: 1 * MINUTE },
        { name: 'oa', revision: 'x' },
      ],
      ['oc2', 'oc1', 'oa'],
    ],
    [
      'updated members still creating use up the budget',
      3,
      1,
      [
        { name: 'nc', state: 'pending' },
        { name: 'oa1', revision: 'x' },
        { name: 'oa2', revision: 'x' },
      ],
      [],
    ],
    [
      'budget 0 replaces only old creating ones',
      2,
      0,
      [
        { name: 'oc', revision: 'x', state: 'pending' },
        { name: 'oa', revision: 'x' },
      ],
      ['oc'],
    ],
    [
      'skips a member locked by a claim',
      2,
      2,
      [
        { name: 'oa1', revision: 'x', lockOwner: 'uid-claim', createdAt: 1 * MINUTE },
        { name: 'oa2', revision: 'x', createdAt: 2 * MINUTE },
      ],
      ['oa2'],
    ],
  ] as const)('%s', (_what, replicas, maxUnavailable, specs, expected) => {
    const set = aSandboxSet({ replicas, updateMaxUnavailable: maxUnavailable });
    const plan = planSandboxSet(set, members(set, [...specs] as PoolSandboxOptions[]), { now: NOW });
    expect(names(plan.rollingUpdate)).toEqual(expected);
  });

  it('defaults maxUnavailable to 20% when the set has no updateStrategy', () => {
    const set = aSandboxSet({ replicas: 5 });
    delete (set.spec as { updateStrategy?: unknown }).updateStrategy;
    const sandboxes = members(
      set,
      [1, 2, 3, 4, 5].map((i) => ({ name: `o${i}`, revision: 'x', createdAt: i * MINUTE })),
    );
    expect(names(planSandboxSet(set, sandboxes, { now: NOW }).rollingUpdate)).toEqual(['o1']);
  });

  it.each([
    ['the pool is short', 4, inFlight([])],
    ['the pool is too big', 2, inFlight([])],
    ['a deletion is in flight', 3, inFlight([], ['o1'])],
  ])('waits while %s', (_what, replicas, expectations) => {
    const set = aSandboxSet({ replicas, updateMaxUnavailable: '100%' });
    const sandboxes = members(
      set,
      [1, 2, 3].map((i) => ({ name: `o${i}`, revision: 'x', createdAt: i * MINUTE })),
    );
    expect(planSandboxSet(set, sandboxes, { now: NOW, expectations }).rollingUpdate).toEqual([]);
  });
});

describe('planSandboxSet: templateRef and deletion', () => {
  it('computes the revision of a templateRef set from its SandboxTemplate, and asks for it when missing', () => {
    const set = aSandboxSet({ templateRef: 'python', replicas: 1 });
    const template = aSandboxTemplate({ name: 'python' });
    const plan = planSandboxSet(set, [], { now: NOW, referencedTemplate: template });
    expect(plan.status.updateRevision).toBe(sandboxSetRevision(set, template));
    expect(plan.status.currentRevision).toBe('python');
    expect(() => planSandboxSet(set, [], { now: NOW })).toThrow(CoreError);
  });

  it('a SandboxSet being deleted creates and shrinks nothing, but still clears dead members', () => {
    const set = aSandboxSet({ replicas: 5 });
    set.metadata.deletionTimestamp = new Date(NOW).toISOString();
    const plan = planSandboxSet(
      set,
      members(set, [
        { name: 'dead', state: 'failed' },
        { name: 'old', revision: 'x' },
      ]),
      {
        now: NOW,
      },
    );
    expect(plan).toMatchObject({ create: 0, scaleDown: [], rollingUpdate: [] });
    expect(names(plan.deleteDead)).toEqual(['dead']);
  });
});
