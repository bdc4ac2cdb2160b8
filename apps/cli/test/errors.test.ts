/** The failures `up` must explain in one line: a busy port (naming the part and the flag), an unwritable data dir. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PlatformError } from '../src/platform/errors';
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
