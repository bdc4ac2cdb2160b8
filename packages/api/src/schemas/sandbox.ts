import { z } from 'zod';
import {
  ConditionsSchema,
  PauseStrategySchema,
  PersistentContentsSchema,
  PodTemplateSpecSchema,
  RuntimesSchema,
  StringMapSchema,
  TemplateRefSchema,
  TimestampSchema,
  VolumeClaimTemplatesSchema,
} from './common';
import { celRule, objectEnvelope } from './resource';

export const SANDBOX_PHASES = [
  'Pending',
  'Running',
  'Paused',
  'Resuming',
  'Upgrading',
  'Succeeded',
  'Failed',
  'Recycling',
  'Terminating',
] as const;
export const SandboxPhaseSchema = z.enum(SANDBOX_PHASES);
export type SandboxPhase = z.infer<typeof SandboxPhaseSchema>;

/** Condition types a Sandbox reports, and the reasons that go with them. */
export const SandboxConditions = {
  Ready: 'Ready',
  SandboxPaused: 'SandboxPaused',
  SandboxResumed: 'SandboxResumed',
  InplaceUpdate: 'InplaceUpdate',
  Upgrading: 'Upgrading',
  RuntimeInitialized: 'RuntimeInitialized',
  Recycling: 'Recycling',
} as const;
export const SandboxReasons = {
  PodReady: 'PodReady',
  InplaceUpdating: 'InplaceUpdating',
  StartContainerFailed: 'StartContainerFailed',
  PodCreateFailed: 'PodCreateFailed',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  StopPauseSucceed: 'StopPauseSucceed',
  FreezePauseSucceed: 'FreezePauseSucceed',
  PodNotReady: 'PodNotReady',
  PodNotFound: 'PodNotFound',
  Frozen: 'Frozen',
  CreatePod: 'CreatePod',
  ResumePod: 'ResumePod',
  /** RuntimeInitialized=False: the runtime is to be initialised (again) before the sandbox is Ready. */
  Pending: 'Pending',
  /** Ready=False while RuntimeInitialized is not True: the pod is ready, its runtime not yet. */
  RuntimeInitializing: 'RuntimeInitializing',
} as const;

export const LifecycleHookSchema = z.object({
  exec: z.object({ command: z.array(z.string()).min(1) }),
  timeoutSeconds: z.int32().min(1).default(60),
});

/** The pod template and what travels with it; shared by Sandbox, SandboxSet and SandboxTemplate. */
export const EmbeddedTemplateShape = {
  templateRef: TemplateRefSchema.optional(),
  template: PodTemplateSpecSchema.optional(),
  volumeClaimTemplates: VolumeClaimTemplatesSchema.optional(),
  persistentContents: PersistentContentsSchema.optional(),
  runtimes: RuntimesSchema.optional(),
  pauseStrategy: PauseStrategySchema.optional(),
};

const hasExactlyOneTemplate = (spec: { template?: unknown; templateRef?: unknown }) =>
  (spec.template === undefined) !== (spec.templateRef === undefined);
export const ONE_TEMPLATE_RULE = 'has(self.template) != has(self.templateRef)';
export const ONE_TEMPLATE_MESSAGE = 'must set exactly one of template and templateRef';

export const SandboxSpecSchema = z
  .object({
    ...EmbeddedTemplateShape,
    paused: z.boolean().optional(),
    shutdownTime: TimestampSchema.optional().describe('When the sandbox is deleted; a past time deletes it at once.'),
    pauseTime: TimestampSchema.optional().describe('When the sandbox is paused (spec.paused set to true).'),
    lifecycle: z
      .object({ preUpgrade: LifecycleHookSchema.optional(), postUpgrade: LifecycleHookSchema.optional() })
      .optional(),
    upgradePolicy: z.object({ type: z.enum(['Recreate', 'CheckpointRestore']).optional() }).optional(),
  })
  .refine(hasExactlyOneTemplate, { message: ONE_TEMPLATE_MESSAGE, path: ['template'] })
  .meta(celRule(ONE_TEMPLATE_RULE, ONE_TEMPLATE_MESSAGE));
export type SandboxSpec = z.infer<typeof SandboxSpecSchema>;

export const SandboxStatusSchema = z.object({
  observedGeneration: z.int().optional(),
  phase: SandboxPhaseSchema.optional(),
  message: z.string().optional(),
  conditions: ConditionsSchema.optional(),
  podInfo: z
    .object({
      annotations: StringMapSchema.optional(),
      labels: StringMapSchema.optional(),
      nodeName: z.string().optional(),
      podIP: z.string().optional(),
      podUID: z.string().optional(),
      // Kruise Agents' own: the baseline that tells a restarted runtime of a sandbox its claimer initialised itself.
      runtimeContainerID: z
        .string()
        .optional()
        .describe(
          'The containerID of the agent-runtime container as the Sandbox controller last saw it running: a new one ' +
            'means a new runtime process, which has lost the set-up it was given.',
        ),
    })
    .optional(),
  nodeName: z.string().optional(),
  sandboxIp: z.string().optional(),
  updateRevision: z.string().optional(),
  recycledCount: z.int32().min(0).optional(),
  /** When the sandbox last entered a pause; the time paused does not count against its timeout. */
  pausedAt: TimestampSchema.optional(),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

export const SandboxSchema = z.object({
  ...objectEnvelope('Sandbox'),
  spec: SandboxSpecSchema,
  status: SandboxStatusSchema.optional(),
});
export type Sandbox = z.infer<typeof SandboxSchema>;
