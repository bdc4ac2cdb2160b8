/**
 * Signals to a container's process group: every container is spawned as a group leader (detached), so one signal
 * reaches the program and everything it started. Stop is graceful (SIGTERM, the grace period, then SIGKILL); freeze
 * is SIGSTOP and thaw SIGCONT, which keep memory exactly as it was.
 */
import { groupMembers, groupProcesses, sigtermDropped, type GroupProcess } from './proc';

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
  const passOn = sigtermPassedOn(groupProcesses(pgid));
  // Thaw first, then SIGTERM: the program receives its SIGTERM running, as if it had never been frozen.
  if (!signalGroup(pgid, 'SIGCONT')) return 'exited';
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let wait = Math.min(pollMs, 5);
  while (Date.now() < deadline && !options.signal?.aborted) {
    const members = groupProcesses(pgid);
    if (members.length === 0) return 'exited';
    passOn(members);
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, pollMs);
  }
  if (groupMembers(pgid).length === 0) return 'exited';
  signalGroup(pgid, 'SIGKILL');
  return 'killed';
}

/**
 * The group's SIGTERM for the processes a PID namespace's init starts after it. The kernel drops a SIGTERM sent to
 * such an init from outside when it has no handler, and bubblewrap (--unshare-pid) sets up the whole sandbox as that
 * init before it forks the program: a SIGTERM in that window (a pod deleted, or frozen and deleted, just after its
 * start) reaches nobody in the sandbox, and the program, forked a moment later, would run until the SIGKILL at the end
 * of the grace period. So a process that appears under such an init gets the SIGTERM itself, once, with whatever it
 * started before it was seen. Nothing else that appears is signalled: a process that a member starts after its
 * SIGTERM (a shutdown helper) is part of the graceful exit, as in any group.
 *
 * `before` are the members just before the group's SIGTERM; the result takes each later look at the group.
 */
function sigtermPassedOn(before: GroupProcess[]): (members: GroupProcess[]) => void {
  const present = new Set(before.map((p) => p.pid));
  const seen = new Set(present);
  const deaf = new Set(before.filter((p) => sigtermDropped(p.pid)).map((p) => p.pid));
  return (members) => {
    const fresh = new Map(members.filter((p) => !seen.has(p.pid)).map((p) => [p.pid, p]));
    for (const p of fresh.values()) {
      seen.add(p.pid);
      // An init that a member cloned between that look and the SIGTERM dropped it too. (One cloned later, by a
      // process that outlived its SIGTERM, missed nothing.)
      if (present.has(p.ppid) && sigtermDropped(p.pid)) deaf.add(p.pid);
    }
    const missed = (p: GroupProcess | undefined): boolean =>
      p !== undefined && !deaf.has(p.pid) && (deaf.has(p.ppid) || missed(fresh.get(p.ppid)));
    for (const p of fresh.values()) {
      if (!missed(p)) continue;
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        // Gone already (ESRCH).
      }
    }
  };
}

/** SIGKILL to the group, at once (node shutdown after the grace period, or an orphan found at start). */
export function killGroup(pgid: number): void {
  signalGroup(pgid, 'SIGCONT');
  signalGroup(pgid, 'SIGKILL');
}
