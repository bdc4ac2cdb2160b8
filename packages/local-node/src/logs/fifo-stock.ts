/**
 * Ready-made FIFOs for the containers' log pipes. Node cannot make a FIFO itself, so making one means running mkfifo,
 * and a process spawn on every container start cost ≈ 12 ms a pod on a 2-CPU machine (bench-local-node). The stock
 * makes them a batch per spawn, ahead of need, and a container start only renames two into place — a rename, so the
 * stock lives on the same filesystem as the logs (under the node's data dir).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type MakeFifos = (paths: string[]) => Promise<unknown>;

const mkfifo: MakeFifos = (paths) => run('mkfifo', ['-m', '600', ...paths]);

export class FifoStock {
  private readonly spare: string[] = [];
  private making?: Promise<void>;
  private serial = 0;

  constructor(
    /** Where the spares wait: emptied when the stock starts (a crashed node's spares are nobody's). */
    private readonly dir: string,
    private readonly batch = 32,
    private readonly make: MakeFifos = mkfifo,
  ) {
    rmSync(dir, { recursive: true, force: true });
  }

  /** Moves `count` fresh FIFOs to `targets` (whatever was there is replaced); throws what making them threw. */
  async placeAt(targets: string[]): Promise<void> {
    while (this.spare.length < targets.length) await this.refill();
    for (const target of targets) renameSync(this.spare.shift()!, target);
    // Topped up in the background, so the next starts find spares; a failure shows at the next placeAt.
    if (this.spare.length < this.batch / 2) this.refill().catch(() => undefined);
  }

  /** Removes the spares (node shutdown). */
  close(): void {
    this.spare.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private refill(): Promise<void> {
    this.making ??= (async () => {
      try {
        mkdirSync(this.dir, { recursive: true });
        const paths = Array.from({ length: this.batch }, () => path.join(this.dir, `${this.serial++}.fifo`));
        await this.make(paths);
        this.spare.push(...paths);
      } finally {
        this.making = undefined;
      }
    })();
    return this.making;
  }
}
