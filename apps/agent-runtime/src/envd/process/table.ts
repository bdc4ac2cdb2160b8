/** The live processes of one runtime, by pid and tag. A process leaves the table when it exits (as in envd). */
import { RuntimeError } from '../errors';
import type { ProcessSelector } from '../../gen/process/process_pb';
import type { ManagedProcess } from './managed-process';

export class ProcessTable {
  private readonly byPid = new Map<number, ManagedProcess>();

  add(proc: ManagedProcess): void {
    this.byPid.set(proc.pid, proc);
    void proc.exited.then(() => {
      if (this.byPid.get(proc.pid) === proc) this.byPid.delete(proc.pid);
    });
  }

  all(): ManagedProcess[] {
    return [...this.byPid.values()].filter((p) => !p.done);
  }

  find(selector: ProcessSelector | undefined): ManagedProcess {
    const sel = selector?.selector;
    let proc: ManagedProcess | undefined;
    if (sel?.case === 'pid') proc = this.byPid.get(sel.value);
    else if (sel?.case === 'tag') proc = this.all().find((p) => p.spec.tag === sel.value);
    else throw new RuntimeError('invalid_argument', 'a process selector (pid or tag) is required');
    if (!proc || proc.done) {
      throw new RuntimeError(
        'not_found',
        `process ${sel.case === 'pid' ? sel.value : `with tag "${sel.value}"`} not found`,
      );
    }
    return proc;
  }

  /** Kills everything (runtime shutdown). */
  killAll(): void {
    for (const proc of this.byPid.values()) proc.signal('SIGKILL');
  }
}
