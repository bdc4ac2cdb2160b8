/** Bad input: tokens, signed URLs, /init, hostile paths, malformed Connect requests; the daemon keeps serving. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthenticationError, FileNotFoundError, type Sandbox } from 'e2b';
import { envelope, startHarness, type Harness } from './helpers';

const TOKEN = 'secret-token';
let h: Harness;
let sbx: Sandbox;

beforeAll(async () => {
  h = await startHarness({ accessToken: TOKEN });
  sbx = h.sandbox();
});
afterAll(() => h.close());

describe('access token', () => {
  it('serves the right token and rejects a wrong one on RPCs and /files', async () => {
    expect((await sbx.commands.run('echo ok')).stdout).toBe('ok\n');
    const intruder = h.sandbox({ accessToken: 'wrong' });
    await expect(intruder.commands.run('echo no')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(intruder.files.list('/')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(intruder.files.read('/etc/hostname')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(intruder.files.write('/x', 'x')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('leaves /health open and closes /envs and /metrics', async () => {
    expect((await fetch(`${h.runtime.envdUrl}/health`)).status).toBe(204);
    expect(await h.sandbox({ accessToken: 'wrong' }).isRunning()).toBe(true);
    expect((await fetch(`${h.runtime.envdUrl}/envs`)).status).toBe(401);
    const metrics = await fetch(`${h.runtime.envdUrl}/metrics`, { headers: { 'x-access-token': TOKEN } });
    expect(await metrics.json()).toMatchObject({ cpu_count: expect.any(Number), mem_total: expect.any(Number) });
  });

  it('accepts signed upload and download URLs, and rejects tampered or expired ones', async () => {
    const upload = await sbx.uploadUrl('/signed/u.txt');
    const form = new FormData();
    form.append('file', new Blob(['via signed url']), '/signed/u.txt');
    expect((await fetch(upload, { method: 'POST', body: form })).status).toBe(200);
    const download = await sbx.downloadUrl('/signed/u.txt', { useSignatureExpiration: 60 });
    expect(await (await fetch(download)).text()).toBe('via signed url');
    const tampered = download.replace('u.txt', 'other.txt');
    expect((await fetch(tampered)).status).toBe(401);
    const expired = await sbx.downloadUrl('/signed/u.txt', { useSignatureExpiration: -10 });
    expect((await fetch(expired)).status).toBe(401);
    // A read signature is not a write signature.
    const readAsWrite = await sbx.downloadUrl('/signed/u.txt');
    expect((await fetch(readAsWrite, { method: 'POST', body: form })).status).toBe(401);
  });

  it('/init cannot change the token, and needs it to change anything else', async () => {
    const init = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${h.runtime.envdUrl}/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await init({ envVars: { A: '1' } })).status).toBe(401);
    expect((await init({ accessToken: 'other' }, { 'x-access-token': TOKEN })).status).toBe(409);
    expect((await init({ accessToken: TOKEN, envVars: { FROM_INIT: 'yes' } })).status).toBe(204);
    expect((await sbx.commands.run('echo $FROM_INIT')).stdout).toBe('yes\n');
    const envs = await fetch(`${h.runtime.envdUrl}/envs`, { headers: { 'x-access-token': TOKEN } });
    expect(await envs.json()).toMatchObject({ FROM_INIT: 'yes' });
  });

  it('/init sets the first token on a runtime that had none', async () => {
    const open = await startHarness();
    try {
      expect((await open.sandbox().commands.run('true')).exitCode).toBe(0);
      const res = await fetch(`${open.runtime.envdUrl}/init`, {
        method: 'POST',
        body: JSON.stringify({ accessToken: 'fresh', defaultUser: 'root', envVars: { X: '1' } }),
      });
      expect(res.status).toBe(204);
      await expect(open.sandbox().commands.run('true')).rejects.toBeInstanceOf(AuthenticationError);
      const withToken = open.sandbox({ accessToken: 'fresh' });
      expect((await withToken.commands.run('echo $X $HOME')).stdout).toBe(`1 ${open.root}/root\n`);
    } finally {
      await open.close();
    }
  });

  it('rejects an invalid user name', async () => {
    await expect(sbx.commands.run('id', { user: 'no such user' as 'root' })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });
});

describe('hostile paths', () => {
  it('keeps .. inside the root', async () => {
    await expect(sbx.files.read('/../../../../etc/passwd')).rejects.toBeInstanceOf(FileNotFoundError);
    await sbx.files.write('../../../../../escaped.txt', 'contained');
    expect(fs.readFileSync(path.join(h.root, 'escaped.txt'), 'utf8')).toBe('contained');
    const listing = await sbx.files.list('/../..');
    expect(listing.every((e) => !e.path.includes('..'))).toBe(true);
  });

  it('refuses symlinks that lead out of the root, for reads, writes, lists and cwd', async () => {
    const outside = fs.mkdtempSync(path.join(h.root, '..', 'outside-'));
    fs.writeFileSync(path.join(outside, 'secret'), 'host secret');
    fs.symlinkSync(outside, path.join(h.root, 'escape'));
    try {
      await expect(sbx.files.read('/escape/secret')).rejects.toThrow(/escapes the sandbox root/);
      await expect(sbx.files.write('/escape/planted', 'x')).rejects.toThrow(/escapes the sandbox root/);
      await expect(sbx.files.list('/escape')).rejects.toThrow(/escapes the sandbox root/);
      await expect(sbx.files.rename('/escape/secret', '/stolen')).rejects.toThrow(/escapes the sandbox root/);
      await expect(sbx.commands.run('ls', { cwd: '/escape' })).rejects.toThrow(/escapes the sandbox root/);
      expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
      expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('host secret');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('rejects NUL bytes', async () => {
    await expect(sbx.files.exists('/a\0b')).rejects.toThrow(/NUL/);
  });
});

describe('malformed requests', () => {
  const rpc = (method: string, body: string | Uint8Array, contentType: string) =>
    fetch(`${h.runtime.envdUrl}/${method}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'connect-protocol-version': '1', 'x-access-token': TOKEN },
      body,
    });

  it('answers bad envelopes and bad JSON with Connect errors and keeps serving', async () => {
    const garbage = await rpc('process.Process/Start', Buffer.from([0, 0, 0, 0, 50, 123]), 'application/connect+json');
    expect(garbage.status).toBe(200);
    expect(await garbage.text()).toMatch(/"code":"(invalid_argument|internal)"/);

    const compressed = await rpc('process.Process/Start', envelope({}, 1), 'application/connect+json');
    expect(await compressed.text()).toMatch(/"code":"(internal|invalid_argument|unimplemented)"/);

    const badJson = await rpc('filesystem.Filesystem/Stat', '{not json', 'application/json');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 'invalid_argument' });

    const wrongType = await rpc('filesystem.Filesystem/Stat', JSON.stringify({ path: 5 }), 'application/json');
    expect(wrongType.status).toBe(400);

    const noCmd = await rpc('process.Process/Start', envelope({ process: {} }), 'application/connect+json');
    expect(await noCmd.text()).toMatch(/"code":"invalid_argument"/);

    const unknown = await rpc('process.Process/Nope', '{}', 'application/json');
    expect(unknown.status).toBe(404);

    const badMultipart = await fetch(`${h.runtime.envdUrl}/files?path=/m.txt`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-access-token': TOKEN },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="/m.txt"\r\n\r\nunterminated',
    });
    expect(badMultipart.status).toBe(400);

    const badInit = await fetch(`${h.runtime.envdUrl}/init`, { method: 'POST', body: '[1,2]' });
    expect(badInit.status).toBe(400);

    expect((await sbx.commands.run('echo still alive')).stdout).toBe('still alive\n');
  });

  it('maps a missing path on /files to 404 and a missing parameter to 400', async () => {
    const missing = await fetch(`${h.runtime.envdUrl}/files?path=/nope`, { headers: { 'x-access-token': TOKEN } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404 });
    const noPath = await fetch(`${h.runtime.envdUrl}/files`, { headers: { 'x-access-token': TOKEN } });
    expect(noPath.status).toBe(400);
  });
});
