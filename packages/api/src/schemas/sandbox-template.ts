import { z } from 'zod';
import { PodTemplateSpecSchema } from './common';
import { objectEnvelope } from './resource';
import { EmbeddedTemplateShape } from './sandbox';

export const SandboxTemplateSpecSchema = z.object({
  template: PodTemplateSpecSchema,
  volumeClaimTemplates: EmbeddedTemplateShape.volumeClaimTemplates,
  persistentContents: EmbeddedTemplateShape.persistentContents,
  runtimes: EmbeddedTemplateShape.runtimes,
  pauseStrategy: EmbeddedTemplateShape.pauseStrategy.describe(
    'Informational: the SandboxSet pause strategy always wins.',
  ),
});
export type SandboxTemplateSpec = z.infer<typeof SandboxTemplateSpecSchema>;

export const SandboxTemplateSchema = z.object({
  ...objectEnvelope('SandboxTemplate'),
  spec: SandboxTemplateSpecSchema,
});
export type SandboxTemplate = z.infer<typeof SandboxTemplateSchema>;
