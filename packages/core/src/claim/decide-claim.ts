/**
 * SandboxClaim decisions: the next status of a claim, how many sandboxes to claim in this pass, when to look again, and
 * when the claim's TTL deletes it.
 *
 * Rules:
 * - Phases go "" → Claiming → Completed, and Completed is final: a completed claim is never re-evaluated, its
 *   completionTime is set exactly once, and its TTL runs even if its SandboxSet disappears later.
 * - claimStartTime is set when Claiming starts; claimedReplicas = max(status.claimedReplicas, claimedCount), so it only
 *   counts up and survives a crash between a lock and a status write.
 * - Completion, checked in this order: the SandboxSet is missing → SandboxSetNotFound; every replica claimed →
 *   AllClaimed; claimTimeout (default 1m) elapsed since claimStartTime → TimedOut, reporting what was claimed.
 * - While Claiming, up to maxBatchSize (50) are claimed per pass, in batches that double from initialBatchSize (5);
 *   a pass stops at the first batch with a failure. After a pass with progress, look again at once; after one without,
 *   retry in 2s (never later than the timeout).
 * - A sandbox that was claimed but could not be handed over (its runtime init failed) is a failure, not a claimed
 *   replica; the last such failure is told in the message while Claiming and in the timeout message.
 * - ttlAfterCompleted (default 60m; negative means never) deletes the claim only, never its sandboxes.
 */
import {
  DEFAULT_CLAIM_TIMEOUT,
  DEFAULT_TTL_AFTER_COMPLETED,
  SandboxClaimConditions,
  SandboxClaimReasons,
  formatDuration,
  parseDuration,
  type SandboxClaim,
  type SandboxClaimStatus,
} from '@kruise-agents/api';
import { setCondition } from '../conditions';
import { formatTime, parseTime, toMs, type Instant } from '../time';

export const MAX_CLAIM_BATCH_SIZE = 50;
export const INITIAL_CLAIM_BATCH_SIZE = 5;
/** The wait before retrying a pass that claimed nothing. */
export const CLAIM_RETRY_INTERVAL_MS = 2_000;

export interface DecideClaimInput {
  now: Instant;
  /** Sandboxes this claim holds per the cache (PoolIndex.countClaimedBy). */
  claimedCount: number;
  /** Whether the SandboxSet named by spec.templateName exists. */
  setExists: boolean;
  /** Why the last sandbox this claim took could not be handed over (its runtime init failed, …); told on timeout. */
  lastFailure?: string;
  maxBatchSize?: number;
  initialBatchSize?: number;
}

export interface ClaimDecision {
  /** The status to write. */
  status: SandboxClaimStatus;
  /** How many sandboxes to claim in this pass; 0 unless Claiming. */
  toClaim: number;
  /** toClaim split into doubling batches, e.g. [5, 10, 20, 15]. */
  batches: number[];
  /** True when the TTL has run out: delete the claim (and only the claim). */
  deleteClaim: boolean;
  /** When to reconcile again without an event; undefined means never (a completed claim with no TTL). */
  requeueAfterMs?: number;
}

/** The number of replicas a claim wants (spec default 1). */
export function desiredReplicas(claim: SandboxClaim): number {
  return claim.spec.replicas ?? 1;
}

/** Splits `count` into batches that double from `initial`: claimBatches(50, 5) is [5, 10, 20, 15]. */
export function claimBatches(count: number, initial: number = INITIAL_CLAIM_BATCH_SIZE): number[] {
  const batches: number[] = [];
  let size = Math.max(1, initial);
  for (let left = count; left > 0; size *= 2) {
    const batch = Math.min(size, left);
    batches.push(batch);
    left -= batch;
  }
  return batches;
}

export function decideClaim(claim: SandboxClaim, input: DecideClaimInput): ClaimDecision {
  const now = toMs(input.now);
  const previous = claim.status;
  const desired = desiredReplicas(claim);
  const status: SandboxClaimStatus = {
    ...previous,
    observedGeneration: claim.metadata.generation,
    claimedReplicas: Math.max(previous?.claimedReplicas ?? 0, input.claimedCount),
  };
  const none = { toClaim: 0, batches: [], deleteClaim: false };

  if (status.phase === 'Completed') {
    status.claimedReplicas = previous?.claimedReplicas ?? 0; // a completed claim no longer tracks its sandboxes
    status.completionTime ??= formatTime(now);
    return { ...none, status, ...ttlDecision(claim, status, now) };
  }

  const complete = (reason: string, message: string, timedOut: boolean): ClaimDecision => {
    status.phase = 'Completed';
    status.message = message;
    status.completionTime = formatTime(now);
    if (timedOut) {
      status.conditions = setCondition(
        status.conditions,
        { type: SandboxClaimConditions.TimedOut, status: 'True', reason, message },
        now,
      );
    }
    status.conditions = setCondition(
      status.conditions,
      { type: SandboxClaimConditions.Completed, status: 'True', reason, message },
      now,
    );
    return { ...none, status, ...ttlDecision(claim, status, now) };
  };

  if (!input.setExists) {
    return complete(
      SandboxClaimReasons.SandboxSetNotFound,
      `SandboxSet "${claim.spec.templateName}" not found, claimed ${status.claimedReplicas}/${desired}`,
      false,
    );
  }
  if (!status.phase) {
    status.phase = 'Claiming';
    status.claimStartTime = formatTime(now);
  }
  const claimed = status.claimedReplicas ?? 0;
  if (claimed >= desired) {
    return complete(SandboxClaimReasons.AllClaimed, `Successfully claimed ${claimed}/${desired} sandboxes`, false);
  }
  const timeoutMs = durationMs(claim.spec.claimTimeout, DEFAULT_CLAIM_TIMEOUT);
  const startedMs = parseTime(status.claimStartTime) ?? now;
  const remainingMs = startedMs + timeoutMs - now;
  if (remainingMs <= 0) {
    return complete(
      SandboxClaimReasons.ClaimTimeout,
      `Timeout reached after ${formatDuration(timeoutMs)}, claimed ${claimed}/${desired}` +
        failureSuffix(input.lastFailure),
      true,
    );
  }
  const toClaim = Math.min(desired - claimed, input.maxBatchSize ?? MAX_CLAIM_BATCH_SIZE);
  status.message = `Claiming sandboxes: ${claimed}/${desired} claimed`;
  return {
    status,
    toClaim,
    batches: claimBatches(toClaim, input.initialBatchSize),
    deleteClaim: false,
    requeueAfterMs: remainingMs,
  };
}

export interface ClaimPassResult {
  status: SandboxClaimStatus;
  requeueAfterMs: number;
}

/**
 * The status after a claim pass that locked `succeeded` sandboxes: claimedReplicas counts them, and the claim is looked
 * at again at once after progress (or when it has all it wants), else after 2s, never later than its timeout.
 */
export function recordClaimPass(
  claim: SandboxClaim,
  decision: Pick<ClaimDecision, 'status'>,
  pass: { succeeded: number; now: Instant; failure?: string },
): ClaimPassResult {
  const desired = desiredReplicas(claim);
  const claimed = Math.min((decision.status.claimedReplicas ?? 0) + pass.succeeded, desired);
  const status: SandboxClaimStatus = {
    ...decision.status,
    claimedReplicas: claimed,
    message: `Claiming sandboxes: ${claimed}/${desired} claimed` + failureSuffix(pass.failure),
  };
  if (pass.succeeded > 0 || claimed >= desired) return { status, requeueAfterMs: 0 };
  const startedMs = parseTime(status.claimStartTime) ?? toMs(pass.now);
  const remainingMs = startedMs + durationMs(claim.spec.claimTimeout, DEFAULT_CLAIM_TIMEOUT) - toMs(pass.now);
  return { status, requeueAfterMs: Math.max(0, Math.min(CLAIM_RETRY_INTERVAL_MS, remainingMs)) };
}

/** Claim messages carry at most this much of a failure (the reference's condition-message limit). */
const MAX_FAILURE_LENGTH = 1024;

function failureSuffix(failure: string | undefined): string {
  return failure ? `; last failure: ${failure.slice(0, MAX_FAILURE_LENGTH)}` : '';
}

function ttlDecision(
  claim: SandboxClaim,
  status: SandboxClaimStatus,
  now: number,
): Pick<ClaimDecision, 'deleteClaim' | 'requeueAfterMs'> {
  const ttlMs = durationMs(claim.spec.ttlAfterCompleted, DEFAULT_TTL_AFTER_COMPLETED);
  if (ttlMs < 0) return { deleteClaim: false };
  const left = (parseTime(status.completionTime) ?? now) + ttlMs - now;
  return left <= 0 ? { deleteClaim: true } : { deleteClaim: false, requeueAfterMs: left };
}

function durationMs(text: string | undefined, fallback: string): number {
  try {
    return parseDuration(text ?? fallback);
  } catch {
    return parseDuration(fallback);
  }
}
