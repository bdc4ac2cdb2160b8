/**
 * Which Events a SandboxClaim's status change means, and the ones its pass reports. Told from the cached status
 * rather than inside the claim loop, so the claim hot path does no extra work: claimedReplicas going up is
 * `SandboxClaimed` (one Event per status write, which is per batch, not per sandbox), completion is `ClaimCompleted`,
 * or a Warning when it timed out (`ClaimTimeoutReached`, the reference's TimedOut reason) or its pool is missing
 * (`SandboxSetNotFound`).
 */
import { SandboxClaimConditions, SandboxClaimReasons, type SandboxClaim } from '@kruise-agents/api';
import type { EventSpec } from './event-spec';

export function claimEvents(before: SandboxClaim | undefined, after: SandboxClaim): EventSpec[] {
  const was = before?.status;
  const now = after.status;
  const events: EventSpec[] = [];
  const desired = after.spec.replicas ?? 1;
  const claimed = now?.claimedReplicas ?? 0;
  const more = claimed - (was?.claimedReplicas ?? 0);
  if (more > 0) {
    events.push({
      type: 'Normal',
      reason: 'SandboxClaimed',
      message: `Claimed ${more} sandbox${more === 1 ? '' : 'es'} (${claimed}/${desired})`,
    });
  }
  if (now?.phase === 'Completed' && was?.phase !== 'Completed') {
    const reason = now.conditions?.find((c) => c.type === SandboxClaimConditions.Completed)?.reason;
    const message = now.message ?? `claimed ${claimed}/${desired}`;
    if (reason === SandboxClaimReasons.ClaimTimeout) {
      events.push({ type: 'Warning', reason: 'ClaimTimeoutReached', message });
    } else if (reason === SandboxClaimReasons.SandboxSetNotFound) {
      events.push({ type: 'Warning', reason: 'SandboxSetNotFound', message });
    } else {
      events.push({ type: 'Normal', reason: 'ClaimCompleted', message });
    }
  }
  return events;
}

/** A claim pass that claimed nothing (reference: Warning `NoAvailableSandboxes`, then a retry in 2 s). */
export function noSandboxesEvent(failure: string | undefined): EventSpec {
  return {
    type: 'Warning',
    reason: 'NoAvailableSandboxes',
    message: failure ? `no sandbox claimed: ${failure}` : 'no sandbox available in the pool; waiting for one',
  };
}

/** ttlAfterCompleted ran out: the claim is deleted, its sandboxes kept. */
export function ttlDeleteEvent(ttl: string | undefined): EventSpec {
  return {
    type: 'Normal',
    reason: 'SandboxClaimTTLDelete',
    message: `ttlAfterCompleted (${ttl ?? '?'}) elapsed: deleting the claim, its sandboxes are kept`,
  };
}
