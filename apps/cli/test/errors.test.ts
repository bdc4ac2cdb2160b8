/** The failures `up` must explain in one line: a busy port (naming the part and the flag), an unwritable data dir. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PlatformError } from '../src/platform/errors';
import { waitForPools } from '../src/platform/progress';
import { startPlatform } from '../src/platform/start-platform';

let holder: net.Server;
let busyPort: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kruise-agents-up-errors-'));
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  busyPort = (holder.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('up reports what went wrong', () => {
  it('names the gateway and --port when the gateway port is busy', async () => {
    const error = await startPlatform({ dataDir, apiPort: 0, gatewayPort: busyPort }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).part).toBe('gateway');
    expect((error as Error).message).toBe(
      `port ${busyPort} on 127.0.0.1 is busy: stop what holds it or pass --port <another port> (gateway)`,
    );
  });

  it('names the api server and --api-port when its port is busy', async () => {
    const error = await startPlatform({ dataDir, apiPort: busyPort, gatewayPort: 0 }).catch((e: unknown) => e);
    expect((error as PlatformError).part).toBe('api server');
    expect((error as Error).message).toContain('pass --api-port');
  });

  it('says the data dir is not writable', async () => {
    const file = path.join(dataDir, 'a-file');
    fs.writeFileSync(file, '');
    const error = await startPlatform({ dataDir: path.join(file, 'sub'), apiPort: 0, gatewayPort: 0 }).catch(
      (e: unknown) => e,
    );
    expect((error as PlatformError).part).toBe('data dir');
    expect((error as Error).message).toMatch(/a-file\/sub is not writable \(ENOTDIR.*\): pass --data-dir/);
  });
});

describe('a pool that cannot fill', () => {
  it('says why, from its sandboxes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kruise-agents-up-nofill-'));
    const platform = await startPlatform({
      dataDir: dir,
      apiPort: 0,
      gatewayPort: 0,
      poolSize: 1,
      runtimeCommand: [path.join(dir, 'no-such-agent-runtime')],
      ipRange: {
        base: `127.${128 + Math.floor(Math.random() * 127)}.${Math.floor(Math.random() * 16) * 16}.0`,
        prefix: 20,
      },
    });
    try {
      const error = await waitForPools(platform.kube, () => undefined, { timeoutMs: 5_000 }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^the pools did not fill up \(demo 0\/1, code-interpreter-v1 0\/1\): /);
      expect((error as Error).message).toContain('executable file not found');
    } finally {
      await platform.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
