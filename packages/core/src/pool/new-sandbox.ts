/**
 * The Sandbox a SandboxSet creates: a pool member with a generated name, the pool's labels and a controller
 * ownerReference, carrying the set's template and what travels with it.
 */
import {
  API_VERSION,
  Labels,
  PREFIX,
  isInternalKey,
  type OwnerReference,
  type PodTemplateSpec,
  type Sandbox,
  type SandboxSet,
  type SandboxTemplate,
} from '@kruise-agents/api';

/** Internal keys that a pod template may pass on to the sandboxes made from it (recycle settings). */
export const INTERNAL_KEYS_PRESERVED_ON_CREATION: readonly string[] = [
  `${PREFIX}cleanup-enabled`,
  `${PREFIX}cleanup-retain-on-failure`,
];

/** The longest generateName: Kubernetes appends 5 characters and names of pods must stay ≤ 63. */
export const MAX_GENERATE_NAME_LENGTH = 58;

export interface NewPoolSandboxOptions {
  /** The set's updateRevision (sandboxSetRevision); written as the template-hash label. */
  revision: string;
  /** The SandboxTemplate the set references, whose template labels and annotations the sandbox inherits. */
  referencedTemplate?: SandboxTemplate;
}

/** `<set>-`, truncated so the generated name stays a valid pod name. */
export function poolGenerateName(setName: string): string {
  return `${setName.slice(0, MAX_GENERATE_NAME_LENGTH - 1)}-`;
}

/** The pool-index key of a set's sandboxes: templateRef.name when the set references a template, else its name. */
export function poolTemplateName(set: SandboxSet): string {
  return set.spec.templateRef?.name ?? set.metadata.name ?? '';
}

/** The controller ownerReference that makes a sandbox a member of `set`'s pool. */
export function sandboxSetOwnerReference(set: SandboxSet): OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    name: set.metadata.name ?? '',
    uid: set.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Drops our own (agents.kruise.io/, e2b.agents.kruise.io/) keys except the ones creation preserves. */
export function stripInternalKeys(map: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).filter(
      ([key]) => !isInternalKey(key) || INTERNAL_KEYS_PRESERVED_ON_CREATION.includes(key),
    ),
  );
}

/**
 * The Sandbox to create for `set`: generateName `<set>-`; metadata labels and annotations inherited from the pod
 * template (the set's, or the referenced SandboxTemplate's) without internal keys (the template itself is copied as it
 * is); the labels sandbox-pool, sandbox-template,
 * sandbox-claimed=false and template-hash; a controller ownerReference to the set; the set's template (or templateRef),
 * volumeClaimTemplates, persistentContents, runtimes and pauseStrategy. No timers, no pause, no upgrade policy.
 */
export function buildPoolSandbox(set: SandboxSet, options: NewPoolSandboxOptions): Sandbox {
  const { spec } = set;
  const source: PodTemplateSpec | undefined = spec.templateRef
    ? options.referencedTemplate?.spec.template
    : spec.template;
  const sandbox: Sandbox = {
    apiVersion: API_VERSION,
    kind: 'Sandbox',
    metadata: {
      generateName: poolGenerateName(set.metadata.name ?? ''),
      namespace: set.metadata.namespace,
      labels: {
        ...stripInternalKeys(source?.metadata?.labels),
        [Labels.SandboxPool]: set.metadata.name ?? '',
        [Labels.SandboxTemplate]: poolTemplateName(set),
        [Labels.SandboxClaimed]: 'false',
        [Labels.TemplateHash]: options.revision,
      },
      ownerReferences: [sandboxSetOwnerReference(set)],
    },
    spec: {
      ...(spec.templateRef
        ? { templateRef: structuredClone(spec.templateRef) }
        : { template: structuredClone(spec.template) }),
      ...(spec.volumeClaimTemplates && { volumeClaimTemplates: structuredClone(spec.volumeClaimTemplates) }),
      ...(spec.persistentContents && { persistentContents: [...spec.persistentContents] }),
      ...(spec.runtimes && { runtimes: structuredClone(spec.runtimes) }),
      ...(spec.pauseStrategy && { pauseStrategy: structuredClone(spec.pauseStrategy) }),
    },
  };
  const annotations = stripInternalKeys(source?.metadata?.annotations);
  if (Object.keys(annotations).length > 0) sandbox.metadata.annotations = annotations;
  return sandbox;
}
