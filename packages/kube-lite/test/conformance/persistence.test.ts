/** Durable storage: SQLite keeps every acknowledged write across a restart, and across a kill -9. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { startApiServer } from '../../src/index';
import { CM, CRDS, kill9, spawnDurableServer, configMap, SBS, sandboxSet, tempDir, type Json } from '../helpers';

const dirs: Array<{ remove: () => Promise<void> }> = [];
afterAll(async () => {
  for (const d of dirs) await d.remove();
});

async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('SQLite storage', () => {
  it('keeps objects, CRDs and the resourceVersion counter across a restart', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startApiServer({
      storage: { kind: 'sqlite', dataDir: dir.path },
      crds: CRDS,
      token: 't',
      tls: false,
    });
    await call(first.url, 't', 'POST', CM(), configMap('kept'));
    await call(first.url, 't', 'POST', SBS(), sandboxSet('kept'));
    await call(first.url, 't', 'POST', CM(), configMap('removed'));
    const last = await call(first.url, 't', 'DELETE', `${CM()}/removed`);
    expect(last.status).toBe(200);
    const rvBefore = first.revision;
    await first.close();

    const second = await startApiServer({ storage: { kind: 'sqlite', dataDir: dir.path }, token: 't', tls: false });
    expect(second.revision).toBeGreaterThanOrEqual(rvBefore);
    expect((await call(second.url, 't', 'GET', `${CM()}/kept`)).status).toBe(200);
    expect((await call(second.url, 't', 'GET', `${CM()}/removed`)).status).toBe(404);
    const sbs = await call(second.url, 't', 'GET', `${SBS()}/kept`);
    expect(sbs.status).toBe(200);
    const next = await call(second.url, 't', 'POST', CM(), configMap('after'));
    expect(Number(next.body.metadata.resourceVersion)).toBeGreaterThan(rvBefore);
    await second.close();
  });

  it('refuses a second server on the same data dir', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startApiServer({ storage: { kind: 'sqlite', dataDir: dir.path }, tls: false });
    await expect(startApiServer({ storage: { kind: 'sqlite', dataDir: dir.path }, tls: false })).rejects.toThrow(
      'is in use by another API server',
    );
    await first.close();
    const again = await startApiServer({ storage: { kind: 'sqlite', dataDir: dir.path }, tls: false });
    await again.close();
  });

  it('a kill -9 loses no acknowledged write', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const { url, child } = await spawnDurableServer(dir.path);
    const acknowledged: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await call(url, 'durable-token', 'POST', CM(), configMap(`ack-${i}`));
      if (r.status === 201) acknowledged.push(r.body.metadata.name);
    }
    const lastRv = Number((await call(url, 'durable-token', 'GET', CM())).body.metadata.resourceVersion);
    await kill9(child);

    const again = await startApiServer({ storage: { kind: 'sqlite', dataDir: dir.path }, token: 't', tls: false });
    const list = await call(again.url, 't', 'GET', CM());
    const names = new Set(list.body.items.map((i: Json) => i.metadata.name));
    expect(acknowledged).toHaveLength(200);
    for (const name of acknowledged) expect(names.has(name)).toBe(true);
    expect(again.revision).toBeGreaterThanOrEqual(lastRv);
    const after = await call(again.url, 't', 'POST', CM(), configMap('post-crash'));
    expect(Number(after.body.metadata.resourceVersion)).toBeGreaterThan(lastRv);
    await again.close();
  }, 30_000);
});
