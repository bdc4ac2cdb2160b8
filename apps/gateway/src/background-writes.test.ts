import { describe, expect, it } from '@jest/globals';
import { BackgroundWrites } from './background-writes';

describe('BackgroundWrites', () => {
  it('runs at most `concurrency` writes at once, all of them eventually', async () => {
    const writes = new BackgroundWrites(2);
    let running = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 10; i++) {
      writes.add(async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        done++;
      });
    }
    while (writes.pending > 0) await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(10);
    expect(peak).toBe(2);
  });

  it('reports failures and drops writes when full or closed', async () => {
    const errors: unknown[] = [];
    const writes = new BackgroundWrites(1, 1, (e) => errors.push(e));
    writes.add(() => Promise.reject(new Error('boom')));
    writes.add(() => new Promise(() => {})); // queued behind the first
    writes.add(() => Promise.resolve()); // the queue holds one: dropped
    await new Promise((r) => setTimeout(r, 5));
    writes.close();
    writes.add(() => Promise.resolve()); // closed: dropped
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/dropped/),
      'boom',
      expect.stringMatching(/dropped/),
    ]);
  });
});
