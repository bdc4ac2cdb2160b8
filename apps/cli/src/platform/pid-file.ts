/**
 * <data-dir>/up.pid: how `down` and `status` find a running `up`, and how a second `up` on the same data dir is
 * refused (two API servers on one SQLite file would fight over it).
 */
import fs from 'node:fs';
import path from 'node:path';

export const pidFilePath = (dataDir: string): string => path.join(dataDir, 'up.pid');

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the `up` running on this data dir, or undefined (a stale file from a killed run is ignored). */
export function runningPid(dataDir: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pidFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return isAlive(pid) && looksLikeUs(pid) ? pid : undefined;
}

/** A pid from a stale file may have been reused by an unrelated process; Linux tells us what each pid runs. */
function looksLikeUs(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kruise-agents');
  } catch {
    return true; // no /proc (macOS): trust the file
  }
}

export function writePidFile(dataDir: string): void {
  fs.writeFileSync(pidFilePath(dataDir), `${process.pid}\n`, { mode: 0o600 });
}

/** Removes the file only while it is still ours (a newer `up` may have replaced it). */
export function removePidFile(dataDir: string): void {
  try {
    if (fs.readFileSync(pidFilePath(dataDir), 'utf8').trim() === String(process.pid)) fs.rmSync(pidFilePath(dataDir));
  } catch {
    // already gone
  }
}
