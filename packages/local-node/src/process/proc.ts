/**
 * Reading /proc: a process's start time (so a recorded pid is not mistaken for a new process that reused it) and the
 * live members of a process group (zombies do not count: an orphaned zombie may never be reaped where PID 1 is not
 * an init, and it holds no resources worth waiting for). Without /proc (not Linux) these fall back to kill(0).
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Stat {
  state: string;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are fixed.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '?', pgrp: Number(rest[2]), startTime: rest[19] ?? '' };
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

/** The process's start time in clock ticks since boot, or undefined when it is gone (or there is no /proc). */
export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

/** True when `pid` is alive, not a zombie, and (when given) the same process that started at `startTime`. */
export function isSameProcess(pid: number, startTime?: string): boolean {
  if (!hasProc) return signalZero(pid);
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || startTime === '' || stat.startTime === startTime;
}

/** Live (non-zombie) pids in the process group. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) return signalZero(-pgid) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(Number(entry));
  }
  return members;
}

/** True when every live member of the group is stopped (state T). */
export function groupStopped(pgid: number): boolean {
  const members = groupMembers(pgid);
  return members.length > 0 && members.every((pid) => readStat(pid)?.state === 'T');
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
