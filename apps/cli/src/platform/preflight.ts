/**
 * Checks made before anything starts, so that the common mistakes (a port already taken, a data dir that cannot be
 * written) are reported as such rather than as a half-started platform.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PlatformError, PortBusyError, describeCause, type PartName } from './errors';

/** ~/.kruise-agents unless KRUISE_AGENTS_DATA_DIR says otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KRUISE_AGENTS_DATA_DIR || path.join(os.homedir(), '.kruise-agents');
}

/** Creates the data dir (0700: it holds the API key and the kubeconfig) and proves it is writable. */
export function prepareDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    throw new PlatformError(
      'data dir',
      `${dataDir} is not writable (${describeCause(error)}): pass --data-dir <a directory you own>`,
      { cause: error },
    );
  }
}

/** Resolves when `port` can be bound on `host`; a PortBusyError naming the part and its flag otherwise. */
export async function ensurePortFree(part: PartName, host: string, port: number, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new PortBusyError(part, host, port, flag));
      else reject(new PlatformError(part, `cannot listen on ${host}:${port}: ${describeCause(error)}`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Maps a listen failure that slipped past the check (a race) to the same message. */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}
