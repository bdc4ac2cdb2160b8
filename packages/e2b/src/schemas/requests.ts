/**
 * What the E2B SDKs send to the control plane (npm `e2b` 2.51 and older SDKs calling the v1 endpoints).
 * Unknown fields are accepted and ignored, as E2B's own API does (e.g. `secure`, `mcp`).
 */
import { z } from 'zod';

const stringMap = (what: string) =>
  z.record(z.string(), z.string({ error: `must be a map of strings (${what} values are strings)` }), {
    error: `must be a map of strings`,
  });

/** Seconds. 0 (or absent) means the server default. */
const TimeoutSecondsSchema = z.int({ error: 'must be an integer number of seconds' }).min(0, 'must be ≥ 0 seconds');

export const VolumeMountSchema = z.object({
  name: z.string().min(1, 'must be the name of a volume'),
  path: z.string().regex(/^\//, 'must be an absolute path'),
});

export const NewSandboxRequestSchema = z.looseObject({
  templateID: z.string({ error: 'must be a template name' }).min(1, 'must be a template name'),
  timeout: TimeoutSecondsSchema.optional(),
  autoPause: z.boolean({ error: 'must be a boolean' }).optional(),
  autoPauseMemory: z.boolean({ error: 'must be a boolean' }).optional(),
  autoResume: z.looseObject({ enabled: z.boolean().optional() }).optional(),
  allow_internet_access: z.boolean({ error: 'must be a boolean' }).optional(),
  metadata: stringMap('metadata').optional(),
  envVars: stringMap('environment variable').optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  network: z
    .looseObject({
      allowOut: z.array(z.string()).max(100, 'must have at most 100 entries').optional(),
      denyOut: z.array(z.string()).max(100, 'must have at most 100 entries').optional(),
    })
    .optional(),
});
export type NewSandboxRequest = z.infer<typeof NewSandboxRequestSchema>;

/** POST /sandboxes/{id}/timeout. */
export const SetTimeoutRequestSchema = z.looseObject({
  timeout: z.int({ error: 'must be an integer number of seconds' }).min(1, 'must be ≥ 1 second'),
});

/** POST /v2/sandboxes/{id}/connect and /sandboxes/{id}/connect. */
export const ConnectRequestSchema = z.looseObject({ timeout: TimeoutSecondsSchema.optional() });

/** POST /sandboxes/{id}/resume (legacy SDKs). */
export const ResumeRequestSchema = z.looseObject({
  timeout: TimeoutSecondsSchema.optional(),
  autoPause: z.boolean().optional(),
});

/** POST /sandboxes/{id}/pause. */
export const PauseRequestSchema = z.looseObject({ memory: z.boolean().optional() });

/** POST /sandboxes/{id}/refreshes (legacy keep-alive). */
export const RefreshRequestSchema = z.looseObject({ duration: z.int().min(0).optional() });
