/**
 * Dynamic volume mounts through a sandbox's runtime (the I/O half of runtime/volume-source.ts), shared by the
 * gateway's create path and the operator's claim and re-mount paths: each PersistentVolume is looked up for the
 * directory behind it, then the runtime makes the mount point's parent and, as root, bind-mounts the directory there.
 */
import type { CsiMountConfig } from '@kruise-agents/api';
import type { RuntimeAddress } from '@kruise-agents/e2b';
import { Resources, isNotFound, type KubeClient } from '@kruise-agents/kube-runtime';
import { CoreError } from '../errors';
import { bindMountCommand, splitMountPath, volumeSourceOf, type PersistentVolumeLike } from '../runtime/volume-source';
import type { RuntimeClient } from './runtime-client';

export type ResolvedMount = CsiMountConfig & { source: string };

/** A mount command gets this long (the reference's storage CLI timeout). */
const MOUNT_TIMEOUT_MS = 30_000;

/**
 * The directory behind each mount, from its PersistentVolume. Throws CoreError InvalidVolume for a volume that does
 * not exist or cannot be mounted (the caller's mistake), and the API error for anything else.
 */
export async function resolveVolumeSources(
  kube: KubeClient,
  mounts: readonly CsiMountConfig[],
): Promise<ResolvedMount[]> {
  const pvs = kube.resource(Resources.PersistentVolume);
  return Promise.all(
    mounts.map(async (mount) => {
      let pv: PersistentVolumeLike;
      try {
        pv = (await pvs.get(undefined, mount.pvName)) as PersistentVolumeLike;
      } catch (error) {
        if (isNotFound(error)) throw new CoreError('InvalidVolume', `PersistentVolume "${mount.pvName}" not found`);
        throw error;
      }
      return { ...mount, source: volumeSourceOf(pv, mount) };
    }),
  );
}

const frame = (json: unknown) => {
  const payload = Buffer.from(JSON.stringify(json));
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
};

const rootHeaders = (token: string) => ({
  'connect-protocol-version': '1',
  authorization: `Basic ${Buffer.from('root:').toString('base64')}`,
  ...(token ? { 'x-access-token': token } : {}),
});

/** Runs one command as root through the runtime's Process/Start stream; resolves with its exit code and output. */
async function runAsRoot(
  runtime: RuntimeClient,
  address: RuntimeAddress,
  token: string,
  cmd: string,
  cwd: string,
): Promise<{ exitCode: number; output: string }> {
  const res = await runtime.request(address, 'POST', '/process.Process/Start', {
    raw: frame({ process: { cmd: '/bin/sh', args: ['-c', cmd], envs: {}, cwd }, stdin: false }),
    headers: { 'content-type': 'application/connect+json', ...rootHeaders(token) },
    timeoutMs: MOUNT_TIMEOUT_MS,
  });
  if (res.status !== 200) throw new Error(`runtime answered ${res.status}: ${res.body.slice(0, 200)}`);
  const bytes = res.bytes;
  let exitCode = -1;
  let output = '';
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readUInt32BE(at + 1);
    const message = JSON.parse(bytes.subarray(at + 5, at + 5 + length).toString('utf8')) as {
      event?: { data?: { stdout?: string; stderr?: string }; end?: { exitCode?: number } };
      error?: { message?: string };
    };
    at += 5 + length;
    const data = message.event?.data;
    if (data) output += Buffer.from(data.stdout ?? data.stderr ?? '', 'base64').toString('utf8');
    if (message.event?.end) exitCode = message.event.end.exitCode ?? 0;
    if (message.error) throw new Error(message.error.message ?? 'process error');
  }
  return { exitCode, output };
}

async function mountOne(runtime: RuntimeClient, address: RuntimeAddress, token: string, mount: ResolvedMount) {
  const { parent, leaf } = splitMountPath(mount.mountPath);
  // The runtime maps paths into the sandbox's root, so the link lands at the mount point wherever the root is.
  const made = await runtime.request(address, 'POST', '/filesystem.Filesystem/MakeDir', {
    body: { path: parent },
    headers: rootHeaders(token),
  });
  if (made.status !== 200 && !made.body.includes('already_exists')) {
    throw new Error(`creating ${parent} failed: ${made.status} ${made.body.slice(0, 200)}`);
  }
  const result = await runAsRoot(runtime, address, token, bindMountCommand(mount.source, leaf), parent);
  if (result.exitCode !== 0) {
    throw new Error(`mounting ${mount.pvName} at ${mount.mountPath} failed: ${result.output.trim()}`);
  }
}

/**
 * Mounts every volume (looking up those without a source first), one after another in the order given: a mount point
 * may lie inside an earlier one, which must be in place first. The first failure ends it.
 */
export async function mountVolumes(
  runtime: RuntimeClient,
  kube: KubeClient,
  address: RuntimeAddress,
  token: string,
  mounts: ReadonlyArray<CsiMountConfig & { source?: string }>,
): Promise<void> {
  if (mounts.length === 0) return;
  const resolved = mounts.every((m) => m.source)
    ? (mounts as ResolvedMount[])
    : await resolveVolumeSources(kube, mounts);
  for (const mount of resolved) await mountOne(runtime, address, token, mount);
}
