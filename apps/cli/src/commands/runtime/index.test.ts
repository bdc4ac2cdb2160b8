import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it, jest } from '@jest/globals';
import { UsageError } from '../../errors';
import { command } from './index';

it('serves until aborted, printing the URLs to point the SDKs at', async () => {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-runtime-')), 'sandbox');
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
  const controller = new AbortController();
  try {
    const exit = command.run(['--envd-port', '0', '--interpreter-port', '0', '--root', root], controller.signal);
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('SDK:')); i++)
      await new Promise((r) => setTimeout(r, 20));
    const envd = /(http:\/\/\S+)/.exec(lines[0] ?? '')?.[1];
    expect((await fetch(`${envd}/health`)).status).toBe(204);
    expect(fs.existsSync(root)).toBe(true);
    controller.abort();
    expect(await exit).toBe(0);
  } finally {
    log.mockRestore();
    quiet.mockRestore();
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  }
});

it('turns bad flags into a usage error', async () => {
  await expect(command.run(['--bogus'], new AbortController().signal)).rejects.toBeInstanceOf(UsageError);
});
