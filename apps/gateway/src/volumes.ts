/**
 * Dynamic volume mounts (e2b.agents.kruise.io/csi-volume-name + csi-mount-point, or `volumeMounts`), on the shared
 * helpers of @kruise-agents/core/client that the operator also uses to re-mount after a resume: here only the
 * gateway's side of them — a volume that cannot be mounted is the caller's 400.
 */
import type { CsiMountConfig } from '@kruise-agents/api';
import { CoreError } from '@kruise-agents/core';
import {
  mountVolumes as mountThroughRuntime,
  resolveVolumeSources,
  type ResolvedMount,
} from '@kruise-agents/core/client';
import { E2bApiError, type RuntimeAddress } from '@kruise-agents/e2b';
import type { GatewayContext } from './context';

/** The directory behind each mount, checked before anything is claimed (a bad volume is the caller's 400). */
export async function resolveVolumes(ctx: GatewayContext, mounts: readonly CsiMountConfig[]): Promise<ResolvedMount[]> {
  try {
    return await resolveVolumeSources(ctx.kube, mounts);
  } catch (error) {
    if (error instanceof CoreError && error.code === 'InvalidVolume') throw E2bApiError.badRequest(error.message);
    throw error;
  }
}

export function mountVolumes(
  ctx: GatewayContext,
  address: RuntimeAddress,
  token: string,
  mounts: ReadonlyArray<CsiMountConfig & { source?: string }>,
): Promise<void> {
  return mountThroughRuntime(ctx.runtime, ctx.kube, address, token, mounts);
}
