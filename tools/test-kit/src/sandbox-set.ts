import { API_VERSION, DEFAULT_UPDATE_MAX_UNAVAILABLE, type Container, type SandboxSet } from '@kruise-agents/api';
import type { KubeObject } from '@kruise-agents/kube-runtime';

export interface SandboxSetInput {
  name: string;
  /** `default` unless said otherwise. */
  namespace?: string;
  replicas: number;
  /** The pool's one container, `main`: its image (`demo:1` unless said otherwise), resources, probes… */
  container?: Partial<Container>;
  /** Labels of the template, so of every sandbox of the pool. */
  labels?: Record<string, string>;
  /** The rest of the spec (scaleStrategy, another updateStrategy…), over the defaults. */
  spec?: Partial<SandboxSet['spec']>;
}

/** A SandboxSet manifest: a warm pool of `replicas` sandboxes running one container. */
export function sandboxSetManifest(input: SandboxSetInput): SandboxSet & KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { name: input.name, namespace: input.namespace ?? 'default' },
    spec: {
      replicas: input.replicas,
      updateStrategy: { maxUnavailable: DEFAULT_UPDATE_MAX_UNAVAILABLE },
      template: {
        ...(input.labels && { metadata: { labels: input.labels } }),
        spec: { containers: [{ name: 'main', ...input.container, image: input.container?.image ?? 'demo:1' }] },
      },
      ...input.spec,
    },
  };
}
