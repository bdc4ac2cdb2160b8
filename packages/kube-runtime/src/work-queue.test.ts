import { describe, expect, it } from '@jest/globals';
import { runController, TerminalError } from './controller';
import { WorkQueue } from './work-queue';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WorkQueue', () => {
  it('holds a waiting key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key to two workers: an add while processing re-queues it when done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await tick();
    expect(second).toBeUndefined();
    q.done(key!);
    await tick();
    expect(second).toBe('a');
  });

  it('wakes a waiting worker on add', async () => {
    const q = new WorkQueue();
    const got = q.get();
    q.add('x');
    expect(await got).toBe('x');
  });

  it('backs off per key, doubling from the base, and forget resets it', async () => {
    const q = new WorkQueue({ baseDelayMs: 20, maxDelayMs: 50 });
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.numRequeues('a')).toBe(2);
    const started = Date.now();
    expect(await q.get()).toBe('a');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    q.done('a');
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('keeps the earliest of several delayed adds', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 10_000);
    q.addAfter('a', 10);
    const started = Date.now();
    expect(await q.get()).toBe('a');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('caps a delay beyond what a timer can hold instead of firing at once', async () => {
    const q = new WorkQueue();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    q.addAfter('far', 100 * 365 * 24 * 3_600_000);
    await new Promise((r) => setTimeout(r, 30));
    process.off('warning', onWarning);
    expect(q.length).toBe(0);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    q.shutDown();
  });

  it('releases waiting workers on shut down', async () => {
    const q = new WorkQueue();
    const got = q.get();
    q.shutDown();
    expect(await got).toBeUndefined();
    q.add('late');
    expect(q.length).toBe(0);
  });
});

describe('runController', () => {
  it('retries errors with back-off, stops on terminal errors, and requeues on request', async () => {
    const queue = new WorkQueue({ baseDelayMs: 1, maxDelayMs: 5 });
    const controller = new AbortController();
    const calls: string[] = [];
    const outcomes: string[] = [];
    let failures = 2;
    let requeued = false;
    const done = runController({
      name: 'test',
      queue,
      workers: 2,
      signal: controller.signal,
      reconcile: async (key) => {
        calls.push(key);
        if (key === 'flaky' && failures-- > 0) throw new Error('try again');
        if (key === 'broken') throw new TerminalError('bad spec');
        if (key === 'timer' && !requeued) {
          requeued = true;
          return { requeueAfterMs: 5 };
        }
        return undefined;
      },
      onResult: (key, outcome) => outcomes.push(`${key}:${outcome}`),
    });
    queue.add('flaky');
    queue.add('broken');
    queue.add('timer');
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await done;
    expect(calls.filter((k) => k === 'flaky')).toHaveLength(3);
    expect(calls.filter((k) => k === 'broken')).toHaveLength(1);
    expect(calls.filter((k) => k === 'timer')).toHaveLength(2);
    expect(outcomes).toEqual(
      expect.arrayContaining(['flaky:error', 'flaky:success', 'broken:terminal', 'timer:requeue', 'timer:success']),
    );
  });

  it('never runs one key on two workers at once', async () => {
    const queue = new WorkQueue();
    const controller = new AbortController();
    let running = 0;
    let maxRunning = 0;
    const done = runController({
      name: 'test',
      queue,
      workers: 4,
      signal: controller.signal,
      reconcile: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
    });
    for (let i = 0; i < 20; i++) {
      queue.add('same');
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await done;
    expect(maxRunning).toBe(1);
  });
});
