/** What enqueues a Sandbox: its own events, and events of the Pod it owns (same name). */
import { canonicalJson } from '@kruise-agents/core';
import type { Pod, WorkQueue } from '@kruise-agents/kube-runtime';
import type { OperatorCache } from '../../cache';

const keyOf = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;

/** A pod change matters when its status, deletion, annotations or containers changed (not a resync). */
function podChanged(before: Pod, after: Pod): boolean {
  return (
    before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp ||
    canonicalJson(before.status) !== canonicalJson(after.status) ||
    canonicalJson(before.metadata.annotations) !== canonicalJson(after.metadata.annotations) ||
    canonicalJson(before.spec.containers) !== canonicalJson(after.spec.containers)
  );
}

function ownedBySandbox(pod: Pod): boolean {
  return pod.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'Sandbox') ?? false;
}

export function watchSandboxes(cache: OperatorCache, queue: WorkQueue<string>): Array<() => void> {
  return [
    cache.sandboxes.on({
      add: (s) => queue.add(keyOf(s)),
      update: (_old, s) => queue.add(keyOf(s)),
      delete: (s) => queue.add(keyOf(s)),
    }),
    cache.pods.on({
      add: (p) => ownedBySandbox(p) && queue.add(keyOf(p)),
      update: (old, p) => ownedBySandbox(p) && podChanged(old, p) && queue.add(keyOf(p)),
      delete: (p) => ownedBySandbox(p) && queue.add(keyOf(p)),
    }),
  ];
}
