/**
 * How E2B timeouts become the Sandbox's timers. Without auto-pause the sandbox is deleted at `shutdownTime`; with it,
 * it is paused at `pauseTime` and deleted after the paused-retention (`shutdownTime = pauseTime + retention`). A
 * sandbox with neither timer never times out. Paused time never consumes the timeout: pausing moves the deletion to
 * the end of the retention, and connecting starts a fresh timeout from now.
 */
import { Annotations, parseDuration, type Sandbox } from '@kruise-agents/api';

export const DEFAULT_TIMEOUT_SECONDS = 300;
/** 30 days, E2B's own upper bound. */
export const MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;
/** What "forever" means for a paused sandbox's retention: 100 years. */
export const FOREVER_MS = 100 * 365 * 24 * 3600 * 1000;

export interface Timers {
  shutdownTime?: string;
  pauseTime?: string;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The paused-retention of a sandbox (its annotation, `forever` or a duration), in ms. */
export function pausedRetentionMs(value: string | undefined): number {
  if (value === undefined || value === 'forever') return FOREVER_MS;
  try {
    const ms = parseDuration(value);
    return ms > 0 ? ms : FOREVER_MS;
  } catch {
    return FOREVER_MS;
  }
}

export function retentionOf(sandbox: Pick<Sandbox, 'metadata'>): number {
  return pausedRetentionMs(sandbox.metadata.annotations?.[Annotations.ReservePausedSandboxDuration]);
}

/** Timers for a newly claimed sandbox. */
export function timersForCreate(input: {
  nowMs: number;
  timeoutSeconds: number;
  autoPause: boolean;
  neverTimeout?: boolean;
  retentionMs?: number;
}): Timers {
  if (input.neverTimeout) return {};
  const end = input.nowMs + input.timeoutSeconds * 1000;
  if (!input.autoPause) return { shutdownTime: iso(end) };
  return { pauseTime: iso(end), shutdownTime: iso(end + (input.retentionMs ?? FOREVER_MS)) };
}

/** True when the sandbox times out at all (it has a pause or a shutdown time). */
export function hasDeadline(spec: Timers): boolean {
  return spec.shutdownTime !== undefined || spec.pauseTime !== undefined;
}

/** When the sandbox's timeout ends: its pause time in auto-pause mode, else its shutdown time. */
export function timeoutEnd(spec: Timers): string | undefined {
  return spec.pauseTime ?? spec.shutdownTime;
}

/** POST /sandboxes/{id}/timeout: the timeout is set to now + N, shorter or longer. Undefined: nothing to change. */
export function timersForSetTimeout(
  spec: Timers,
  nowMs: number,
  timeoutSeconds: number,
  retentionMs: number,
): Timers | undefined {
  if (!hasDeadline(spec)) return undefined;
  return timersForCreate({ nowMs, timeoutSeconds, autoPause: spec.pauseTime !== undefined, retentionMs });
}

/** Connect: the timeout is extended to now + N, never shortened. Undefined: nothing to change. */
export function timersForConnect(
  spec: Timers,
  nowMs: number,
  timeoutSeconds: number,
  retentionMs: number,
): Timers | undefined {
  if (!hasDeadline(spec)) return undefined;
  const end = timeoutEnd(spec);
  if (end !== undefined && Date.parse(end) >= nowMs + timeoutSeconds * 1000) return undefined;
  return timersForCreate({ nowMs, timeoutSeconds, autoPause: spec.pauseTime !== undefined, retentionMs });
}

/** Pause: the sandbox now lives for its retention from now, whatever was left of its timeout. */
export function timersForPause(spec: Timers, nowMs: number, retentionMs: number): Timers | undefined {
  if (!hasDeadline(spec)) return undefined;
  const until = iso(nowMs + retentionMs);
  return spec.pauseTime !== undefined ? { pauseTime: spec.pauseTime, shutdownTime: until } : { shutdownTime: until };
}
