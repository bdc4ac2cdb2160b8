/**
 * The payloads of the annotations that carry a claim's runtime set-up from the claim to whoever (re)initialises the
 * sandbox's agent-runtime: the /init request (init-runtime-request) and the CSI mount intent (csi-volume-config). The
 * claim writes them once; the operator replays them every time the runtime starts afresh (resume, recreate).
 */
import { z } from 'zod';
import { StringMapSchema } from './common';
import { CsiMountConfigSchema } from './sandbox-claim';

/** agents.kruise.io/init-runtime-request: the JSON body of the runtime's POST /init. */
export const InitRuntimeRequestSchema = z.object({
  envVars: StringMapSchema.optional(),
  accessToken: z.string().optional(),
  /** Kept for the reference's shape; nothing here refreshes tokens. */
  skipRefresh: z.boolean().optional(),
});
export type InitRuntimeRequest = z.infer<typeof InitRuntimeRequestSchema>;

/** e2b.agents.kruise.io/csi-volume-config: the dynamic CSI mounts of a sandbox, in mount order. */
export const CsiVolumeConfigSchema = z.array(CsiMountConfigSchema);
