/**
 * A restarted node picks up where it left off. Processes whose pods are gone are killed (and their directories
 * removed); processes of pods still here are adopted; containers whose process is gone count as exited, and
 * restartPolicy decides whether they start again (restartCount + 1) or the pod fails. Virtual pods are recovered from
 * their status alone.
 */
import type { Pod } from '@kruise-agents/kube-runtime';
import type { PriorContainer } from './pod-worker';
import { isSameProcess } from './process/proc';
import { killGroup } from './process/signals';
import { readPodRecords, removePodDirectory, type PodRecord } from './state-store';

export class Recovery {
  private readonly records = new Map<string, PodRecord>();

  constructor(
    private readonly dataDir: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the state files against the pods bound to this node; kills the processes of pods that are gone. */
  scan(ours: readonly Pod[]): void {
    if (!this.dataDir) return;
    const byUid = new Map(ours.map((p) => [p.metadata.uid, p]));
    for (const { dir, record } of readPodRecords(this.dataDir)) {
      const pod = byUid.get(record.uid);
      const finished = pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed';
      if (pod && !finished) {
        this.records.set(record.uid, record);
        continue;
      }
      for (const c of record.containers) {
        if (c.record && isSameProcess(c.record.pid, c.record.startTime)) {
          this.log(`killing ${record.namespace}/${record.name} ${c.name} (pid ${c.record.pid}): its pod is gone`);
          killGroup(c.record.pid);
        }
      }
      // A finished pod keeps its directory (logs, files) until it is deleted.
      if (!pod) removePodDirectory(dir);
    }
  }

  /** What the pod's containers were before the restart (consumed: asked once per pod). */
  priorFor(pod: Pod, mode: 'process' | 'virtual'): PriorContainer[] {
    const uid = pod.metadata.uid ?? '';
    const record = this.records.get(uid);
    if (record) {
      this.records.delete(uid);
      return record.containers.map((c) => ({
        ...c,
        record: c.record && isSameProcess(c.record.pid, c.record.startTime) ? c.record : undefined,
      }));
    }
    // No state file: the status is all there is. A virtual container it says runs, runs; a process is gone.
    return (pod.status?.containerStatuses ?? [])
      .filter((s) => s.imageID)
      .map((s) => {
        const running = s.state?.running;
        return {
          name: s.name,
          image: s.image,
          imageID: s.imageID,
          restartCount: s.restartCount,
          record: mode === 'virtual' && running?.startedAt ? { pid: 0, startedAt: running.startedAt } : undefined,
        };
      });
  }
}
