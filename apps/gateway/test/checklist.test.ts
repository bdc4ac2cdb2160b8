/**
 * The reference's P1–P3 data-plane checklist (e2b-sdk-protocol.md §5) through the gateway's proxy with the real JS
 * SDKs: files, background commands, stdin, deadlines, keepalive streams, directory watches, PTYs, the code
 * interpreter's contexts, signed URLs. Stand-in pool (see stand-in.ts).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { FileType, Sandbox, TimeoutError, type FilesystemEvent } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import { waitFor } from 'test-kit';
import { standInPool, startStack, type Stack } from './stand-in';

let stack: Stack;
let sbx: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  await standInPool(stack, { namespace: 'team-a', name: 'demo', replicas: 3 });
  sbx = await Sandbox.create('demo', stack.sdk);
});

afterAll(async () => {
  await stack?.close();
});

it('P1 files: list, exists, getInfo, makeDir, rename, remove, batch write', async () => {
  await sbx.files.makeDir('/tmp/p1/sub');
  await sbx.files.write([
    { path: '/tmp/p1/a.txt', data: 'a' },
    { path: '/tmp/p1/sub/b.txt', data: 'bb' },
  ]);
  const entries = await sbx.files.list('/tmp/p1', { depth: 2 });
  expect(entries.map((e) => e.path).sort()).toEqual(['/tmp/p1/a.txt', '/tmp/p1/sub', '/tmp/p1/sub/b.txt']);
  expect((await sbx.files.getInfo('/tmp/p1/sub/b.txt')).size).toBe(2);
  expect((await sbx.files.getInfo('/tmp/p1/sub')).type).toBe(FileType.DIR);
  await sbx.files.rename('/tmp/p1/a.txt', '/tmp/p1/c.txt');
  expect(await sbx.files.exists('/tmp/p1/a.txt')).toBe(false);
  await sbx.files.remove('/tmp/p1');
  expect(await sbx.files.exists('/tmp/p1')).toBe(false);
});

it('streams a 32 MiB upload and download through the proxy intact', async () => {
  const data = new Uint8Array(32 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) % 251;
  await sbx.files.write('/tmp/big.bin', data.buffer);
  const back = await sbx.files.read('/tmp/big.bin', { format: 'bytes' });
  expect(back.length).toBe(data.length);
  expect(Buffer.compare(Buffer.from(back), Buffer.from(data))).toBe(0);
});

it('P1 commands: background, list, connect, kill, stdin, and the Connect-Timeout-Ms deadline', async () => {
  const handle = await sbx.commands.run('sleep 30', { background: true });
  expect((await sbx.commands.list()).map((p) => p.pid)).toContain(handle.pid);
  expect(await sbx.commands.kill(handle.pid)).toBe(true);

  const cat = await sbx.commands.run('cat', { background: true, stdin: true });
  let echoed = '';
  const attached = await sbx.commands.connect(cat.pid, { onStdout: (d) => void (echoed += d) });
  await sbx.commands.sendStdin(cat.pid, 'through the proxy\n');
  await waitFor('stdin echoed back', () => echoed.includes('through the proxy'));
  await sbx.commands.kill(cat.pid);
  await attached.wait().catch(() => undefined);

  await expect(sbx.commands.run('sleep 10', { timeoutMs: 500 })).rejects.toBeInstanceOf(TimeoutError);
});

it('P3 streams: watchDir events and a PTY, both held open through the proxy', async () => {
  await sbx.files.makeDir('/tmp/watched');
  const events: FilesystemEvent[] = [];
  const watcher = await sbx.files.watchDir('/tmp/watched', (e) => void events.push(e));
  await sbx.files.write('/tmp/watched/new.txt', 'x');
  await waitFor('the watch event of new.txt', () => events.some((e) => e.name === 'new.txt'));
  await watcher.stop();

  let output = '';
  const pty = await sbx.pty.create({ cols: 80, rows: 24, onData: (d) => void (output += new TextDecoder().decode(d)) });
  await sbx.pty.sendInput(pty.pid, new TextEncoder().encode('echo pty-$((40+2))\n'));
  await waitFor('the PTY output', () => output.includes('pty-42'));
  await sbx.pty.kill(pty.pid);
});

it('P3 signed URLs: an upload signed for the sandbox passes the proxy and the runtime checks the signature', async () => {
  const upload = await sbx.uploadUrl('/tmp/signed.txt');
  expect(upload).toContain(stack.gateway.url);
  const form = new FormData();
  form.append('file', new Blob(['signed upload']), 'signed.txt');
  // With E2B_SANDBOX_URL the SDK points signed URLs at the gateway's origin, so this client adds the routing header
  // (a wildcard domain, E2B_DOMAIN, routes them by Host instead).
  const up = await fetch(upload, { method: 'POST', body: form, headers: { 'e2b-sandbox-id': sbx.sandboxId } });
  expect(up.status).toBe(200);
  expect(await sbx.files.read('/tmp/signed.txt')).toBe('signed upload');
});

it('P2 code interpreter: runCode, errors, contexts', async () => {
  const ci = await CodeInterpreter.create('demo', stack.sdk);
  expect((await ci.runCode('21 * 2')).text).toBe('42');
  const failed = await ci.runCode('raise ValueError("bad")');
  expect(failed.error?.name).toBe('ValueError');
  await ci.files.makeDir('/tmp/ctx'); // the runtime starts a context's kernel in its cwd, which must exist
  const context = await ci.createCodeContext({ cwd: '/tmp/ctx' });
  expect((await ci.runCode('import os\nos.getcwd()', { context })).text).toContain('/tmp/ctx');
  expect((await ci.listCodeContexts()).map((c) => c.id)).toContain(context.id);
  await ci.removeCodeContext(context);
  await ci.kill();
});
