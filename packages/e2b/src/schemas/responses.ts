/** What the E2B SDKs expect back from the control plane. */
import { z } from 'zod';

export const E2B_STATES = ['running', 'paused'] as const;
export const E2bStateSchema = z.enum(E2B_STATES);
export type E2bState = z.infer<typeof E2bStateSchema>;

/** The answer to create and connect (201/200). */
export const SandboxResponseSchema = z.object({
  sandboxID: z.string(),
  templateID: z.string(),
  clientID: z.string(),
  alias: z.string().optional(),
  envdVersion: z.string(),
  envdAccessToken: z.string().optional(),
  trafficAccessToken: z.string().nullable().optional(),
  domain: z.string().nullable(),
});
export type SandboxResponse = z.infer<typeof SandboxResponseSchema>;

/** One sandbox in GET /v2/sandboxes (and the v1 list). */
export const ListedSandboxSchema = z.object({
  sandboxID: z.string(),
  templateID: z.string(),
  alias: z.string().optional(),
  clientID: z.string(),
  metadata: z.record(z.string(), z.string()),
  startedAt: z.string(),
  endAt: z.string(),
  state: E2bStateSchema,
  cpuCount: z.int(),
  memoryMB: z.int(),
  diskSizeMB: z.int(),
  envdVersion: z.string(),
});
export type ListedSandbox = z.infer<typeof ListedSandboxSchema>;

/** GET /sandboxes/{id}. */
export const SandboxDetailSchema = ListedSandboxSchema.extend({
  envdAccessToken: z.string().optional(),
  domain: z.string().nullable(),
  lifecycle: z.object({ onTimeout: z.enum(['kill', 'pause']), autoResume: z.boolean() }).optional(),
});
export type SandboxDetail = z.infer<typeof SandboxDetailSchema>;

/** One sample of GET /sandboxes/{id}/metrics. The SDK reads `timestamp`, not `timestampUnix`. */
export const SandboxMetricSchema = z.object({
  timestamp: z.string(),
  timestampUnix: z.int(),
  cpuCount: z.int(),
  cpuUsedPct: z.number(),
  memUsed: z.int(),
  memTotal: z.int(),
  memCache: z.int(),
  diskUsed: z.int(),
  diskTotal: z.int(),
});
export type SandboxMetric = z.infer<typeof SandboxMetricSchema>;

export const ErrorBodySchema = z.object({ code: z.int(), message: z.string() });
