/**
 * Reading /proc: a process's start time (so a recorded pid is not mistaken for a new process that reused it), the
 * live members of a process group (zombies do not count: an orphaned zombie may never be reaped where PID 1 is not
 * an init, and it holds no resources worth waiting for), and whether a member is a PID namespace's init that a
 * SIGTERM from here does not reach. Without /proc (not Linux) these fall back to kill(0).
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Stat {
  state: string;
  ppid: number;
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
  return { state: rest[0] ?? '?', ppid: Number(rest[1]), pgrp: Number(rest[2]), startTime: rest[19] ?? '' };
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

/** A live member of a process group and its parent (0 when unknown, without /proc). */
export interface GroupProcess {
  pid: number;
  ppid: number;
}

/** Live (non-zombie) members of the process group, with their parents. */
export function groupProcesses(pgid: number): GroupProcess[] {
  if (!hasProc) return signalZero(-pgid) ? [{ pid: pgid, ppid: 0 }] : [];
  const members: GroupProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') {
      members.push({ pid: Number(entry), ppid: stat.ppid });
    }
  }
  return members;
}

/** Live (non-zombie) pids in the process group. */
export function groupMembers(pgid: number): number[] {
  return groupProcesses(pgid).map((p) => p.pid);
}

const SIGTERM_BIT = 1n << 14n; // signal 15: bit 14 of the masks in /proc/<pid>/status

/**
 * True when `pid` is the init (PID 1) of a PID namespace below ours without a SIGTERM handler. The kernel delivers a
 * signal sent from outside the namespace to its init only when the init handles it (SIGKILL and SIGSTOP excepted):
 * a SIGTERM sent to such a process is dropped, as if it had never been sent. bubblewrap (--unshare-pid) is one while
 * it sets up the sandbox, before it forks the program.
 */
export function sigtermDropped(pid: number): boolean {
  if (!hasProc) return false;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return false;
  }
  const nsPids = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
  if (nsPids.length < 2 || nsPids[nsPids.length - 1] !== '1') return false;
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return caught === undefined || (BigInt(`0x${caught}`) & SIGTERM_BIT) === 0n;
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
