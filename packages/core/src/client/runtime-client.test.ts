// RuntimeClient.init against a real HTTP server on loopback: what is retried, what is final, and the re-init rule.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { RuntimeCallError, RuntimeClient } from './runtime-client';

let server: http.Server;
let port = 0;
/** The answers the server gives, one per request (the last repeats); what it received. */
let answers: number[] = [];
let received: Array<{ body: string; token: string | undefined }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString(), token: req.headers['x-access-token'] as string });
      const status = answers.length > 1 ? answers.shift()! : (answers[0] ?? 204);
      res.writeHead(status);
      res.end(status === 204 ? undefined : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  answers = [];
  received = [];
});

const fast = () => new RuntimeClient({ attemptTimeoutMs: 500, attempts: 3, backoff: { initialMs: 5, maxMs: 10 } });
const body = { envVars: { A: '1' }, accessToken: 'tok' };

describe('RuntimeClient.init', () => {
  it('posts the env vars and the token, with the token as X-Access-Token', async () => {
    const client = fast();
    await client.init({ host: '127.0.0.1', envdPort: port }, body);
    client.close();
    expect(received).toEqual([{ body: JSON.stringify(body), token: 'tok' }]);
  });

  it('retries a 5xx (a runtime still starting) and succeeds', async () => {
    answers = [503, 502, 204];
    const client = fast();
    await client.init({ host: '127.0.0.1', envdPort: port }, body);
    client.close();
    expect(received).toHaveLength(3);
  });

  it('gives up after its attempts, without waiting after the last one', async () => {
    answers = [500];
    const client = fast();
    await expect(client.init({ host: '127.0.0.1', envdPort: port }, body)).rejects.toMatchObject({ status: 500 });
    client.close();
    expect(received).toHaveLength(3);
  });

  it('a 4xx is final on a first init: the runtime holds someone else’s token', async () => {
    answers = [401];
    const client = fast();
    const failed = client.init({ host: '127.0.0.1', envdPort: port }, body);
    await expect(failed).rejects.toBeInstanceOf(RuntimeCallError);
    await expect(failed).rejects.toMatchObject({ status: 401 });
    client.close();
    expect(received).toHaveLength(1);
  });

  it('on a re-init, a 401 counts as success: the runtime already holds the token', async () => {
    answers = [401];
    const client = fast();
    await client.init({ host: '127.0.0.1', envdPort: port }, body, { reinit: true });
    client.close();
  });

  it('retries a runtime that does not answer at all', async () => {
    const client = fast();
    const started = Date.now();
    await expect(client.init({ host: '127.0.0.1', envdPort: 1 }, body)).rejects.toMatchObject({ status: 0 });
    client.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
