/**
 * What survives a restart of the node: per pod, a small state file beside its sandbox root with the pids (and /proc
 * start times) of its containers' processes. A restarted node kills the processes of pods that are gone and adopts
 * those of pods that are still here. Virtual pods need no file: their status says everything.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessRecord } from './runtime';

export interface ContainerRecord {
  name: string;
  image: string;
  imageID: string;
  restartCount: number;
  /** The live process, if any. */
  record?: ProcessRecord;
}

export interface PodRecord {
  namespace: string;
  name: string;
  uid: string;
  podIP: string;
  containers: ContainerRecord[];
}

const STATE_FILE = 'state.json';

/** The pod's directory: <dataDir>/pods/<namespace>_<name>_<uid>, holding root/, logs/ and state.json. */
export function podDirectory(dataDir: string, namespace: string, name: string, uid: string): string {
  return path.join(dataDir, 'pods', `${namespace}_${name}_${uid}`);
}

/** The log file of one run of a container: logs/<container>/<restartCount>.log in the pod's directory. */
export function containerLogFile(podDir: string, container: string, restartCount: number): string {
  return path.join(podDir, 'logs', container, `${restartCount}.log`);
}

export function writePodRecord(dir: string, record: PodRecord): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STATE_FILE);
  // Write-then-rename, so a crash mid-write never leaves a torn file.
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
}

export function readPodRecords(dataDir: string): Array<{ dir: string; record: PodRecord }> {
  const root = path.join(dataDir, 'pods');
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const out: Array<{ dir: string; record: PodRecord }> = [];
  for (const entry of entries) {
    const dir = path.join(root, entry);
    try {
      out.push({ dir, record: JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')) as PodRecord });
    } catch {
      // A directory without a readable state file holds no process to find: it is removed with its pod.
      out.push({ dir, record: { namespace: '', name: '', uid: '', podIP: '', containers: [] } });
    }
  }
  return out;
}

export function removePodDirectory(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
