/** list: label and field selectors, limit/continue paging over a consistent snapshot, and 410 for an expired token. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CM, configMap, startClient, type Client, type Json } from '../helpers';

let c: Client;
const NS = 'list-test';
const names = (r: { body: Json }) => r.body.items.map((i: Json) => i.metadata.name);

beforeAll(async () => {
  c = await startClient({ watch: { historySize: 50 } });
  await c.post('/api/v1/namespaces', { metadata: { name: NS } });
  const labels: Record<string, Record<string, string>> = {
    a: { env: 'prod', tier: 'web' },
    b: { env: 'dev', tier: 'web' },
    c: { env: 'prod' },
    d: {},
  };
  for (const [name, l] of Object.entries(labels)) await c.post(CM(NS), configMap(name, {}, { labels: l }));
});
afterAll(() => c.close());

const sel = (s: string) => `${CM(NS)}?labelSelector=${encodeURIComponent(s)}`;

describe('label selectors', () => {
  it.each([
    ['env=prod', ['a', 'c']],
    ['env==prod', ['a', 'c']],
    ['env!=prod', ['b', 'd']],
    ['env in (dev,prod)', ['a', 'b', 'c']],
    ['env notin (prod)', ['b', 'd']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd']],
    ['env=prod,tier=web', ['a']],
  ])('%s', async (selector, expected) => {
    expect(names(await c.get(sel(selector)))).toEqual(expected);
  });

  it('400 for a malformed selector', async () => {
    const r = await c.get(sel('env in prod)'));
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });
});

describe('field selectors', () => {
  it('metadata.name and metadata.namespace, = and !=', async () => {
    expect(names(await c.get(`${CM(NS)}?fieldSelector=metadata.name%3Db`))).toEqual(['b']);
    expect(names(await c.get(`${CM(NS)}?fieldSelector=metadata.name!%3Db`))).toEqual(['a', 'c', 'd']);
    const all = await c.get(`/api/v1/configmaps?fieldSelector=metadata.namespace%3D${NS}`);
    expect(names(all)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('status.phase and spec.nodeName for pods; other fields are a 400', async () => {
    const pod = (name: string, nodeName?: string) => ({
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'x' }], ...(nodeName ? { nodeName } : {}) },
    });
    await c.post(`/api/v1/namespaces/${NS}/pods`, pod('p1', 'node-a'));
    await c.post(`/api/v1/namespaces/${NS}/pods`, pod('p2'));
    await c.patch(`/api/v1/namespaces/${NS}/pods/p1/status`, { status: { phase: 'Running' } });
    const running = await c.get(`/api/v1/namespaces/${NS}/pods?fieldSelector=status.phase%3DRunning`);
    expect(names(running)).toEqual(['p1']);
    const onNode = await c.get(`/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a`);
    expect(names(onNode)).toEqual(['p1']);
    const unscheduled = await c.get(`/api/v1/namespaces/${NS}/pods?fieldSelector=spec.nodeName%3D`);
    expect(names(unscheduled)).toEqual(['p2']);
    const bad = await c.get(`${CM(NS)}?fieldSelector=data.a%3D1`);
    expect(bad.status).toBe(400);
  });
});

describe('paging', () => {
  it('limit/continue walks the list with remainingItemCount, in name order', async () => {
    const first = await c.get(`${CM(NS)}?limit=3`);
    expect(names(first)).toEqual(['a', 'b', 'c']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue;
    expect(typeof token).toBe('string');
    const second = await c.get(`${CM(NS)}?limit=3&continue=${encodeURIComponent(token)}`);
    expect(names(second)).toEqual(['d']);
    expect(second.body.metadata.continue).toBeUndefined();
  });

  it('continued pages are served from the snapshot of the first page', async () => {
    const first = await c.get(`${CM(NS)}?limit=2`);
    await c.post(CM(NS), configMap('bb'));
    await c.del(`${CM(NS)}/c`);
    const rest = await c.get(`${CM(NS)}?limit=10&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(names(rest)).toEqual(['c', 'd']);
    expect(rest.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    expect(names(await c.get(CM(NS)))).toEqual(['a', 'b', 'bb', 'd']);
  });

  it('410 Gone for a continue token older than the history', async () => {
    const first = await c.get(`${CM(NS)}?limit=1`);
    for (let i = 0; i < 60; i++) await c.put(`${CM(NS)}/a`, configMap('a', { n: String(i) }));
    const r = await c.get(`${CM(NS)}?limit=1&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe('Expired');
  });
});
