/**
 * The claimer's view of the cluster: a Sandbox informer feeding a PoolIndex (O(1) picks, counts by owner), a SandboxSet
 * informer (the pool's current revision and template for create-on-no-stock), and a change feed. Picks never list the
 * API: they read this cache, and the API server's resourceVersion check on the lock is the final word.
 *
 * The operator passes its own shared informers; the typed client builds its own.
 */
import type { Sandbox, SandboxSet } from '@kruise-agents/api';
import { Informer, Resources, type KubeClient, type KubeObject } from '@kruise-agents/kube-runtime';
import { PoolIndex } from '../allocation/pool-index';
import { ChangeFeed } from './change-feed';

export type SandboxObject = Sandbox & KubeObject;
export type SandboxSetObject = SandboxSet & KubeObject;

export interface SandboxCache {
  readonly sandboxes: Informer<SandboxObject>;
  readonly sets: Informer<SandboxSetObject>;
  readonly index: PoolIndex;
  readonly changes: ChangeFeed;
}

/** Keeps `index` in step with `informer` and wakes `changes` on every event. Returns a function that detaches it. */
export function attachPoolIndex(
  informer: Informer<SandboxObject>,
  index: PoolIndex,
  changes: ChangeFeed,
  now: () => number = Date.now,
): () => void {
  return informer.on({
    add: (sandbox) => {
      index.upsert(sandbox, now());
      changes.notify();
    },
    update: (_old, sandbox) => {
      index.upsert(sandbox, now());
      changes.notify();
    },
    delete: (sandbox) => {
      index.delete(sandbox);
      changes.notify();
    },
  });
}

/** Drops what no claimer reads (managedFields), so 50,000 cached sandboxes stay small. */
export function slimObject<T extends KubeObject>(object: T): T {
  if (!('managedFields' in object.metadata)) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata as KubeObject['metadata'] & {
    managedFields?: unknown;
  };
  return { ...object, metadata } as T;
}

export interface SandboxCacheOptions {
  kube: KubeClient;
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/** A cache with its own informers; start() runs them until the signal aborts. */
export function createSandboxCache(options: SandboxCacheOptions): SandboxCache & {
  start(signal: AbortSignal): Promise<void>;
} {
  const { kube, namespace, onError } = options;
  const sandboxes = new Informer<SandboxObject>({
    client: kube.resource(Resources.Sandbox),
    namespace,
    transform: slimObject,
    onError,
  });
  const sets = new Informer<SandboxSetObject>({
    client: kube.resource(Resources.SandboxSet),
    namespace,
    transform: slimObject,
    onError,
  });
  const index = new PoolIndex();
  const changes = new ChangeFeed();
  attachPoolIndex(sandboxes, index, changes, options.now);
  sets.on({ add: () => changes.notify(), update: () => changes.notify() });
  return {
    sandboxes,
    sets,
    index,
    changes,
    async start(signal) {
      sandboxes.start(signal);
      sets.start(signal);
      await Promise.all([sandboxes.waitForSync(signal), sets.waitForSync(signal)]);
    },
  };
}
