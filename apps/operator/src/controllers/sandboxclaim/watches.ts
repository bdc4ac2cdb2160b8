/**
 * What enqueues a SandboxClaim: its own events, and — for claims waiting on an empty pool — a sandbox of that pool
 * becoming claimable. Nothing else: a claim never manages its sandboxes after claiming them.
 */
import { Labels, type Sandbox } from '@kruise-agents/api';
import { isClaimable } from '@kruise-agents/core';
import type { WorkQueue } from '@kruise-agents/kube-runtime';
import type { OperatorCache } from '../../cache';

export function watchSandboxClaims(
  cache: OperatorCache,
  queue: WorkQueue<string>,
  waiting: Map<string, Set<string>>,
  now: () => number,
): Array<() => void> {
  const key = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
  const wake = (sandbox: Sandbox) => {
    if (waiting.size === 0) return;
    const pool = `${sandbox.metadata.namespace}/${sandbox.metadata.labels?.[Labels.SandboxPool] ?? ''}`;
    const claims = waiting.get(pool);
    if (!claims || !isClaimable(sandbox, now())) return;
    waiting.delete(pool);
    for (const claim of claims) queue.add(claim);
  };
  return [
    cache.claims.on({
      add: (c) => queue.add(key(c)),
      update: (_old, c) => queue.add(key(c)),
      delete: (c) => queue.add(key(c)),
    }),
    cache.sandboxes.on({ add: wake, update: (_old, s) => wake(s) }),
    cache.sets.on({
      // A SandboxSet that appears may complete (or feed) a claim that was waiting for it.
      add: (s) => {
        const claims = waiting.get(key(s));
        waiting.delete(key(s));
        for (const claim of claims ?? []) queue.add(claim);
      },
    }),
  ];
}
