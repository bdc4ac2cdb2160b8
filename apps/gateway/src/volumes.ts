/**
 * Dynamic volume mounts (e2b.agents.kruise.io/csi-volume-name + csi-mount-point, or `volumeMounts`): the
 * PersistentVolume's backing directory is made visible at the mount point through the sandbox's own runtime, as the
 * reference does with its storage CLI. Here the runtime runs, as root, a bind mount of the volume's path (hostPath,
 * local, or a CSI volume's `path` attribute) at the mount point: what a process-based local node can offer; a CSI
 * node plugin would do the real mount in a cluster.
 */
import { Resources, isNotFound, type KubeObject } from '@kruise-agents/kube-runtime';
import { E2bApiError, type RuntimeAddress } from '@kruise-agents/e2b';
import type { CsiMountConfig } from '@kruise-agents/api';
import type { GatewayContext } from './context';

interface PersistentVolume extends KubeObject {
  spec?: {
    hostPath?: { path?: string };
    local?: { path?: string };
    csi?: { driver?: string; volumeAttributes?: Record<string, string> };
  };
}

/** The directory behind each mount, checked before anything is claimed (a bad volume is the caller's 400). */
export async function resolveVolumes(
  ctx: GatewayContext,
  mounts: readonly CsiMountConfig[],
): Promise<Array<CsiMountConfig & { source: string }>> {
  const pvs = ctx.kube.resource(Resources.PersistentVolume);
  return Promise.all(
    mounts.map(async (mount) => {
      let pv: PersistentVolume;
      try {
        pv = (await pvs.get(undefined, mount.pvName)) as PersistentVolume;
      } catch (error) {
        if (isNotFound(error)) throw E2bApiError.badRequest(`PersistentVolume "${mount.pvName}" not found`);
        throw error;
      }
      const base = pv.spec?.hostPath?.path ?? pv.spec?.local?.path ?? pv.spec?.csi?.volumeAttributes?.path;
      if (!base) {
        throw E2bApiError.badRequest(
          `PersistentVolume "${mount.pvName}" has no hostPath, local or CSI path attribute to mount`,
        );
      }
      const source = mount.subPath ? `${base.replace(/\/$/, '')}/${mount.subPath}` : base;
      return { ...mount, source };
    }),
  );
}

const frame = (json: unknown) => {
  const payload = Buffer.from(JSON.stringify(json));
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
};

/** Runs one command as root through the runtime's Process/Start stream; resolves with its exit code. */
async function runAsRoot(
  ctx: GatewayContext,
  address: RuntimeAddress,
  token: string,
  cmd: string,
  cwd: string,
): Promise<{ exitCode: number; output: string }> {
  const res = await ctx.runtime.request(address, 'POST', '/process.Process/Start', {
    raw: frame({ process: { cmd: '/bin/sh', args: ['-c', cmd], envs: {}, cwd }, stdin: false }),
    headers: {
      'content-type': 'application/connect+json',
      'connect-protocol-version': '1',
      authorization: `Basic ${Buffer.from('root:').toString('base64')}`,
      ...(token ? { 'x-access-token': token } : {}),
    },
    timeoutMs: 30_000,
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

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export async function mountVolumes(
  ctx: GatewayContext,
  address: RuntimeAddress,
  token: string,
  mounts: ReadonlyArray<CsiMountConfig & { source?: string }>,
): Promise<void> {
  const resolved = mounts.every((m) => m.source) ? mounts : await resolveVolumes(ctx, mounts);
  for (const mount of resolved) {
    const slash = mount.mountPath.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : mount.mountPath.slice(0, slash);
    const leaf = mount.mountPath.slice(slash + 1);
    // The runtime maps paths into the sandbox's root, so the link lands at the mount point wherever the root is.
    const made = await ctx.runtime.request(address, 'POST', '/filesystem.Filesystem/MakeDir', {
      body: { path: parent },
      headers: {
        'connect-protocol-version': '1',
        authorization: `Basic ${Buffer.from('root:').toString('base64')}`,
        ...(token ? { 'x-access-token': token } : {}),
      },
    });
    if (made.status !== 200 && !made.body.includes('already_exists')) {
      throw new Error(`creating ${parent} failed: ${made.status} ${made.body.slice(0, 200)}`);
    }
    // A bind mount in the sandbox's own mount namespace (writable, and invisible to whoever later deletes the
    // sandbox's directory from outside, so the volume's data is never removed with it); a symlink where the
    // runtime may not mount (it then reads and writes as the host allows).
    const src = quote(mount.source!);
    const dst = quote(leaf);
    const result = await runAsRoot(
      ctx,
      address,
      token,
      `{ mkdir -p -- ${dst} && mount --bind -- ${src} ${dst} && { mount -o remount,bind,rw -- ${dst} || true; }; } 2>/dev/null || { rmdir -- ${dst} 2>/dev/null; ln -sfn -- ${src} ${dst}; }`,
      parent,
    );
    if (result.exitCode !== 0) {
      throw new Error(`mounting ${mount.pvName} at ${mount.mountPath} failed: ${result.output.trim()}`);
    }
  }
}
