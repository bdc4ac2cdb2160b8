import { describe, expect, it } from '@jest/globals';
import { Annotations, Labels, ScaleDownOwner, getSandboxState, type ResourceRequirements } from '@kruise-agents/api';
import { CoreError } from '../errors';
import { MINUTE, T0, aPoolSandbox, aSandboxClaim, aSandboxSet, at } from '../testing';
import {
  buildClaimLock,
  buildClaimedNewSandbox,
  buildDeleteLock,
  claimFailureAction,
  claimRequestFromClaim,
  isClaimable,
  type ClaimRequest,
} from './claim-lock';

const set = aSandboxSet({ name: 'py' });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const member = aPoolSandbox(set, { name: 'py-abc', resourceVersion: '17' });
const request: ClaimRequest = {
  ownerUid: 'uid-claim',
  claimName: 'my-claim',
  labels: { team: 'a' },
  annotations: { note: 'n', 'agents.kruise.io/extra': 'x' },
  shutdownTime: '2026-01-01T01:00:00.750Z',
  image: 'python:3.13',
  initRuntime: { envVars: { A: '1' }, accessToken: 'tok' },
};
const NOW = T0 + 5 * MINUTE;
const locked = buildClaimLock(member, request, { now: NOW, lockId: 'lock-1' });

describe('buildClaimLock', () => {
  it('keeps the resourceVersion it was read at, so the update is conditional', () => {
    expect(locked.metadata.resourceVersion).toBe('17');
    expect(locked.metadata.name).toBe('py-abc');
  });

  it('detaches the sandbox from its pool and marks it claimed', () => {
    expect(locked.metadata.ownerReferences).toEqual([]);
    expect(locked.metadata.labels).toMatchObject({
      [Labels.SandboxClaimed]: 'true',
      [Labels.ClaimName]: 'my-claim',
      [Labels.SandboxPool]: 'py',
      team: 'a',
    });
    expect(getSandboxState(locked, NOW)).toBe('running');
  });

  it('writes lock, owner, claim timestamp, init request and the claim-added keys', () => {
    expect(locked.metadata.annotations).toEqual({
      note: 'n',
      'agents.kruise.io/extra': 'x',
      [Annotations.Lock]: 'lock-1',
      [Annotations.Owner]: 'uid-claim',
      [Annotations.ClaimTimestamp]: at(5 * MINUTE),
      [Annotations.InitRuntimeRequest]: '{"envVars":{"A":"1"},"accessToken":"tok"}',
      [Annotations.RuntimeAccessToken]: 'tok',
      [Annotations.UpdatedMetadataInClaim]: '{"labels":["team"],"annotations":["agents.kruise.io/extra","note"]}',
    });
  });

  it('sets the timers from the request, to the second, clearing the ones it lacks', () => {
    expect(locked.spec.shutdownTime).toBe('2026-01-01T01:00:00Z');
    const withPause = { ...member, spec: { ...member.spec, pauseTime: at(0) } };
    expect(buildClaimLock(withPause, { ownerUid: 'u' }, { now: NOW, lockId: 'l' }).spec).not.toHaveProperty(
      'pauseTime',
    );
    expect(
      buildClaimLock(member, { ownerUid: 'u', pauseTime: at(MINUTE) }, { now: NOW, lockId: 'l' }).spec.pauseTime,
    ).toBe(at(MINUTE));
  });

  it('updates the inline pod template: labels, owner label, non-internal annotations, first image', () => {
    expect(locked.spec.template?.metadata).toEqual({
      labels: { team: 'a', [Annotations.Owner]: 'uid-claim' },
      annotations: { note: 'n' },
    });
    expect(locked.spec.template?.spec.containers[0]?.image).toBe('python:3.13');
  });

  it('does not touch the sandbox it was given', () => {
    expect(member.metadata.ownerReferences).toHaveLength(1);
    expect(member.metadata.labels?.[Labels.SandboxClaimed]).toBe('false');
    expect(member.spec.template?.spec.containers[0]?.image).toBe('python:3.12');
  });

  it('changes no part of a cached (frozen) sandbox, whatever the request asks', () => {
    const cached = structuredClone(member);
    cached.spec.template!.spec.containers[0]!.resources = { requests: { cpu: '1' }, limits: { cpu: '2' } };
    cached.spec.template!.spec.containers.push({ name: 'sidecar', image: 'side:1' });
    const before = structuredClone(deepFreeze(cached));
    const result = buildClaimLock(
      cached,
      { ...request, resources: { requests: { cpu: '500m' }, limits: { cpu: '1' } } },
      { now: NOW, lockId: 'l' },
    );
    expect(cached).toEqual(before);
    expect(result.spec.template?.spec.containers.map((c) => [c.image, c.resources])).toEqual([
      ['python:3.13', { requests: { cpu: '500m' }, limits: { cpu: '1' } }],
      ['side:1', undefined],
    ]);
  });

  it.each([
    [
      'replaces a CPU request and limit the template sets',
      { requests: { cpu: '1' }, limits: { cpu: 2 } },
      { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2 } },
    ],
    ['never adds a CPU value the template lacks', {}, { requests: { memory: '1Gi' } }],
    ['never replaces a zero CPU value', { requests: { cpu: '0' } }, { requests: { cpu: '0', memory: '1Gi' } }],
  ] as [string, ResourceRequirements, ResourceRequirements][])('resizes in place: %s', (_what, current, expected) => {
    const sized = structuredClone(member);
    sized.spec.template!.spec.containers[0]!.resources = {
      requests: { memory: '1Gi', ...current.requests },
      ...(current.limits && { limits: current.limits }),
    };
    const result = buildClaimLock(
      sized,
      { ownerUid: 'u', resources: { requests: { cpu: '500m' }, limits: { cpu: 2 } } },
      { now: NOW, lockId: 'l' },
    );
    expect(result.spec.template?.spec.containers[0]?.resources).toEqual(expected);
  });

  it('leaves a templateRef sandbox template alone', () => {
    const refMember = aPoolSandbox(aSandboxSet({ templateRef: 't' }), { name: 'r', revision: 'r1' });
    expect(buildClaimLock(refMember, request, { now: NOW, lockId: 'l' }).spec).toEqual({
      templateRef: { name: 't' },
      shutdownTime: '2026-01-01T01:00:00Z',
    });
  });

  it.each([
    ['label', { labels: { [Labels.SandboxId]: 'x' } }],
    ['annotation', { annotations: { [Labels.SandboxId]: 'x' } }],
  ])('refuses a request that sets the sandbox-id %s', (_what, extra) => {
    expect(() => buildClaimLock(member, { ownerUid: 'u', ...extra }, { now: NOW, lockId: 'l' })).toThrow(CoreError);
  });

  it('writes the platform-assigned sandbox ID as a label in the same write', () => {
    const locked = buildClaimLock(member, { ownerUid: 'u', sandboxId: 'sabcdefghijklmno' }, { now: NOW, lockId: 'l' });
    expect(locked.metadata.labels?.[Labels.SandboxId]).toBe('sabcdefghijklmno');
    expect(buildClaimLock(member, { ownerUid: 'u' }, { now: NOW, lockId: 'l' }).metadata.labels).not.toHaveProperty(
      Labels.SandboxId,
    );
  });

  it('a sandbox created for a claim is the same, plus the high-priority annotation', () => {
    const created = buildClaimedNewSandbox(member, request, { now: NOW, lockId: 'l' });
    expect(created.metadata.annotations?.[Annotations.SandboxPriority]).toBe('100');
    expect(created.metadata.ownerReferences).toEqual([]);
  });
});

describe('claimRequestFromClaim', () => {
  it('takes owner, name and the spec fields', () => {
    const claim = aSandboxClaim({ name: 'c' });
    claim.spec.labels = { a: 'b' };
    claim.spec.shutdownTime = at(MINUTE);
    claim.spec.inplaceUpdate = { image: 'img' };
    claim.spec.envVars = { X: 'y' };
    expect(claimRequestFromClaim(claim, { accessToken: 't' })).toEqual({
      ownerUid: claim.metadata.uid,
      claimName: 'c',
      labels: { a: 'b' },
      annotations: undefined,
      shutdownTime: at(MINUTE),
      image: 'img',
      resources: undefined,
      initRuntime: { envVars: { X: 'y' }, accessToken: 't' },
      csiMounts: undefined,
    });
    claim.spec.skipInitRuntime = true;
    expect(claimRequestFromClaim(claim).initRuntime).toBeUndefined();
  });
});

describe('isClaimable', () => {
  const withLabel = (key: string, value: string) => {
    const s = aPoolSandbox(set, { name: 'x' });
    s.metadata.labels![key] = value;
    return s;
  };
  it.each([
    ['an available member', aPoolSandbox(set, { name: 'x' }), true],
    ['a member still starting', aPoolSandbox(set, { name: 'x', state: 'starting' }), false],
    ['a pending member', aPoolSandbox(set, { name: 'x', state: 'pending' }), false],
    ['a failed member', aPoolSandbox(set, { name: 'x', state: 'failed' }), false],
    ['a member being deleted', aPoolSandbox(set, { name: 'x', state: 'deleting' }), false],
    ['a member locked by a claim', aPoolSandbox(set, { name: 'x', lockOwner: 'uid' }), false],
    ['a member locked for scale-down', aPoolSandbox(set, { name: 'x', lockOwner: ScaleDownOwner }), false],
    ['a reserved failed one', withLabel(Labels.ReservedFailedSandbox, 'true'), false],
    ['a claimed sandbox', locked, false],
  ])('%s → %s', (_what, sandbox, claimable) => {
    expect(isClaimable(sandbox, NOW)).toBe(claimable);
  });
});

describe('buildDeleteLock', () => {
  it('locks with the scale-down owner and keeps the resourceVersion', () => {
    const next = buildDeleteLock(member, { lockId: 'pass-1' });
    expect(next.metadata.annotations).toMatchObject({
      [Annotations.Lock]: 'pass-1',
      [Annotations.Owner]: ScaleDownOwner,
    });
    expect(next.metadata.resourceVersion).toBe('17');
  });
});

describe('claimFailureAction', () => {
  it.each([
    [0, { action: 'delete' }],
    [-1, { action: 'delete' }],
    [Number.NaN, { action: 'delete' }],
  ])('reserve %d → delete', (reserveForMs, expected) => {
    expect(claimFailureAction(locked, { now: NOW, reserveForMs })).toEqual(expected);
  });

  it('reserves forever without touching the timers', () => {
    const result = claimFailureAction(locked, { now: NOW, reserveForMs: Number.POSITIVE_INFINITY });
    expect(result.action).toBe('reserve');
    if (result.action !== 'reserve') return;
    expect(result.sandbox.metadata.labels?.[Labels.ReservedFailedSandbox]).toBe('true');
    expect(result.sandbox.spec.shutdownTime).toBe(locked.spec.shutdownTime);
  });

  it('reserves for a while by moving the shutdown', () => {
    const result = claimFailureAction(locked, { now: NOW, reserveForMs: 10 * MINUTE });
    expect(result.action === 'reserve' && result.sandbox.spec.shutdownTime).toBe(at(15 * MINUTE));
  });
});
