/**
 * What enqueues a SandboxSet: its own events, and events of sandboxes that are (or were) its members — a claim
 * detaching a member must bring a replacement at once. Status-only churn of members is ignored unless their derived
 * state, lock or revision changed.
 */
import { Annotations, Labels, getSandboxState, sandboxSetOwner, type Sandbox } from '@kruise-agents/api';
import type { WorkQueue } from '@kruise-agents/kube-runtime';
import type { OperatorCache } from '../../cache';

function poolKeys(sandbox: Sandbox): string[] {
  const namespace = sandbox.metadata.namespace;
  const owner = sandboxSetOwner(sandbox)?.name;
  const pool = sandbox.metadata.labels?.[Labels.SandboxPool];
  return [...new Set([owner, pool].filter((n): n is string => !!n))].map((n) => `${namespace}/${n}`);
}

function fingerprint(sandbox: Sandbox, now: number): string {
  const { metadata } = sandbox;
  return [
    getSandboxState(sandbox, now),
    sandboxSetOwner(sandbox)?.uid ?? '',
    metadata.deletionTimestamp ?? '',
    metadata.annotations?.[Annotations.Lock] ?? '',
    metadata.labels?.[Labels.TemplateHash] ?? '',
    metadata.labels?.[Labels.SandboxClaimed] ?? '',
  ].join('|');
}

export function watchSandboxSets(cache: OperatorCache, queue: WorkQueue<string>, now: () => number): Array<() => void> {
  const key = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
  return [
    cache.sets.on({
      add: (s) => queue.add(key(s)),
      update: (_old, s) => queue.add(key(s)),
      delete: (s) => queue.add(key(s)),
    }),
    cache.sandboxes.on({
      add: (s) => poolKeys(s).forEach((k) => queue.add(k)),
      update: (old, s) => {
        const t = now();
        if (fingerprint(old, t) === fingerprint(s, t)) return;
        for (const k of new Set([...poolKeys(old), ...poolKeys(s)])) queue.add(k);
      },
      delete: (s) => poolKeys(s).forEach((k) => queue.add(k)),
    }),
  ];
}
