/**
 * How E2B timeouts become the Sandbox's timers (the operator enforces them: core's decideTimers).
 *
 * - A sandbox's timeout action is `kill` (delete at `shutdownTime`) or `pause` (E2B auto-pause: pause at
 *   `pauseTime`, then delete after the paused-retention, `shutdownTime = pauseTime + retention`). The action is kept
 *   in the `agents.kruise.io/on-timeout` annotation, because pausing clears the one-shot `pauseTime`.
 * - A sandbox with neither timer never times out, and the timeout calls leave it so.
 * - Setting the timeout replaces it (shorter or longer); connecting to a running sandbox only extends it; resuming a
 *   paused one starts a fresh timeout from now. Pausing moves the deletion to the end of the retention, so paused
 *   time never consumes the timeout.
 * - Times are whole seconds in UTC.
 */
import { Annotations, FOREVER_MS, pausedRetentionMs, type Sandbox } from '@kruise-agents/api';

export const DEFAULT_TIMEOUT_SECONDS = 300;
/** 30 days, E2B's own upper bound. */
export const MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;
/** A resumed sandbox gets at least this long, whatever timeout the connect asked for. */
export const MIN_RESUME_TIMEOUT_SECONDS = 300;

export type OnTimeout = 'kill' | 'pause';

export interface Timers {
  shutdownTime?: string;
  pauseTime?: string;
}

export interface TimeoutPolicy {
  onTimeout: OnTimeout;
  /** How long a paused sandbox is kept. */
  retentionMs: number;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A sandbox's timeout policy, from its annotations. */
export function timeoutPolicyOf(sandbox: Pick<Sandbox, 'metadata'>): TimeoutPolicy {
  return {
    onTimeout: sandbox.metadata.annotations?.[Annotations.OnTimeout] === 'pause' ? 'pause' : 'kill',
    retentionMs: pausedRetentionMs(sandbox) ?? FOREVER_MS,
  };
}

/** The timers for a timeout of `timeoutSeconds` from now. */
export function timersFor(nowMs: number, timeoutSeconds: number, policy: TimeoutPolicy): Timers {
  const end = nowMs + timeoutSeconds * 1000;
  if (policy.onTimeout === 'kill') return { shutdownTime: iso(end) };
  return { pauseTime: iso(end), shutdownTime: iso(end + policy.retentionMs) };
}

/** True when the sandbox times out at all (it has a pause or a shutdown time). */
export function hasDeadline(spec: Timers): boolean {
  return spec.shutdownTime !== undefined || spec.pauseTime !== undefined;
}

/** When the running sandbox's timeout ends: the pause in auto-pause mode, else the shutdown. */
export function timeoutEnd(spec: Timers, policy: TimeoutPolicy): string | undefined {
  return policy.onTimeout === 'pause' ? spec.pauseTime : spec.shutdownTime;
}

/** POST /sandboxes/{id}/timeout: the timeout becomes now + N, shorter or longer. Undefined: nothing to change. */
export function timersForSetTimeout(
  spec: Timers,
  nowMs: number,
  timeoutSeconds: number,
  policy: TimeoutPolicy,
): Timers | undefined {
  return hasDeadline(spec) ? timersFor(nowMs, timeoutSeconds, policy) : undefined;
}

/**
 * Connect: a paused sandbox being resumed gets a fresh timeout (at least MIN_RESUME_TIMEOUT_SECONDS); a running one
 * is extended to now + N and never shortened. Undefined: nothing to change.
 */
export function timersForConnect(
  spec: Timers,
  nowMs: number,
  timeoutSeconds: number,
  policy: TimeoutPolicy,
  resuming: boolean,
): Timers | undefined {
  if (!hasDeadline(spec)) return undefined;
  if (resuming) return timersFor(nowMs, Math.max(timeoutSeconds, MIN_RESUME_TIMEOUT_SECONDS), policy);
  const end = timeoutEnd(spec, policy);
  if (end !== undefined && Date.parse(end) >= nowMs + timeoutSeconds * 1000) return undefined;
  return timersFor(nowMs, timeoutSeconds, policy);
}

/** Pause: the sandbox now lives for its retention from now, whatever was left of its timeout. */
export function timersForPause(spec: Timers, nowMs: number, policy: TimeoutPolicy): Timers | undefined {
  if (!hasDeadline(spec)) return undefined;
  return { shutdownTime: iso(nowMs + policy.retentionMs) };
}
