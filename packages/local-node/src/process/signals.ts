/**
 * Signals to a container's process group: every container is spawned as a group leader (detached), so one signal
 * reaches the program and everything it started. Stop is graceful (SIGTERM, the grace period, then SIGKILL); freeze
 * is SIGSTOP and thaw SIGCONT, which keep memory exactly as it was.
 */
import { groupMembers } from './proc';

/** Sends `signal` to the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

export const freezeGroup = (pgid: number) => signalGroup(pgid, 'SIGSTOP');
export const thawGroup = (pgid: number) => signalGroup(pgid, 'SIGCONT');

export interface TerminateOptions {
  graceMs: number;
  /** How often to look whether the group is gone. */
  pollMs?: number;
  /** Ends the grace period early (e.g. the node is shutting down hard). */
  signal?: AbortSignal;
}

/**
 * SIGCONT and SIGTERM to the group, wait until no member is left or the grace period ends, then SIGKILL whatever
 * remains. Resolves with how it ended.
 */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<'exited' | 'killed'> {
  const { graceMs, pollMs = 25 } = options;
  // Thaw first, then SIGTERM: the program receives its SIGTERM running, as if it had never been frozen.
  if (!signalGroup(pgid, 'SIGCONT')) return 'exited';
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let wait = Math.min(pollMs, 5);
  while (Date.now() < deadline && !options.signal?.aborted) {
    if (groupMembers(pgid).length === 0) return 'exited';
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, pollMs);
  }
  if (groupMembers(pgid).length === 0) return 'exited';
  signalGroup(pgid, 'SIGKILL');
  return 'killed';
}

/** SIGKILL to the group, at once (node shutdown after the grace period, or an orphan found at start). */
export function killGroup(pgid: number): void {
  signalGroup(pgid, 'SIGCONT');
  signalGroup(pgid, 'SIGKILL');
}
