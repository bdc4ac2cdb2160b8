/**
 * pods/log: kube-lite finds the pod's node from its Node object (status.daemonEndpoints, addresses), passes the
 * request on with its own token, streams the answer back as it comes, and turns the node's errors into Status objects.
 * The node here is a stand-in HTTP server; the local node's real endpoint is tested with kubectl in local-node.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startClient, type Client } from '../helpers';

let c: Client;
let node: Server;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const LOG = '/api/v1/namespaces/default/pods';

beforeAll(async () => {
  c = await startClient();
  node = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  const port = (node.address() as AddressInfo).port;
  expect((await c.post('/api/v1/nodes', { metadata: { name: 'n1' } })).status).toBe(201);
  const status = {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
  };
  expect((await c.patch('/api/v1/nodes/n1/status', { status })).status).toBe(200);
  expect((await c.post('/api/v1/nodes', { metadata: { name: 'bare' } })).status).toBe(201);
  const pod = (name: string, containers: string[], nodeName?: string) => ({
    metadata: { name },
    spec: { containers: containers.map((n) => ({ name: n, image: 'x' })), ...(nodeName ? { nodeName } : {}) },
  });
  for (const p of [
    pod('one', ['main'], 'n1'),
    pod('two', ['a', 'b'], 'n1'),
    pod('pending', ['main']),
    pod('on-bare', ['main'], 'bare'),
    pod('on-gone', ['main'], 'gone'),
  ]) {
    expect((await c.post(LOG, p)).status).toBe(201);
  }
});

afterAll(async () => {
  node.closeAllConnections();
  await new Promise((resolve) => node.close(resolve));
  await c.close();
});

describe('pods/log', () => {
  it('is served by the pod’s node, with the options and the API server’s token passed on', async () => {
    let seen: { url?: string; auth?: string } = {};
    handler = (req, res) => {
      seen = { url: req.url, auth: req.headers.authorization };
      res.end('hello\nworld\n');
    };
    const r = await c.get(`${LOG}/one/log?tailLines=2&timestamps=true&sinceSeconds=5`);
    expect(r).toMatchObject({ status: 200, body: 'hello\nworld\n' });
    expect(r.headers.get('content-type')).toBe('text/plain');
    expect(seen).toEqual({
      url: '/containerLogs/default/one/main?timestamps=true&sinceSeconds=5&tailLines=2',
      auth: `Bearer ${c.server.token}`,
    });
    await c.get(`${LOG}/two/log?container=b&previous=true`);
    expect(seen.url).toBe('/containerLogs/default/two/b?previous=true');
  });

  it('streams: a follow shows each piece as the node sends it', async () => {
    let send!: (s: string) => void;
    let finish!: () => void;
    handler = (_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
      send = (s) => res.write(s);
      finish = () => res.end();
    };
    const res = await fetch(`${c.server.url}${LOG}/one/log?follow=true`, {
      headers: { Authorization: `Bearer ${c.server.token}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    send('first\n');
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('first\n');
    send('second\n');
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('second\n');
    finish();
    expect((await reader.read()).done).toBe(true);
  });

  it('answers the node’s errors as Status objects', async () => {
    handler = (_req, res) => {
      res.writeHead(400);
      res.end('previous terminated container "main" in pod "one" not found');
    };
    const r = await c.get(`${LOG}/one/log?previous=true`);
    expect(r.body).toMatchObject({
      kind: 'Status',
      code: 400,
      reason: 'BadRequest',
      message: 'previous terminated container "main" in pod "one" not found',
    });
  });

  it('checks the request before reaching a node', async () => {
    expect((await c.get(`${LOG}/nope/log`)).body).toMatchObject({ code: 404, message: 'pods "nope" not found' });
    expect((await c.get(`${LOG}/two/log`)).body).toMatchObject({
      code: 400,
      message: 'a container name must be specified for pod two, choose one of: [a b]',
    });
    expect((await c.get(`${LOG}/one/log?tailLines=-1`)).body).toMatchObject({ code: 422, reason: 'Invalid' });
    // Not scheduled: no node has a log yet, and the answer is empty, as kube-apiserver's.
    expect(await c.get(`${LOG}/pending/log`)).toMatchObject({ status: 200, body: '' });
    expect((await c.get(`${LOG}/on-gone/log`)).body).toMatchObject({ code: 404, message: 'nodes "gone" not found' });
    expect((await c.get(`${LOG}/on-bare/log`)).body).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
  });

  it('is listed in discovery as a get-only subresource', async () => {
    const list = await c.get('/api/v1');
    expect(list.body.resources).toContainEqual(expect.objectContaining({ name: 'pods/log', verbs: ['get'] }));
  });
});
