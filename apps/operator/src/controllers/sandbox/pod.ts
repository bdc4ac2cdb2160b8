/**
 * The Pod a Sandbox runs in: same name and namespace, a controller ownerReference to the Sandbox, the template's
 * labels, annotations and spec, plus created-by=sandbox and pod-template-hash (the sandbox's template hash).
 */
import { API_VERSION, Labels, type PodTemplateSpec, type Sandbox } from '@kruise-agents/api';
import { sandboxTemplateHash } from '@kruise-agents/core';
import type { Pod } from '@kruise-agents/kube-runtime';

export function buildPod(sandbox: Sandbox, template: PodTemplateSpec): Pod {
  const { metadata } = sandbox;
  const spec = structuredClone(template.spec) as Pod['spec'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: {
        ...template.metadata?.labels,
        [Labels.CreatedBy]: 'sandbox',
        [Labels.PodTemplateHash]: sandboxTemplateHash(sandbox),
      },
      annotations: { ...template.metadata?.annotations, [Labels.CreatedBy]: 'sandbox' },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: 'Sandbox',
          name: metadata.name ?? '',
          uid: metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}

export function podCondition(pod: Pod | undefined, type: string): string | undefined {
  return pod?.status?.conditions?.find((c) => c.type === type)?.status;
}
