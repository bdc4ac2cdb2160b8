/**
 * Dynamic volume mounts on a node without CSI node plugins: the PersistentVolume's backing directory (hostPath,
 * local, or a CSI volume's `path` attribute, as the reference's storage providers read it) is bind-mounted at the
 * mount point by the sandbox's own runtime, running as root. These are the pure parts: which directory, and the
 * command the runtime runs.
 */
import type { CsiMountConfig } from '@kruise-agents/api';
import { CoreError } from '../errors';

/** The fields of a core/v1 PersistentVolume read here. */
export interface PersistentVolumeLike {
  metadata?: { name?: string };
  spec?: {
    hostPath?: { path?: string };
    local?: { path?: string };
    csi?: { driver?: string; volumeAttributes?: Record<string, string> };
  };
}

/**
 * A mount's subPath made safe to join under the volume's base (reference §7.2): leading slashes are dropped, and `.`,
 * `..` and NUL are refused, so the result can never leave the base. '' means the base itself.
 */
export function safeSubPath(subPath: string | undefined): string {
  if (!subPath) return '';
  if (subPath.includes('\0')) throw new CoreError('InvalidVolume', 'subPath must not contain NUL');
  const segments = subPath
    .replace(/^\/+/, '')
    .split('/')
    .filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new CoreError('InvalidVolume', `subPath "${subPath}" must not contain "." or ".." segments`);
  }
  return segments.join('/');
}

/** The host directory to mount for `mount` from its PersistentVolume; CoreError InvalidVolume when there is none. */
export function volumeSourceOf(pv: PersistentVolumeLike, mount: Pick<CsiMountConfig, 'pvName' | 'subPath'>): string {
  const base = pv.spec?.hostPath?.path ?? pv.spec?.local?.path ?? pv.spec?.csi?.volumeAttributes?.path;
  if (!base) {
    throw new CoreError(
      'InvalidVolume',
      `PersistentVolume "${mount.pvName}" has no hostPath, local or CSI path attribute to mount`,
    );
  }
  const sub = safeSubPath(mount.subPath);
  return sub ? `${base.replace(/\/+$/, '')}/${sub}` : base;
}

/** The directory that holds the mount point, and the mount point's name in it. */
export function splitMountPath(mountPath: string): { parent: string; leaf: string } {
  const slash = mountPath.lastIndexOf('/');
  return { parent: slash <= 0 ? '/' : mountPath.slice(0, slash), leaf: mountPath.slice(slash + 1) };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The shell command, run as root in the mount point's parent, that puts `source` at `leaf`: a bind mount in the
 * sandbox's own mount namespace (writable, and invisible to whoever later deletes the sandbox's directory from
 * outside, so the volume's data is never removed with it); a symlink where the runtime may not mount (it then reads
 * and writes as the host allows).
 */
export function bindMountCommand(source: string, leaf: string): string {
  const src = quote(source);
  const dst = quote(leaf);
  return `{ mkdir -p -- ${dst} && mount --bind -- ${src} ${dst} && { mount -o remount,bind,rw -- ${dst} || true; }; } 2>/dev/null || { rmdir -- ${dst} 2>/dev/null; ln -sfn -- ${src} ${dst}; }`;
}
