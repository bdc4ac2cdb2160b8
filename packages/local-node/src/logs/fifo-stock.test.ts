import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { FifoStock, type MakeFifos } from './fifo-stock';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fifo-stock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FifoStock', () => {
  it('places real FIFOs with one mkfifo run per batch, not per container', async () => {
    const dir = tempDir();
    let runs = 0;
    const stock = new FifoStock(path.join(dir, 'stock'), 8, async (paths) => {
      runs++;
      const { execFile } = await import('node:child_process');
      await new Promise((resolve, reject) =>
        execFile('mkfifo', ['-m', '600', ...paths], (e) => (e ? reject(e) : resolve(undefined))),
      );
    });
    for (let i = 0; i < 6; i++) {
      const targets = [path.join(dir, `${i}.stdout.fifo`), path.join(dir, `${i}.stderr.fifo`)];
      await stock.placeAt(targets);
      for (const t of targets) expect(statSync(t).isFIFO()).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 50)); // a background top-up may still run
    expect(runs).toBeLessThanOrEqual(3); // 12 FIFOs from batches of 8, not 6 runs
    stock.close();
    expect(existsSync(path.join(dir, 'stock'))).toBe(false);
  });

  it('starts empty, whatever a crashed node left, and replaces what is at the target', async () => {
    const dir = tempDir();
    const made: string[][] = [];
    const touch: MakeFifos = async (paths) => {
      made.push(paths);
      const { writeFileSync } = await import('node:fs');
      for (const p of paths) writeFileSync(p, 'new');
    };
    const first = new FifoStock(path.join(dir, 'stock'), 4, touch);
    await first.placeAt([path.join(dir, 'a')]);
    const second = new FifoStock(path.join(dir, 'stock'), 4, touch);
    expect(readdirSync(dir)).not.toContain('stock'); // the first one's spares are gone
    await second.placeAt([path.join(dir, 'a')]);
    expect(made).toHaveLength(2);
  });

  it('throws what making them threw, and tries again at the next start', async () => {
    const dir = tempDir();
    let fail = true;
    const stock = new FifoStock(path.join(dir, 'stock'), 2, async (paths) => {
      if (fail) throw new Error('mkfifo: no space left');
      const { writeFileSync } = await import('node:fs');
      for (const p of paths) writeFileSync(p, '');
    });
    await expect(stock.placeAt([path.join(dir, 'x')])).rejects.toThrow('no space left');
    fail = false;
    await stock.placeAt([path.join(dir, 'x')]);
    expect(existsSync(path.join(dir, 'x'))).toBe(true);
  });
});
