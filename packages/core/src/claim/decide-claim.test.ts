import { describe, expect, it } from '@jest/globals';
import type { SandboxClaimStatus } from '@kruise-agents/api';
import { MINUTE, SECOND, T0, aSandboxClaim, at, type SandboxClaimOptions } from '../testing';
import { claimBatches, decideClaim, recordClaimPass } from './decide-claim';

const claiming = (extra: Partial<SandboxClaimStatus> = {}): SandboxClaimStatus => ({
  phase: 'Claiming',
  claimStartTime: at(0),
  claimedReplicas: 0,
  ...extra,
});
const completed = (completionOffset: number): SandboxClaimStatus => ({
  phase: 'Completed',
  claimStartTime: at(0),
  claimedReplicas: 2,
  completionTime: at(completionOffset),
  message: 'done',
});

describe('claimBatches', () => {
  it.each([
    [0, 5, []],
    [1, 5, [1]],
    [5, 5, [5]],
    [6, 5, [5, 1]],
    [50, 5, [5, 10, 20, 15]],
    [35, 5, [5, 10, 20]],
    [7, 1, [1, 2, 4]],
  ])('%d from %d → %j', (count, initial, batches) => {
    expect(claimBatches(count, initial)).toEqual(batches);
  });
});

describe('decideClaim: claiming', () => {
  it('starts a new claim: Claiming, claimStartTime now, everything to claim', () => {
    const d = decideClaim(aSandboxClaim({ replicas: 3 }), { now: T0, claimedCount: 0, setExists: true });
    expect(d.status).toEqual({
      observedGeneration: 1,
      phase: 'Claiming',
      claimStartTime: at(0),
      claimedReplicas: 0,
      message: 'Claiming sandboxes: 0/3 claimed',
    });
    expect(d).toMatchObject({ toClaim: 3, batches: [3], deleteClaim: false, requeueAfterMs: MINUTE });
  });

  it.each([
    ['the status', 2, 1, 2],
    ['the cache', 1, 2, 2],
  ])('claimedReplicas takes the larger of status and cache (%s ahead)', (_what, inStatus, cached, expected) => {
    const claim = aSandboxClaim({ replicas: 5, status: claiming({ claimedReplicas: inStatus }) });
    const d = decideClaim(claim, { now: T0 + SECOND, claimedCount: cached, setExists: true });
    expect(d.status.claimedReplicas).toBe(expected);
    expect(d.toClaim).toBe(5 - expected);
  });

  it('claims at most 50 per pass', () => {
    const d = decideClaim(aSandboxClaim({ replicas: 200 }), { now: T0, claimedCount: 0, setExists: true });
    expect(d.toClaim).toBe(50);
    expect(d.batches).toEqual([5, 10, 20, 15]);
  });
});

describe('decideClaim: completion', () => {
  it.each<[string, SandboxClaimOptions, number, boolean, number, string, string[]]>([
    [
      'all replicas claimed',
      { replicas: 2, status: claiming() },
      2,
      true,
      10 * SECOND,
      'Successfully claimed 2/2 sandboxes',
      ['Completed:AllClaimed'],
    ],
    [
      'a new claim already satisfied',
      { replicas: 1 },
      1,
      true,
      0,
      'Successfully claimed 1/1 sandboxes',
      ['Completed:AllClaimed'],
    ],
    [
      'the claim timeout',
      { replicas: 3, status: claiming({ claimedReplicas: 1 }) },
      1,
      true,
      MINUTE,
      'Timeout reached after 1m0s, claimed 1/3',
      ['TimedOut:ClaimTimeout', 'Completed:ClaimTimeout'],
    ],
    [
      'a custom timeout',
      { replicas: 3, claimTimeout: '10s', status: claiming() },
      0,
      true,
      10 * SECOND,
      'Timeout reached after 10s, claimed 0/3',
      ['TimedOut:ClaimTimeout', 'Completed:ClaimTimeout'],
    ],
    [
      'a missing SandboxSet',
      { replicas: 3, templateName: 'gone', status: claiming() },
      0,
      false,
      SECOND,
      'SandboxSet "gone" not found, claimed 0/3',
      ['Completed:SandboxSetNotFound'],
    ],
  ])('completes on %s', (_what, options, claimedCount, setExists, offset, message, conditions) => {
    const d = decideClaim(aSandboxClaim(options), { now: T0 + offset, claimedCount, setExists });
    expect(d.status.phase).toBe('Completed');
    expect(d.status.message).toBe(message);
    expect(d.status.completionTime).toBe(at(offset));
    expect(d.status.conditions?.map((c) => `${c.type}:${c.reason}`)).toEqual(conditions);
    expect(d.status.conditions?.every((c) => c.status === 'True' && c.lastTransitionTime === at(offset))).toBe(true);
    expect(d).toMatchObject({ toClaim: 0, batches: [], deleteClaim: false, requeueAfterMs: 60 * MINUTE });
  });

  it('keeps claiming one millisecond before the timeout', () => {
    const d = decideClaim(aSandboxClaim({ replicas: 2, status: claiming() }), {
      now: T0 + MINUTE - 1,
      claimedCount: 0,
      setExists: true,
    });
    expect(d.status.phase).toBe('Claiming');
    expect(d.requeueAfterMs).toBe(1);
  });
});

describe('decideClaim: a completed claim', () => {
  it('is final: never re-stamped, even when its SandboxSet disappears or more sandboxes show up', () => {
    const claim = aSandboxClaim({ replicas: 2, status: completed(MINUTE) });
    const d = decideClaim(claim, { now: T0 + 30 * MINUTE, claimedCount: 5, setExists: false });
    expect(d.status).toEqual({ ...completed(MINUTE), observedGeneration: 1 });
    expect(d).toMatchObject({ toClaim: 0, deleteClaim: false, requeueAfterMs: 31 * MINUTE });
  });

  it.each([
    ['60m default, not yet', '60m', 59 * MINUTE, false, MINUTE],
    ['60m default, reached', '60m', 60 * MINUTE, true, undefined],
    ['zero deletes at once', '0s', 0, true, undefined],
    ['negative never deletes', '-1', 1000 * MINUTE, false, undefined],
    ['negative duration never deletes', '-1m', 1000 * MINUTE, false, undefined],
  ])('TTL: %s', (_what, ttl, sinceCompletion, deleteClaim, requeueAfterMs) => {
    const claim = aSandboxClaim({ ttlAfterCompleted: ttl, status: completed(0) });
    const d = decideClaim(claim, { now: T0 + sinceCompletion, claimedCount: 0, setExists: true });
    expect(d.deleteClaim).toBe(deleteClaim);
    expect(d.requeueAfterMs).toBe(requeueAfterMs);
  });

  it('stamps a missing completionTime once', () => {
    const claim = aSandboxClaim({ status: { phase: 'Completed', claimedReplicas: 1 } });
    expect(decideClaim(claim, { now: T0, claimedCount: 0, setExists: true }).status.completionTime).toBe(at(0));
  });
});

describe('recordClaimPass', () => {
  const claim = aSandboxClaim({ replicas: 4, status: claiming({ claimedReplicas: 1 }) });
  const decision = decideClaim(claim, { now: T0 + SECOND, claimedCount: 1, setExists: true });

  it.each([
    ['progress → at once', 2, T0 + SECOND, 3, 0],
    ['everything claimed → at once', 3, T0 + SECOND, 4, 0],
    ['no progress → retry in 2s', 0, T0 + SECOND, 1, 2 * SECOND],
    ['no progress near the timeout → at the timeout', 0, T0 + MINUTE - 500, 1, 500],
  ])('%s', (_what, succeeded, now, claimed, requeueAfterMs) => {
    const result = recordClaimPass(claim, decision, { succeeded, now });
    expect(result.status.claimedReplicas).toBe(claimed);
    expect(result.status.message).toBe(`Claiming sandboxes: ${claimed}/4 claimed`);
    expect(result.requeueAfterMs).toBe(requeueAfterMs);
  });

  it('tells the last hand-over failure while claiming', () => {
    const result = recordClaimPass(claim, decision, { succeeded: 0, now: T0 + SECOND, failure: 'runtime /init: 401' });
    expect(result.status.message).toBe('Claiming sandboxes: 1/4 claimed; last failure: runtime /init: 401');
  });
});

describe('decideClaim: a timeout after failures', () => {
  it('tells the last failure in the timeout message', () => {
    const claim = aSandboxClaim({ replicas: 1, claimTimeout: '10s', status: claiming() });
    const decision = decideClaim(claim, {
      now: T0 + 10 * SECOND,
      claimedCount: 0,
      setExists: true,
      lastFailure: 'sandbox default/a: runtime /init answered 401',
    });
    expect(decision.status.message).toBe(
      'Timeout reached after 10s, claimed 0/1; last failure: sandbox default/a: runtime /init answered 401',
    );
  });
});
