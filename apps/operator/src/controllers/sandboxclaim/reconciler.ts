/**
 * The SandboxClaim controller: "" → Claiming → Completed, once. decideClaim decides the status and how many to claim
 * in this pass; the shared claim executor claims them in doubling batches (each a pick from the cache and one
 * resourceVersion-conditional lock); claimedReplicas is written after every batch that made progress, so delivery is
 * gradual. A claim that got nothing waits for stock (its pool's next available sandbox wakes it; 2 s at the latest)
 * until claimTimeout. ttlAfterCompleted deletes the claim only. A reconcile whose cache has not yet caught up with its
 * own last status write waits for it, so a lagging cache never claims twice.
 */
import { randomUUID } from 'node:crypto';
import { parseDuration, type SandboxClaimStatus } from '@kruise-agents/api';
import { claimRequestFromClaim, decideClaim, recordClaimPass } from '@kruise-agents/core';
import type { SandboxClaimer } from '@kruise-agents/core/client';
import { Resources, isNotFound, type KubeClient, type Reconcile } from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import { splitKey, type OperatorCache, type SandboxClaimObject } from '../../cache';
import type { OperatorMetrics } from '../../metrics';
import { statusChanged, statusMergePatch } from '../../status-patch';
import { STALE_CACHE_REQUEUE_MS, VersionExpectations } from '../../version-expectations';

export interface SandboxClaimReconcilerDeps {
  kube: KubeClient;
  cache: OperatorCache;
  claimer: SandboxClaimer;
  now: () => number;
  log: Logger;
  metrics: OperatorMetrics;
  /** Claims that got nothing, by `<namespace>/<SandboxSet>`: woken when that pool has stock again. */
  waiting: Map<string, Set<string>>;
}

function durationMs(text: string | undefined, fallbackMs: number): number {
  try {
    return text ? parseDuration(text) : fallbackMs;
  } catch {
    return fallbackMs;
  }
}

export function createSandboxClaimReconciler(deps: SandboxClaimReconcilerDeps): Reconcile {
  const { cache, claimer, now, log, metrics } = deps;
  const claims = deps.kube.resource(Resources.SandboxClaim);
  const versions = new VersionExpectations(now);

  const writeStatus = async (
    key: string,
    claim: SandboxClaimObject,
    before: SandboxClaimStatus | undefined,
    after: SandboxClaimStatus,
  ) => {
    if (!statusChanged(before, after)) return;
    const [namespace, name] = splitKey(key);
    const written = await claims.patch(namespace, name, 'merge', statusMergePatch(before, after), {
      subresource: 'status',
    });
    versions.expect(key, written.metadata.resourceVersion);
    if (after.phase === 'Completed' && claim.status?.phase !== 'Completed') {
      const created = Date.parse(claim.metadata.creationTimestamp ?? '');
      const reason = after.conditions?.find((c) => c.type === 'Completed')?.reason ?? 'Completed';
      if (!Number.isNaN(created))
        metrics.claimSeconds.observe({ outcome: reason }, Math.max(0, now() - created) / 1000);
    }
  };

  const wait = (pool: string, key: string) => {
    let set = deps.waiting.get(pool);
    if (!set) deps.waiting.set(pool, (set = new Set()));
    set.add(key);
  };

  return async (key, signal) => {
    const [namespace, name] = splitKey(key);
    const claim = cache.claims.get(namespace, name);
    if (!claim) {
      versions.forget(key);
      return;
    }
    if (!versions.satisfied(key, claim.metadata.resourceVersion)) return { requeueAfterMs: STALE_CACHE_REQUEUE_MS };
    if (claim.metadata.deletionTimestamp) return;
    const pool = `${namespace}/${claim.spec.templateName}`;
    const set = cache.sets.get(namespace, claim.spec.templateName);
    const decision = decideClaim(claim, {
      now: now(),
      claimedCount: cache.index.countClaimedBy(namespace, claim.metadata.uid ?? '', now()),
      setExists: set !== undefined,
    });
    if (decision.deleteClaim) {
      await claims.deleteIfExists(namespace, name, { preconditions: { uid: claim.metadata.uid } });
      return;
    }
    let written = claim.status;
    let status = decision.status;
    let requeueAfterMs = decision.requeueAfterMs;
    if (decision.toClaim > 0) {
      const request = claimRequestFromClaim(claim, { accessToken: randomUUID() });
      const options = {
        lockId: randomUUID(),
        createOnNoStock: claim.spec.createOnNoStock ?? true,
        waitReadyTimeoutMs: durationMs(claim.spec.waitReadyTimeout, 30_000),
        reserveFailedForMs: claim.spec.reserveFailedSandbox ? Infinity : 0,
        signal,
      };
      const target = { namespace, pool: claim.spec.templateName };
      let succeeded = 0;
      for (const size of decision.batches) {
        const results = await Promise.allSettled(
          Array.from({ length: size }, () => claimer.claimOne(target, request, options)),
        );
        const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'claimed').length;
        for (const r of results) {
          if (r.status === 'rejected') log.warn({ claim: key, err: r.reason }, 'claiming a sandbox failed');
          else if (r.value.status === 'not-ready')
            log.warn({ claim: key, reason: r.value.message }, 'claimed sandbox not ready');
        }
        succeeded += ok;
        if (ok > 0) {
          // Gradual delivery: claimedReplicas counts up as sandboxes are claimed, not once per pass.
          const interim = recordClaimPass(claim, decision, { succeeded, now: now() }).status;
          await writeStatus(key, claim, written, interim);
          written = interim;
        }
        if (ok < size || signal.aborted) break;
      }
      const pass = recordClaimPass(claim, decision, { succeeded, now: now() });
      status = pass.status;
      requeueAfterMs = pass.requeueAfterMs;
      if (succeeded === 0) wait(pool, key);
    }
    try {
      await writeStatus(key, claim, written, status);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  };
}
