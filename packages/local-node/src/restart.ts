/** restartPolicy and crash-loop back-off, as the kubelet applies them. Pure. */

export interface Backoff {
  /** Delay before the second restart in a row (the first is immediate); kubelet uses 10 s. */
  initialMs: number;
  /** Cap of the doubling delay; kubelet uses 300 s. */
  maxMs: number;
}

export const KUBELET_BACKOFF: Backoff = { initialMs: 10_000, maxMs: 300_000 };

/** Whether a container that exited with `exitCode` is started again under `restartPolicy`. */
export function shouldRestart(restartPolicy: string | undefined, exitCode: number): boolean {
  const policy = restartPolicy ?? 'Always';
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** Delay before restarting after the n-th crash in a row (n ≥ 1): 0, initial, 2×initial, … capped at max. */
export function backoffDelay(crashes: number, backoff: Backoff): number {
  if (crashes <= 1) return 0;
  return Math.min(backoff.initialMs * 2 ** (crashes - 2), backoff.maxMs);
}

/** A container that ran at least this long before it exited is not crash-looping: its count starts over. */
export function crashCountAfterExit(previousCrashes: number, ranMs: number, backoff: Backoff): number {
  return ranMs >= Math.max(backoff.maxMs, 10 * backoff.initialMs) ? 1 : previousCrashes + 1;
}
