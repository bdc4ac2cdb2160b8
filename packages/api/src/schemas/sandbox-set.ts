import { z } from 'zod';
import { E2B_PREFIX } from '../well-known';
import { ConditionsSchema, IntOrStringSchema } from './common';
import { celRule, objectEnvelope } from './resource';
import { EmbeddedTemplateShape, ONE_TEMPLATE_MESSAGE, ONE_TEMPLATE_RULE } from './sandbox';

/** Rolling updates replace at most this share of the pool at once unless the SandboxSet says otherwise. */
export const DEFAULT_UPDATE_MAX_UNAVAILABLE = '20%';

const noE2bKeys = (map: Record<string, string> | undefined) =>
  Object.keys(map ?? {}).every((key) => !key.startsWith(E2B_PREFIX));

export const SandboxSetSpecSchema = z
  .object({
    ...EmbeddedTemplateShape,
    replicas: z.int32().min(0).describe('The number of unused sandboxes (creating + available) the pool keeps warm.'),
    scaleStrategy: z.object({ maxUnavailable: IntOrStringSchema.optional() }).optional(),
    updateStrategy: z
      .object({ maxUnavailable: IntOrStringSchema.default(DEFAULT_UPDATE_MAX_UNAVAILABLE) })
      .default({ maxUnavailable: DEFAULT_UPDATE_MAX_UNAVAILABLE }),
  })
  .refine((s) => (s.template === undefined) !== (s.templateRef === undefined), {
    message: ONE_TEMPLATE_MESSAGE,
    path: ['template'],
  })
  .refine((s) => noE2bKeys(s.template?.metadata?.labels) && noE2bKeys(s.template?.metadata?.annotations), {
    message: `must not use the ${E2B_PREFIX} prefix in labels or annotations`,
    path: ['template', 'metadata'],
  })
  .meta(celRule(ONE_TEMPLATE_RULE, ONE_TEMPLATE_MESSAGE));
export type SandboxSetSpec = z.infer<typeof SandboxSetSpecSchema>;

export const SandboxSetStatusSchema = z.object({
  observedGeneration: z.int().optional(),
  replicas: z.int32().min(0).default(0).describe('Unused sandboxes: creating + available + creations in flight.'),
  availableReplicas: z.int32().min(0).default(0),
  updatedReplicas: z.int32().min(0).optional(),
  updatedAvailableReplicas: z.int32().min(0).optional(),
  updateRevision: z.string().optional(),
  currentRevision: z.string().optional(),
  conditions: ConditionsSchema.optional(),
  selector: z.string().optional().describe('Label selector of the unused pool members, for the scale subresource.'),
});
export type SandboxSetStatus = z.infer<typeof SandboxSetStatusSchema>;

export const SandboxSetSchema = z.object({
  ...objectEnvelope('SandboxSet'),
  spec: SandboxSetSpecSchema,
  status: SandboxSetStatusSchema.optional(),
});
export type SandboxSet = z.infer<typeof SandboxSetSchema>;
