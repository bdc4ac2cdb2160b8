/**
 * The derived state of a sandbox: the one view that pool counting, claiming and the E2B API all share.
 * It is computed, never stored, so every reader agrees on it.
 */
import { parseDuration } from './duration';
import { API_VERSION } from './group';
import type { Condition } from './schemas/common';
import type { Sandbox } from './schemas/sandbox';
import { Annotations } from './well-known';

export const SANDBOX_STATES = ['creating', 'available', 'running', 'paused', 'dead'] as const;
export type SandboxState = (typeof SANDBOX_STATES)[number];

/** The parts of a Sandbox the state depends on; a full Sandbox satisfies it. */
export type SandboxStateInput = Pick<Sandbox, 'metadata'> & {
  spec?: Pick<Sandbox['spec'], 'paused' | 'shutdownTime'>;
  status?: Pick<NonNullable<Sandbox['status']>, 'phase' | 'conditions' | 'pausedAt'>;
};

/** "forever" (or an unparsable value) keeps a paused sandbox for 100 years. */
export const FOREVER_MS = 100 * 365 * 24 * 3_600_000;

/** The paused-retention policy of a sandbox (its reserve-paused-sandbox-duration annotation) in ms; undefined if none. */
export function pausedRetentionMs(sandbox: Pick<Sandbox, 'metadata'>): number | undefined {
  const value = sandbox.metadata.annotations?.[Annotations.ReservePausedSandboxDuration];
  if (value === undefined) return undefined;
  if (value === 'forever') return FOREVER_MS;
  try {
    const ms = parseDuration(value);
    return ms > 0 ? ms : FOREVER_MS;
  } catch {
    return FOREVER_MS;
  }
}

/**
 * The instant a sandbox's shutdownTime is compared with. Paused time does not count against the timeout: while a
 * sandbox is paused (status.pausedAt set) its clock stands still at pausedAt. A sandbox with a paused-retention
 * policy is the exception: its pause moved shutdownTime to the end of the retention on purpose, on the wall clock.
 */
export function shutdownClock(sandbox: SandboxStateInput, now: Date | number): number {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const pausedAt = sandbox.status?.pausedAt ? Date.parse(sandbox.status.pausedAt) : Number.NaN;
  if (Number.isNaN(pausedAt) || pausedRetentionMs(sandbox) !== undefined) return nowMs;
  return Math.min(pausedAt, nowMs);
}

/** The controller ownerReference of a sandbox when it is a SandboxSet (i.e. the sandbox is an unclaimed pool member). */
export function sandboxSetOwner(sandbox: Pick<Sandbox, 'metadata'>) {
  return sandbox.metadata.ownerReferences?.find(
    (ref) => ref.controller === true && ref.kind === 'SandboxSet' && ref.apiVersion === API_VERSION,
  );
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Evaluated in order, first match wins:
 * deleting or past its shutdownTime (on the shutdown clock, which stands still while paused) → dead; Pending (or no phase yet) → creating; Succeeded/Failed/Terminating → dead;
 * in a pool (SandboxSet controller) → available when Ready, else creating; claimed and Running → paused when
 * spec.paused, running when Ready, else dead; claimed in any other phase (Paused, Resuming, Upgrading, Recycling) →
 * paused.
 */
export function getSandboxState(sandbox: SandboxStateInput, now: Date | number = Date.now()): SandboxState {
  if (sandbox.metadata.deletionTimestamp) return 'dead';
  const shutdown = sandbox.spec?.shutdownTime;
  if (shutdown && Date.parse(shutdown) <= shutdownClock(sandbox, now)) return 'dead';
  const phase = sandbox.status?.phase ?? 'Pending';
  if (phase === 'Pending') return 'creating';
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Terminating') return 'dead';
  const ready = isConditionTrue(sandbox.status?.conditions, 'Ready');
  if (sandboxSetOwner(sandbox)) return ready ? 'available' : 'creating';
  if (phase === 'Running') {
    if (sandbox.spec?.paused) return 'paused';
    return ready ? 'running' : 'dead';
  }
  return 'paused';
}
