/**
 * Several gateway replicas on one pool: stateless, and safe because every claim is one optimistic-concurrency write
 * (core's claimer). Also the proxy's streaming and upgrades, against plain servers listening on a sandbox's address.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Labels } from '@kruise-agents/api';
import { Resources } from '@kruise-agents/kube-runtime';
import { startGateway, type Gateway } from '../src/index';
import { ADMIN_KEY, standInPool, startStack, type Stack } from './stand-in';

let stack: Stack;
let second: Gateway;

beforeAll(async () => {
  stack = await startStack({ claimTimeoutMs: 1500 });
  second = await startGateway({ kubeconfigYaml: stack.server.kubeconfig, adminKey: ADMIN_KEY, claimTimeoutMs: 1500 });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await stack?.close();
});

const post = async (gateway: Gateway, body: unknown) => {
  const res = await fetch(`${gateway.url}/v2/sandboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.key },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { sandboxID?: string; message?: string } };
};

describe('two gateway replicas', () => {
  it('hand out each sandbox once: 150 creates over 2 replicas for 120 sandboxes → 120 claims, 30 × 503', async () => {
    await standInPool(stack, { namespace: 'team-a', name: 'burst', replicas: 120, runtimes: false });
    // Both replicas' caches hold the pool before the burst.
    const until = Date.now() + 5000;
    while (second.context.cache.index.stock('team-a', 'burst') < 120 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const body = { templateID: 'burst', metadata: { 'e2b.agents.kruise.io/skip-init-runtime': 'true' } };
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => post(i % 2 ? second : stack.gateway, body)),
    );
    const ids = results.filter((r) => r.status === 201).map((r) => r.json.sandboxID!);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
    const failed = results.filter((r) => r.status !== 201);
    expect(failed.every((r) => r.status === 503 && /became available/.test(r.json.message ?? ''))).toBe(true);

    // Every ID names its own Sandbox object, and every claimed object was answered once.
    const objects = (await stack.kube.resource(Resources.Sandbox).list('team-a')).items.filter(
      (o) => o.metadata.labels?.[Labels.SandboxPool] === 'burst',
    );
    const claimed = objects.filter((o) => o.metadata.labels?.[Labels.SandboxClaimed] === 'true');
    expect(claimed.length).toBe(120);
    const lockIds = new Set(claimed.map((o) => o.metadata.annotations?.['agents.kruise.io/lock']));
    expect([...lockIds].sort()).toEqual([...ids].sort());
  });

  it('a sandbox claimed through one replica is served by the other', async () => {
    await standInPool(stack, { namespace: 'team-a', name: 'shared', replicas: 1 });
    const created = await post(stack.gateway, { templateID: 'shared' });
    expect(created.status).toBe(201);
    const info = await fetch(`${second.url}/sandboxes/${created.json.sandboxID}`, {
      headers: { 'x-api-key': stack.key },
    });
    expect(info.status).toBe(200);
    const health = await fetch(`${second.url}/health`, { headers: { 'e2b-sandbox-id': created.json.sandboxID! } });
    expect(health.status).toBe(204);
  });
});

describe('proxy streaming and upgrades on any sandbox port', () => {
  it('streams both ways without buffering, and splices WebSocket-style upgrades', async () => {
    await standInPool(stack, { namespace: 'team-a', name: 'ports', replicas: 1 });
    const created = await post(stack.gateway, { templateID: 'ports' });
    const sandbox = stack.gateway.context.registry.byE2bId(created.json.sandboxID!)!;
    const ip = sandbox.status!.podInfo!.podIP!;
    // A plain server on the sandbox's address, port 8080: echoes request bodies as they arrive, and upgrades.
    const app = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      req.on('data', (chunk: Buffer) => res.write(chunk));
      req.on('end', () => res.end());
    });
    app.on('upgrade', (_req, socket: net.Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: Upgrade\r\n\r\n');
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => app.listen(8080, ip, resolve));
    try {
      // The first chunk comes back while the upload is still open: nothing waits for the whole body.
      const echoed = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${stack.gateway.url}/echo`, {
          method: 'POST',
          headers: { 'e2b-sandbox-id': created.json.sandboxID!, 'e2b-sandbox-port': '8080' },
        });
        req.on('response', (res) =>
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.toString());
            req.end();
            res.resume();
          }),
        );
        req.on('error', reject);
        req.flushHeaders();
        req.write('first chunk');
      });
      expect(echoed).toBe('first chunk');

      const upgraded = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(stack.gateway.port, '127.0.0.1', () =>
          socket.write(
            `GET /kruise/${created.json.sandboxID}/8080/ws HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n`,
          ),
        );
        let data = '';
        socket.on('data', (chunk) => {
          data += chunk.toString();
          if (data.includes('\r\n\r\n') && !data.includes('ping')) socket.write('ping');
          if (data.endsWith('ping')) {
            resolve(data);
            socket.destroy();
          }
        });
        socket.on('error', reject);
      });
      expect(upgraded).toMatch(/^HTTP\/1.1 101/);
      expect(upgraded.endsWith('ping')).toBe(true);
    } finally {
      app.closeAllConnections();
      await new Promise((r) => app.close(r));
    }
  });
});
