/**
 * The control plane and proxy over raw HTTP (what old SDKs and curl send): bad input, v1 endpoints, paging, routing
 * by host and path, metrics, and a pause/connect race. Stand-in pool (see stand-in.ts).
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Labels } from '@kruise-agents/api';
import {
  ErrorBodySchema,
  ListedSandboxSchema,
  SandboxDetailSchema,
  SandboxMetricSchema,
  SandboxResponseSchema,
} from '@kruise-agents/e2b';
import { Resources } from '@kruise-agents/kube-runtime';
import { ADMIN_KEY, standInPool, startStack, type Stack } from './stand-in';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ maxBodyBytes: 64 * 1024 });
  await standInPool(stack, { namespace: 'team-a', name: 'demo', replicas: 12 });
});

afterAll(async () => {
  await stack?.close();
});

const api = async (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> => {
  const res = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { 'x-api-key': stack.key, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, json, headers: res.headers };
};

const stock = async () =>
  (await stack.kube.resource(Resources.Sandbox).list('team-a')).items.filter(
    (s) => s.metadata.labels?.[Labels.SandboxClaimed] === 'false',
  ).length;

const create = async (body: Record<string, unknown> = {}) => {
  const res = await api('POST', '/sandboxes', { templateID: 'demo', ...body });
  expect(res.status).toBe(201);
  return res.json as { sandboxID: string; envdAccessToken: string; envdVersion: string };
};

describe('bad input: a clear 4xx in the E2B shape, and nothing changed', () => {
  it.each([
    ['malformed JSON', '{"templateID": "demo",', 400, /malformed JSON/],
    ['a body that is not an object', '[1,2]', 400, /must be a JSON object/],
    ['metadata that is not a string map', { templateID: 'demo', metadata: { a: 1 } }, 400, /metadata/],
    ['metadata that is a list', { templateID: 'demo', metadata: ['a'] }, 400, /metadata/],
    ['a negative timeout', { templateID: 'demo', timeout: -5 }, 400, /timeout/],
    ['a reserved metadata key', { templateID: 'demo', metadata: { 'agents.kruise.io/lock': 'x' } }, 400, /Forbidden/],
    ['an unknown extension key', { templateID: 'demo', metadata: { 'e2b.agents.kruise.io/x': '1' } }, 400, /unknown/],
    ['an unknown template', { templateID: 'nope' }, 404, /template "nope" not found/],
    ['a body over the limit', { templateID: 'demo', metadata: { big: 'x'.repeat(70 * 1024) } }, 413, /too large/],
  ])('%s', async (_what, body, status, message) => {
    const before = await stock();
    const res = await api('POST', '/v2/sandboxes', body);
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ code: status, message: expect.stringMatching(message) });
    expect(await stock()).toBe(before);
  });

  it('401 for a missing or unknown key, with the E2B error shape', async () => {
    for (const headers of [{ 'x-api-key': '' }, { 'x-api-key': 'e2b_deadbeef' }]) {
      const res = await api('GET', '/v2/sandboxes', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ code: 401, message: expect.any(String) });
    }
  });

  it('404 JSON for unknown sandboxes and endpoints', async () => {
    expect((await api('GET', '/sandboxes/nosuchsandbox')).json).toEqual({ code: 404, message: expect.any(String) });
    expect((await api('DELETE', '/sandboxes/nosuchsandbox')).status).toBe(404);
    expect((await api('POST', '/sandboxes/nosuchsandbox/timeout', { timeout: 10 })).status).toBe(404);
    expect((await api('GET', '/no/such/endpoint')).status).toBe(404);
  });
});

describe('v1 endpoints and paging', () => {
  it('POST /sandboxes, GET /sandboxes (running only), resume, refreshes, metrics', async () => {
    const a = await create({ metadata: { suite: 'v1' } });
    const b = await create({ metadata: { suite: 'v1' } });
    expect(a.envdVersion).toBe('0.6.4');
    expect((await api('POST', `/sandboxes/${b.sandboxID}/pause`, {})).status).toBe(204);
    const v1 = await api('GET', '/sandboxes?suite=v1');
    expect((v1.json as { sandboxID: string }[]).map((s) => s.sandboxID)).toEqual([a.sandboxID]);
    const v2 = await api('GET', '/v2/sandboxes?state=paused');
    expect((v2.json as { sandboxID: string }[]).map((s) => s.sandboxID)).toContain(b.sandboxID);

    expect((await api('POST', `/sandboxes/${a.sandboxID}/resume`, { timeout: 60 })).status).toBe(409);
    const resumed = await api('POST', `/sandboxes/${b.sandboxID}/resume`, { timeout: 600, autoPause: true });
    expect(resumed.status).toBe(201);
    expect((resumed.json as { envdAccessToken: string }).envdAccessToken).toBe(b.envdAccessToken);
    // The legacy resume's autoPause: the sandbox now pauses at its timeout.
    const detail = (await api('GET', `/sandboxes/${b.sandboxID}`)).json as {
      lifecycle: { onTimeout: string };
      endAt: string;
    };
    expect(detail.lifecycle.onTimeout).toBe('pause');
    expect(Date.parse(detail.endAt) - Date.now()).toBeGreaterThan(590_000);

    expect((await api('POST', `/sandboxes/${a.sandboxID}/refreshes`, { duration: 900 })).status).toBe(204);
    const info = (await api('GET', `/sandboxes/${a.sandboxID}`)).json as { endAt: string };
    expect(Date.parse(info.endAt) - Date.now()).toBeGreaterThan(890_000);

    const metrics = await api('GET', `/sandboxes/${a.sandboxID}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.json).toEqual([
      expect.objectContaining({ timestamp: expect.any(String), cpuCount: expect.any(Number) }),
    ]);
  });

  it('pages with limit and X-Next-Token, stable and complete', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await create({ metadata: { suite: 'paging' } })).sandboxID);
    const seen: string[] = [];
    let token: string | null = null;
    for (let page = 0; page < 5; page++) {
      const query: string = `/v2/sandboxes?metadata=${encodeURIComponent('suite=paging')}&limit=2${token ? `&nextToken=${token}` : ''}`;
      const res = await api('GET', query);
      seen.push(...(res.json as { sandboxID: string }[]).map((s) => s.sandboxID));
      token = res.headers.get('x-next-token');
      if (!token) break;
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await api('GET', '/v2/sandboxes?limit=0')).status).toBe(400);
    expect((await api('GET', '/v2/sandboxes?state=sleeping')).status).toBe(400);
  });
});

describe('data plane routing', () => {
  it('routes by Host <port>-<id>.<domain> and by path /kruise/<id>/<port>/…, 502 for unknown and paused', async () => {
    const sbx = await create();
    // fetch() will not send a Host of our choosing; node:http does.
    const byHost = await new Promise<number>((resolve, reject) =>
      http
        .get(`${stack.gateway.url}/health`, { headers: { host: `49983-${sbx.sandboxID}.sandbox.test` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject),
    );
    expect(byHost).toBe(204);
    const byPath = await fetch(`${stack.gateway.url}/kruise/${sbx.sandboxID}/49983/health`);
    expect(byPath.status).toBe(204);
    const envs = await fetch(`${stack.gateway.url}/kruise/${sbx.sandboxID}/49983/envs`, {
      headers: { 'x-access-token': sbx.envdAccessToken },
    });
    expect(envs.status).toBe(200);
    const unknown = await fetch(`${stack.gateway.url}/health`, { headers: { 'e2b-sandbox-id': 'nosuchsandbox' } });
    expect(unknown.status).toBe(502);
    expect(await unknown.json()).toEqual({ code: 502, message: expect.stringContaining('nosuchsandbox') });

    await api('POST', `/sandboxes/${sbx.sandboxID}/pause`, {});
    const paused = await fetch(`${stack.gateway.url}/health`, { headers: { 'e2b-sandbox-id': sbx.sandboxID } });
    expect(paused.status).toBe(502);
  });

  it('answers an upgrade for an unknown sandbox with 502 and closes', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(stack.gateway.port, '127.0.0.1', () =>
        socket.write(
          'GET /ws HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\ne2b-sandbox-id: nosuch\r\n\r\n',
        ),
      );
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1.1 502/);
  });
});

describe('pause and connect racing', () => {
  it('ends consistent: every call succeeds or answers 409, and the sandbox is running or paused, as one winner chose', async () => {
    for (let round = 0; round < 3; round++) {
      const sbx = await create();
      const calls = await Promise.all([
        api('POST', `/sandboxes/${sbx.sandboxID}/pause`, {}),
        api('POST', `/v2/sandboxes/${sbx.sandboxID}/connect`, { timeout: 60 }),
        api('POST', `/sandboxes/${sbx.sandboxID}/pause`, {}),
        api('POST', `/v2/sandboxes/${sbx.sandboxID}/connect`, { timeout: 60 }),
      ]);
      for (const call of calls) expect([200, 201, 204, 409]).toContain(call.status);
      const info = (await api('GET', `/sandboxes/${sbx.sandboxID}`)).json as { state: string };
      const stored = stack.gateway.context.registry.byE2bId(sbx.sandboxID)!;
      expect(info.state).toBe(stored.spec.paused ? 'paused' : 'running');
      expect((await api('DELETE', `/sandboxes/${sbx.sandboxID}`)).status).toBe(204);
    }
  });
});

describe('responses match @kruise-agents/e2b schemas', () => {
  it('create, get, list, metrics and errors', async () => {
    const created = await api('POST', '/v2/sandboxes', { templateID: 'demo', metadata: { suite: 'schema' } });
    const sandbox = SandboxResponseSchema.parse(created.json);
    expect(SandboxDetailSchema.parse((await api('GET', `/sandboxes/${sandbox.sandboxID}`)).json).state).toBe('running');
    const listed = (await api('GET', '/v2/sandboxes?suite=schema')).json as unknown[];
    expect(listed.map((item) => ListedSandboxSchema.parse(item).sandboxID)).toEqual([sandbox.sandboxID]);
    const metrics = (await api('GET', `/sandboxes/${sandbox.sandboxID}/metrics`)).json as unknown[];
    for (const sample of metrics) SandboxMetricSchema.parse(sample);
    ErrorBodySchema.parse((await api('GET', '/sandboxes/unknown')).json);
  });
});

describe('admin and observability', () => {
  it('serves /health and Prometheus /metrics without a key', async () => {
    expect((await fetch(`${stack.gateway.url}/health`)).status).toBe(200);
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(text).toContain('sandbox_claim_total');
    expect(text).toContain('e2b_gateway_requests_total');
  });

  it('the admin key lists every namespace', async () => {
    const res = await api('GET', '/v2/sandboxes', undefined, { 'x-api-key': ADMIN_KEY });
    expect(res.status).toBe(200);
    expect((res.json as unknown[]).length).toBeGreaterThan(0);
  });
});
