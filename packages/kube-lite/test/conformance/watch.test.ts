/** watch: from a resourceVersion, event types, bookmarks, 410 Expired, timeoutSeconds, fan-out, slow watchers. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CM, collectWatch, configMap, eventually, sleep, startClient, type Client } from '../helpers';

let c: Client;
beforeAll(async () => {
  c = await startClient({ watch: { historySize: 200, bookmarkIntervalMs: 200, maxBufferedBytes: 256 * 1024 } });
});
afterAll(() => c.close());

describe('watch', () => {
  it('ADDED, MODIFIED and DELETED from a resourceVersion, in order', async () => {
    const start = await c.get(CM());
    const rv = start.body.metadata.resourceVersion;
    const watching = collectWatch(c.server, `${CM()}?watch=true&resourceVersion=${rv}`, (e) => e.length >= 3);
    await sleep(50);
    await c.post(CM(), configMap('w1'));
    await c.patch(`${CM()}/w1`, { data: { a: '2' } });
    await c.del(`${CM()}/w1`);
    const { events, status } = await watching;
    expect(status).toBe(200);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[1]).toBeGreaterThan(rvs[0]!);
    expect(rvs[2]).toBeGreaterThan(rvs[1]!);
    expect(events[1].object.data).toEqual({ a: '2' });
  });

  it('replays what happened after a past resourceVersion', async () => {
    const a = await c.post(CM(), configMap('replay'));
    await c.patch(`${CM()}/replay`, { data: { a: 'x' } });
    const { events } = await collectWatch(
      c.server,
      `${CM()}?watch=1&resourceVersion=${a.body.metadata.resourceVersion}&fieldSelector=metadata.name%3Dreplay`,
      (e) => e.length >= 1,
    );
    expect(events[0]).toMatchObject({ type: 'MODIFIED', object: { data: { a: 'x' } } });
  });

  it('without a resourceVersion starts with synthetic ADDED events for existing objects', async () => {
    await c.post(CM(), configMap('initial', {}, { labels: { initial: 'yes' } }));
    const { events } = await collectWatch(c.server, `${CM()}?watch=1&labelSelector=initial`, (e) => e.length >= 1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'initial' } } });
  });

  it('an object leaving the label selector is DELETED for that watch, entering it is ADDED', async () => {
    await c.post(CM(), configMap('moving', {}, { labels: { color: 'red' } }));
    const rv = (await c.get(CM())).body.metadata.resourceVersion;
    const watching = collectWatch(
      c.server,
      `${CM()}?watch=1&resourceVersion=${rv}&labelSelector=color%3Dred`,
      (e) => e.length >= 2,
    );
    await sleep(50);
    await c.patch(`${CM()}/moving`, { metadata: { labels: { color: 'blue' } } });
    await c.patch(`${CM()}/moving`, { metadata: { labels: { color: 'red' } } });
    const { events } = await watching;
    expect(events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
  });

  it('sends BOOKMARK events when asked', async () => {
    const rv = (await c.get(CM())).body.metadata.resourceVersion;
    const { events } = await collectWatch(
      c.server,
      `${CM()}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
      (e) => e.some((x) => x.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
  });

  it('sendInitialEvents ends the initial state with an annotated BOOKMARK', async () => {
    const { events } = await collectWatch(
      c.server,
      `${CM()}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
      (e) => e.some((x) => x.type === 'BOOKMARK'),
    );
    const last = events[events.length - 1];
    expect(last.type).toBe('BOOKMARK');
    expect(last.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(events.slice(0, -1).every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('410 Expired (an ERROR event) for a resourceVersion older than the history', async () => {
    const old = (await c.get(CM())).body.metadata.resourceVersion;
    await c.post(CM(), configMap('churn'));
    for (let i = 0; i < 210; i++) await c.patch(`${CM()}/churn`, { data: { i: String(i) } });
    const { events, ended } = await collectWatch(c.server, `${CM()}?watch=1&resourceVersion=${old}`, () => false);
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('ends after timeoutSeconds', async () => {
    const t0 = Date.now();
    const { ended } = await collectWatch(
      c.server,
      `${CM()}?watch=1&timeoutSeconds=1&resourceVersion=${c.server.revision}`,
      () => false,
      5000,
    );
    expect(ended).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('fans out to many concurrent watchers', async () => {
    const rv = c.server.revision;
    const watchers = Array.from({ length: 50 }, () =>
      collectWatch(
        c.server,
        `${CM()}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dfan`,
        (e) => e.length >= 2,
      ),
    );
    await sleep(100);
    await c.post(CM(), configMap('fan'));
    await c.patch(`${CM()}/fan`, { data: { b: '1' } });
    const results = await Promise.all(watchers);
    for (const r of results) expect(r.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
  });

  it('a watcher that does not read is closed once its buffer is full, and writers are not stalled', async () => {
    // A raw socket that never reads: what the kernel does not absorb piles up in the server's buffer.
    const sock = connect(c.server.port, '127.0.0.1', () => {
      sock.write(
        `GET ${CM()}?watch=1&resourceVersion=${c.server.revision} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${c.server.token}\r\n\r\n`,
      );
      sock.pause();
    });
    sock.on('error', () => {});
    await eventually(() => c.server.stats().watchers > 0);
    const before = c.server.stats().closedSlowWatchers;
    const big = 'x'.repeat(512 * 1024);
    let slowest = 0;
    for (let i = 0; i < 400 && c.server.stats().closedSlowWatchers === before; i++) {
      const t0 = Date.now();
      const r = await c.put(`${CM()}/slow`, configMap('slow', { big, i: String(i) }));
      expect(r.status).toBeLessThan(300);
      slowest = Math.max(slowest, Date.now() - t0);
    }
    expect(c.server.stats().closedSlowWatchers).toBe(before + 1);
    expect(slowest).toBeLessThan(1000);
    sock.destroy();
  });
});
