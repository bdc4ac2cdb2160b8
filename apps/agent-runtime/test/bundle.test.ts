/**
 * The packaging promise: dist/main.js is one file that runs on Node 24 with nothing next to it (as an init container
 * would copy it into an arbitrary image). The bundle is built fresh into a temp dir, copied alone into an empty
 * directory outside the repository, started, and driven with the SDK. Without node-pty beside it, PTYs fail cleanly.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Sandbox } from '@e2b/code-interpreter';
import { ENVD_VERSION } from '../src/index';

const run = promisify(execFile);
const pkg = path.resolve(import.meta.dirname, '..');
let work: string;
let child: ChildProcess | undefined;
let envdUrl: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-runtime-bundle-'));
  const out = path.join(work, 'build');
  const tsup = path.resolve(pkg, '../../node_modules/.bin/tsup');
  await run(tsup, ['--out-dir', out, '--no-sourcemap', '--silent'], { cwd: pkg, timeout: 60_000 });
  const image = path.join(work, 'image');
  fs.mkdirSync(image);
  fs.copyFileSync(path.join(out, 'main.js'), path.join(image, 'main.js'));
  child = spawn(
    process.execPath,
    ['main.js', '--envd-port', '0', '--interpreter-port', '0', '--root', path.join(work, 'root')],
    {
      cwd: image,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    },
  );
  fs.mkdirSync(path.join(work, 'root'));
  envdUrl = await new Promise<string>((resolve, reject) => {
    let log = '';
    child?.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      const match = /on (http:\/\/[^,\s]+)/.exec(log);
      if (match?.[1]) resolve(match[1]);
    });
    child?.once('exit', (code) => reject(new Error(`bundle exited (${code}): ${log}`)));
  });
}, 90_000);

afterAll(() => {
  child?.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});

it('runs alone from one file: commands, files, code, and a clean PTY error', async () => {
  const sbx = new Sandbox({ sandboxId: 'bundle', envdVersion: ENVD_VERSION, sandboxUrl: envdUrl, apiKey: 'unused' });
  expect((await sbx.commands.run('echo bundled')).stdout).toBe('bundled\n');
  await sbx.files.write([{ path: '/home/user/b.txt', data: 'multipart via busboy' }]);
  expect(await sbx.files.read('/home/user/b.txt')).toBe('multipart via busboy');
  expect((await sbx.runCode('2 ** 10')).text).toBe('1024');
  expect((await sbx.runCode('[..."ab"].length', { language: 'javascript' })).text).toBe('2');
  await expect(sbx.pty.create({ cols: 80, rows: 24, onData: () => {} })).rejects.toThrow();
  expect((await sbx.commands.run('echo still serving')).stdout).toBe('still serving\n');
}, 60_000);
