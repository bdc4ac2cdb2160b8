/**
 * The operator's shared cache: one informer per kind (Sandbox, SandboxSet, SandboxClaim, and the Pods sandboxes own),
 * with indexes, plus the PoolIndex the claim executor picks from. Every controller reads here; only writes go to the
 * API server.
 */
import { Labels, sandboxSetOwner, type SandboxClaim } from '@kruise-agents/api';
import { PoolIndex } from '@kruise-agents/core';
import {
  ChangeFeed,
  attachPoolIndex,
  slimObject,
  type SandboxCache,
  type SandboxObject,
  type SandboxSetObject,
} from '@kruise-agents/core/client';
import { Informer, Resources, type KubeClient, type KubeObject, type Pod } from '@kruise-agents/kube-runtime';

export type SandboxClaimObject = SandboxClaim & KubeObject;

/** Index of sandboxes by their SandboxSet controller: `<namespace>/<set uid>`. */
export const BY_SET_OWNER = 'setOwner';

export interface OperatorCache extends SandboxCache {
  readonly claims: Informer<SandboxClaimObject>;
  readonly pods: Informer<Pod>;
  start(signal: AbortSignal): void;
  waitForSync(signal: AbortSignal): Promise<void>;
  readonly synced: boolean;
}

export function createOperatorCache(options: {
  kube: KubeClient;
  namespace?: string;
  now: () => number;
  onError: (kind: string, error: unknown) => void;
}): OperatorCache {
  const { kube, namespace } = options;
  const sandboxes = new Informer<SandboxObject>({
    client: kube.resource(Resources.Sandbox),
    namespace,
    transform: slimObject,
    indexers: {
      [BY_SET_OWNER]: (s) => {
        const owner = sandboxSetOwner(s);
        return owner ? [`${s.metadata.namespace}/${owner.uid}`] : [];
      },
    },
    onError: (e) => options.onError('Sandbox', e),
  });
  const sets = new Informer<SandboxSetObject>({
    client: kube.resource(Resources.SandboxSet),
    namespace,
    transform: slimObject,
    onError: (e) => options.onError('SandboxSet', e),
  });
  const claims = new Informer<SandboxClaimObject>({
    client: kube.resource(Resources.SandboxClaim),
    namespace,
    transform: slimObject,
    onError: (e) => options.onError('SandboxClaim', e),
  });
  const pods = new Informer<Pod>({
    client: kube.resource(Resources.Pod),
    namespace,
    // Only the pods sandboxes own: a cluster's other pods never enter the cache.
    labelSelector: `${Labels.CreatedBy}=sandbox`,
    transform: slimPod,
    onError: (e) => options.onError('Pod', e),
  });
  const index = new PoolIndex();
  const changes = new ChangeFeed();
  attachPoolIndex(sandboxes, index, changes, options.now);
  sets.on({ add: () => changes.notify(), update: () => changes.notify() });
  const all: Array<Pick<Informer<KubeObject>, 'start' | 'waitForSync' | 'hasSynced'>> = [sandboxes, sets, claims, pods];
  return {
    sandboxes,
    sets,
    claims,
    pods,
    index,
    changes,
    start(signal) {
      for (const informer of all) informer.start(signal);
    },
    async waitForSync(signal) {
      await Promise.all(all.map((i) => i.waitForSync(signal)));
    },
    get synced() {
      return all.every((i) => i.hasSynced);
    },
  };
}

/**
 * What the operator reads of a pod: its metadata, containers' names and images, node, and status. The rest of the
 * spec (volumes, env, probes…) is dropped from the cache, which halves its size at 50,000 sandboxes; the operator
 * only ever patches pods, so it never sends a slimmed copy back.
 */
export function slimPod(pod: Pod): Pod {
  const { managedFields: _dropped, ...metadata } = pod.metadata as Pod['metadata'] & { managedFields?: unknown };
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata,
    spec: {
      containers: pod.spec.containers.map((c) => ({ name: c.name, image: c.image })),
      ...(pod.spec.nodeName !== undefined && { nodeName: pod.spec.nodeName }),
    },
    ...(pod.status && { status: pod.status }),
  };
}

/** `namespace/name` ↔ its parts. */
export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
