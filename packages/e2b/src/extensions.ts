/**
 * E2B request metadata carries two things: the user's own metadata (stored as sandbox annotations) and extension
 * keys under `e2b.agents.kruise.io/` that steer the claim (in-place image, volume mount, timeouts…). This module
 * separates and validates them; extension keys are never stored as metadata.
 */
import { E2B_PREFIX, E2bExtensionKeys, PREFIX, isDuration, type CsiMountConfig } from '@kruise-agents/api';
import { E2bApiError } from './errors';

export interface ClaimExtensions {
  /** Replace the first container's image in place at claim time. */
  image?: string;
  /** PersistentVolumes to mount into the sandbox through its runtime. */
  volumeMounts: CsiMountConfig[];
  claimTimeoutSeconds?: number;
  waitReadyTimeoutSeconds?: number;
  /** With no stock, create a sandbox at once; undefined leaves the choice to the SandboxSet (gateway default). */
  createOnNoStock?: boolean;
  neverTimeout: boolean;
  skipInitRuntime: boolean;
  cpuRequest?: string;
  cpuLimit?: string;
  /** `forever` or a Go duration: how long a paused sandbox is kept. */
  reservePausedSandboxDuration?: string;
  /** `never` (delete on failure, the default), `forever`, or a Go duration. */
  reserveFailedSandboxFor?: string;
}

export interface SplitMetadata {
  /** What the user stores and later filters on. */
  metadata: Record<string, string>;
  extensions: ClaimExtensions;
}

// A Kubernetes qualified name: an optional DNS-subdomain prefix and a name of at most 63 characters.
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** `/data`, `/mnt/a`: absolute, no empty, `.` or `..` segments, no trailing slash. */
export function isCleanAbsolutePath(path: string): boolean {
  if (path === '/') return true;
  if (!path.startsWith('/') || path.endsWith('/')) return false;
  return path
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function splitMetadata(input: Record<string, string> | undefined): SplitMetadata {
  const metadata: Record<string, string> = {};
  const ext = new Map<string, string>();
  for (const [key, value] of Object.entries(input ?? {})) {
    if (key.startsWith(E2B_PREFIX)) ext.set(key, value);
    else if (key.startsWith(PREFIX))
      throw E2bApiError.badRequest(`Forbidden metadata key [${key}]: the ${PREFIX} prefix is reserved`);
    else if (!QUALIFIED_NAME.test(key) || key.length > 316) {
      throw E2bApiError.badRequest(
        `Unqualified metadata key [${key}]: must be a Kubernetes qualified name such as "team" or "example.com/team"`,
      );
    } else metadata[key] = value;
  }
  return { metadata, extensions: parseExtensions(ext) };
}

function parseExtensions(ext: Map<string, string>): ClaimExtensions {
  const take = (key: string) => {
    const value = ext.get(key);
    ext.delete(key);
    return value;
  };
  const bad = (key: string, rule: string) => E2bApiError.badRequest(`Bad extension param: ${key} ${rule}`);
  const positiveInt = (key: string) => {
    const value = take(key);
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value) || Number(value) <= 0) throw bad(key, 'must be a positive integer number of seconds');
    return Number(value);
  };
  const flag = (key: string, fallback: boolean) => {
    const value = take(key);
    if (value === undefined) return fallback;
    if (value !== 'true' && value !== 'false') throw bad(key, 'must be "true" or "false"');
    return value === 'true';
  };
  const quantity = (key: string) => {
    const value = take(key);
    if (value !== undefined && !QUANTITY.test(value)) throw bad(key, 'must be a quantity such as "500m" or "2"');
    return value;
  };

  const image = take(E2bExtensionKeys.Image);
  if (image !== undefined && image.trim() === '') throw bad(E2bExtensionKeys.Image, 'must be an image reference');

  const pvName = take(E2bExtensionKeys.CsiVolumeName);
  const mountPath = take(E2bExtensionKeys.CsiMountPoint);
  const subPath = take(E2bExtensionKeys.CsiSubpath);
  const volumeMounts: CsiMountConfig[] = [];
  if ((pvName === undefined) !== (mountPath === undefined)) {
    throw bad(E2bExtensionKeys.CsiVolumeName, `and ${E2bExtensionKeys.CsiMountPoint} must be given together`);
  }
  if (pvName !== undefined && mountPath !== undefined) {
    if (pvName === '') throw bad(E2bExtensionKeys.CsiVolumeName, 'must name a PersistentVolume');
    if (!isCleanAbsolutePath(mountPath)) throw bad(E2bExtensionKeys.CsiMountPoint, 'must be a clean absolute path');
    if (subPath !== undefined && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      throw bad(E2bExtensionKeys.CsiSubpath, 'must be a relative path inside the volume');
    }
    volumeMounts.push({ pvName, mountPath, ...(subPath ? { subPath } : {}) });
  } else if (subPath !== undefined) {
    throw bad(
      E2bExtensionKeys.CsiSubpath,
      `needs ${E2bExtensionKeys.CsiVolumeName} and ${E2bExtensionKeys.CsiMountPoint}`,
    );
  }

  const reservePaused = take(E2bExtensionKeys.ReservePausedSandboxDuration);
  if (reservePaused !== undefined && reservePaused !== 'forever' && !isDuration(reservePaused)) {
    throw bad(E2bExtensionKeys.ReservePausedSandboxDuration, 'must be "forever" or a duration such as "1h"');
  }
  let reserveFailed = take(`${E2bExtensionKeys.ReserveFailedSandbox}-for`);
  const legacyReserve = take(E2bExtensionKeys.ReserveFailedSandbox);
  if (reserveFailed === undefined && legacyReserve === 'true') reserveFailed = 'forever';
  if (reserveFailed !== undefined && !['never', 'forever'].includes(reserveFailed) && !isDuration(reserveFailed)) {
    throw bad(`${E2bExtensionKeys.ReserveFailedSandbox}-for`, 'must be "never", "forever" or a duration');
  }

  const result: ClaimExtensions = {
    ...(image !== undefined ? { image } : {}),
    volumeMounts,
    neverTimeout: flag(E2bExtensionKeys.NeverTimeout, false),
    skipInitRuntime: flag(E2bExtensionKeys.SkipInitRuntime, false),
  };
  const createOnNoStock = take(E2bExtensionKeys.CreateOnNoStock);
  if (createOnNoStock !== undefined && createOnNoStock !== 'true' && createOnNoStock !== 'false') {
    throw bad(E2bExtensionKeys.CreateOnNoStock, 'must be "true" or "false"');
  }
  if (createOnNoStock !== undefined) result.createOnNoStock = createOnNoStock === 'true';
  const claimTimeout = positiveInt(E2bExtensionKeys.ClaimTimeoutSeconds);
  if (claimTimeout !== undefined) result.claimTimeoutSeconds = claimTimeout;
  const waitReady = positiveInt(E2bExtensionKeys.WaitReadyTimeoutSeconds);
  if (waitReady !== undefined) result.waitReadyTimeoutSeconds = waitReady;
  const cpuRequest = quantity(E2bExtensionKeys.CpuRequest);
  if (cpuRequest !== undefined) result.cpuRequest = cpuRequest;
  const cpuLimit = quantity(E2bExtensionKeys.CpuLimit);
  if (cpuLimit !== undefined) result.cpuLimit = cpuLimit;
  if (reservePaused !== undefined) result.reservePausedSandboxDuration = reservePaused;
  if (reserveFailed !== undefined) result.reserveFailedSandboxFor = reserveFailed;
  if (result.skipInitRuntime && volumeMounts.length > 0) {
    throw bad(
      E2bExtensionKeys.SkipInitRuntime,
      'cannot be combined with a volume mount (mounts go through the runtime)',
    );
  }

  const unknown = [...ext.keys()];
  if (unknown.length > 0) throw E2bApiError.badRequest(`Bad extension param: unknown key ${unknown.join(', ')}`);
  return result;
}
