import { z } from 'zod';
import {
  ConditionsSchema,
  DurationSchema,
  QuantitySchema,
  RuntimesSchema,
  StringMapSchema,
  TimestampSchema,
  durationAtLeast,
} from './common';
import { celRule, objectEnvelope } from './resource';

export const DEFAULT_CLAIM_TIMEOUT = '1m';
export const DEFAULT_TTL_AFTER_COMPLETED = '60m';
export const DEFAULT_WAIT_READY_TIMEOUT = '30s';

export const SANDBOX_CLAIM_PHASES = ['Claiming', 'Completed'] as const;
export const SandboxClaimPhaseSchema = z.enum(SANDBOX_CLAIM_PHASES);
export type SandboxClaimPhase = z.infer<typeof SandboxClaimPhaseSchema>;

export const SandboxClaimConditions = { Completed: 'Completed', TimedOut: 'TimedOut' } as const;
export const SandboxClaimReasons = {
  AllClaimed: 'AllClaimed',
  ClaimTimeout: 'ClaimTimeout',
  SandboxSetNotFound: 'SandboxSetNotFound',
} as const;

/** A CSI volume mounted into the sandbox at run time, through the agent-runtime. */
export const CsiMountConfigSchema = z.object({
  mountID: z.string().optional(),
  pvName: z.string().min(1),
  mountPath: z.string().regex(/^\//, 'must be an absolute path'),
  subPath: z.string().optional(),
  readOnly: z.boolean().optional(),
  attributes: StringMapSchema.optional(),
});
export type CsiMountConfig = z.infer<typeof CsiMountConfigSchema>;

export const SandboxClaimSpecSchema = z.object({
  templateName: z.string().min(1).describe('The SandboxSet, in the same namespace, to claim from.'),
  replicas: z
    .int32()
    .min(1)
    .default(1)
    .describe('How many sandboxes to claim.')
    .meta(celRule('self == oldSelf', 'replicas is immutable')),
  shutdownTime: TimestampSchema.optional().describe("Copied to each claimed sandbox's spec.shutdownTime."),
  claimTimeout: durationAtLeast('1s')
    .default(DEFAULT_CLAIM_TIMEOUT)
    .describe('The longest the claim keeps trying, from status.claimStartTime.'),
  ttlAfterCompleted: DurationSchema.default(DEFAULT_TTL_AFTER_COMPLETED).describe(
    'The claim (never its sandboxes) is deleted this long after completion; negative means never.',
  ),
  labels: StringMapSchema.optional().describe('Added to every claimed sandbox.'),
  annotations: StringMapSchema.optional().describe('Added to every claimed sandbox.'),
  envVars: StringMapSchema.optional().describe("Sent to each sandbox's agent-runtime /init."),
  inplaceUpdate: z
    .object({
      image: z.string().min(1).optional(),
      resources: z
        .object({
          requests: z.record(z.string(), QuantitySchema).optional(),
          limits: z.record(z.string(), QuantitySchema).optional(),
        })
        .optional(),
    })
    .optional(),
  dynamicVolumesMount: z
    .array(CsiMountConfigSchema)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['mountPath'] }),
  runtimes: RuntimesSchema.optional(),
  reserveFailedSandbox: z.boolean().default(false),
  createOnNoStock: z.boolean().default(true).describe('When the pool is empty, create a sandbox directly.'),
  waitReadyTimeout: durationAtLeast('1s').default(DEFAULT_WAIT_READY_TIMEOUT),
  skipInitRuntime: z.boolean().default(false),
});
export type SandboxClaimSpec = z.infer<typeof SandboxClaimSpecSchema>;

export const SandboxClaimStatusSchema = z.object({
  observedGeneration: z.int().optional(),
  phase: SandboxClaimPhaseSchema.optional(),
  message: z.string().optional(),
  claimedReplicas: z.int32().min(0).default(0),
  claimStartTime: TimestampSchema.optional(),
  completionTime: TimestampSchema.optional(),
  conditions: ConditionsSchema.optional(),
});
export type SandboxClaimStatus = z.infer<typeof SandboxClaimStatusSchema>;

export const SandboxClaimSchema = z.object({
  ...objectEnvelope('SandboxClaim'),
  spec: SandboxClaimSpecSchema,
  status: SandboxClaimStatusSchema.optional(),
});
export type SandboxClaim = z.infer<typeof SandboxClaimSchema>;
