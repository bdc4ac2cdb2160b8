/**
 * Sandbox timers: spec.shutdownTime deletes the sandbox, spec.pauseTime pauses it.
 *
 * Rules:
 * - A sandbox being deleted has no timers.
 * - The shutdown fires at shutdownTime in every phase, including Failed and Succeeded (a failed claimed sandbox is
 *   still deleted on time; the pool deletes its own dead members at once anyway).
 * - Paused time does not count against the timeout. While a sandbox is paused (status.pausedAt set) its clock stands
 *   still at pausedAt: the shutdown fires only if shutdownTime ≤ pausedAt. On resume, shutdownTime is pushed later by the
 *   time spent paused (shutdownAfterResume). Exception: a sandbox with a paused-retention policy
 *   (reserve-paused-sandbox-duration) is on the wall clock while paused, since the pause set shutdownTime to the end
 *   of the retention on purpose.
 * - With a retention policy, a shutdown that falls due when the pause is also due waits for the pause, so the sandbox is
 *   paused and retained rather than deleted.
 * - The pause fires at pauseTime when spec.paused is not set and the sandbox is not in a terminal phase. It sets
 *   spec.paused, clears spec.pauseTime (it is one-shot: otherwise a resume would pause again at once), and with a
 *   retention policy and a shutdownTime sets shutdownTime = now + retention (to the second).
 * - Timers are skipped while Recycling, unless the recycle failed or timed out.
 * - Otherwise the next reconcile is due at the nearest pending deadline.
 */
import {
  FOREVER_MS,
  SandboxConditions,
  findCondition,
  pausedRetentionMs,
  shutdownClock,
  type Sandbox,
} from '@kruise-agents/api';
import { formatTime, parseTime, toMs, type Instant } from '../time';

const RECYCLING_CONDITION = SandboxConditions.Recycling;
const RECYCLE_ENDED_REASONS = ['RecyclingFailed', 'RecyclingTimeout'];

export { FOREVER_MS, pausedRetentionMs, shutdownClock };

export type TimerDecision =
  /** Delete the sandbox: its shutdownTime has passed. */
  | { action: 'delete' }
  /** The pause is due: write this replacement Sandbox as an update carrying its resourceVersion. */
  | { action: 'pause'; sandbox: Sandbox }
  /** Nothing is due; look again after requeueAfterMs when a timer is pending. */
  | { action: 'none'; requeueAfterMs?: number };

/**
 * The shutdownTime to write when a paused sandbox resumes at `now`: pushed later by the time spent paused
 * (now − status.pausedAt), to the second. Unchanged when there is no shutdownTime, no pausedAt, or a retention policy.
 */
export function shutdownAfterResume(
  sandbox: Pick<Sandbox, 'metadata' | 'spec' | 'status'>,
  now: Instant,
): string | undefined {
  const shutdown = parseTime(sandbox.spec.shutdownTime);
  const pausedAt = parseTime(sandbox.status?.pausedAt);
  if (shutdown === undefined || pausedAt === undefined || pausedRetentionMs(sandbox) !== undefined) {
    return sandbox.spec.shutdownTime;
  }
  return formatTime(shutdown + Math.max(0, toMs(now) - pausedAt));
}

export function decideTimers(sandbox: Sandbox, now: Instant): TimerDecision {
  const nowMs = toMs(now);
  if (sandbox.metadata.deletionTimestamp) return { action: 'none' };
  const phase = sandbox.status?.phase;
  if (phase === 'Recycling') {
    const reason = findCondition(sandbox.status?.conditions, RECYCLING_CONDITION)?.reason ?? '';
    if (!RECYCLE_ENDED_REASONS.includes(reason)) return { action: 'none' };
  }
  const terminal = phase === 'Failed' || phase === 'Succeeded';
  const retention = pausedRetentionMs(sandbox);
  const shutdown = parseTime(sandbox.spec.shutdownTime);
  const pause = !terminal && !sandbox.spec.paused ? parseTime(sandbox.spec.pauseTime) : undefined;
  const clock = shutdownClock(sandbox, nowMs);
  const frozen = clock !== nowMs;

  const pauseDue = pause !== undefined && pause <= nowMs;
  if (shutdown !== undefined && shutdown <= clock && !(retention !== undefined && pauseDue)) {
    return { action: 'delete' };
  }
  if (pauseDue) {
    const next = structuredClone(sandbox);
    next.spec.paused = true;
    delete next.spec.pauseTime;
    if (retention !== undefined && shutdown !== undefined) next.spec.shutdownTime = formatTime(nowMs + retention);
    return { action: 'pause', sandbox: next };
  }
  const deadlines = [pause, frozen ? undefined : shutdown].filter((t): t is number => t !== undefined);
  if (deadlines.length === 0) return { action: 'none' };
  return { action: 'none', requeueAfterMs: Math.max(0, Math.min(...deadlines) - nowMs) };
}
