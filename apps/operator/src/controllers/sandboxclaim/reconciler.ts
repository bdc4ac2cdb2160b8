/**
 * The SandboxClaim controller: "" → Claiming → Completed, once. decideClaim decides the status and how many to claim
 * in this pass; the shared claim executor claims them in doubling batches (each a pick from the cache and one
 * resourceVersion-conditional lock); claimedReplicas is written after every batch that made progress, so delivery is
 * gradual. A claim that got nothing waits for stock (its pool's next available sandbox wakes it; 2 s at the latest)
 * until claimTimeout. ttlAfterCompleted deletes the claim only. A reconcile whose cache has not yet caught up with its
 * own last status write waits for it, so a lagging cache never claims twice.
 *
 * When the claim initialises the runtime (claimRuntimeInit), each sandbox gets its own access token and is counted
 * only once its runtime took the /init and the claim's mounts (hand-over.ts); one that did not is a failure, told in
 * the claim's message.
 */
import { randomUUID } from 'node:crypto';
import { parseDuration, type SandboxClaimStatus } from '@kruise-agents/api';
import {
  claimRequestFromClaim,
  claimRuntimeInit,
  decideClaim,
  recordClaimPass,
  type ClaimRequest,
} from '@kruise-agents/core';
import type { ClaimOneResult, SandboxClaimer } from '@kruise-agents/core/client';
import {
  Resources,
  isNotFound,
  type EventRecorder,
  type KubeClient,
  type Reconcile,
} from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import { splitKey, type OperatorCache, type SandboxClaimObject } from '../../cache';
import { noSandboxesEvent, ttlDeleteEvent } from '../../events/claim-events';
import { emit } from '../../events/recorders';
import type { OperatorMetrics } from '../../metrics';
import type { RuntimeInitializer } from '../../runtime/initializer';
import { statusChanged, statusMergePatch } from '../../status-patch';
import { STALE_CACHE_REQUEUE_MS, VersionExpectations } from '../../version-expectations';
import { handOver } from './hand-over';

/** One unit of a claim pass: a claim, then the hand-over of what it claimed. */
type ClaimUnitResult = ClaimOneResult | { status: 'init-failed'; message: string };

const failureOf = (result: PromiseSettledResult<ClaimUnitResult>): string | undefined => {
  if (result.status === 'rejected') return String((result.reason as Error)?.message ?? result.reason);
  const value = result.value;
  return value.status === 'not-ready' || value.status === 'init-failed' ? value.message : undefined;
};

export interface SandboxClaimReconcilerDeps {
  kube: KubeClient;
  cache: OperatorCache;
  claimer: SandboxClaimer;
  initializer: RuntimeInitializer;
  now: () => number;
  log: Logger;
  metrics: OperatorMetrics;
  /** Claims that got nothing, by `<namespace>/<SandboxSet>`: woken when that pool has stock again. */
  waiting: Map<string, Set<string>>;
  /** Only what the pass alone knows (nothing claimed, TTL); status transitions are told from the cache. */
  recorder: EventRecorder;
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
  const sandboxes = deps.kube.resource(Resources.Sandbox);
  const versions = new VersionExpectations(now);
  /** The last hand-over failure per claim, told in its timeout message (lost on restart: it is only a message). */
  const failures = new Map<string, string>();

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
      failures.delete(key);
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
      lastFailure: failures.get(key),
    });
    if (decision.status.phase === 'Completed') failures.delete(key);
    if (decision.deleteClaim) {
      const deleted = await claims.deleteIfExists(namespace, name, { preconditions: { uid: claim.metadata.uid } });
      if (deleted) emit(deps.recorder, Resources.SandboxClaim, claim, [ttlDeleteEvent(claim.spec.ttlAfterCompleted)]);
      return;
    }
    let written = claim.status;
    let status = decision.status;
    let requeueAfterMs = decision.requeueAfterMs;
    if (decision.toClaim > 0 && set) {
      const runtimeInit = claimRuntimeInit(claim, set);
      const initRuntime = 'initRuntime' in runtimeInit && runtimeInit.initRuntime;
      const invalid = 'invalid' in runtimeInit ? `invalid claim: ${runtimeInit.invalid}` : undefined;
      const reserveFailedForMs = claim.spec.reserveFailedSandbox ? Infinity : 0;
      // A token per sandbox: one sandbox's token must not open another's runtime.
      const requestFor = (): ClaimRequest => {
        const request = claimRequestFromClaim(claim, { accessToken: randomUUID() });
        return initRuntime ? request : { ...request, initRuntime: undefined };
      };
      const options = {
        lockId: randomUUID(),
        createOnNoStock: claim.spec.createOnNoStock ?? true,
        waitReadyTimeoutMs: durationMs(claim.spec.waitReadyTimeout, 30_000),
        reserveFailedForMs,
        signal,
      };
      const target = { namespace, pool: claim.spec.templateName };
      const claimAndHandOver = async (): Promise<ClaimUnitResult> => {
        const request = requestFor();
        const result = await claimer.claimOne(target, request, options);
        if (result.status !== 'claimed' || !request.initRuntime) return result;
        const handed = await handOver(
          { sandboxes, initializer: deps.initializer, pods: cache.pods, now, log },
          result.sandbox,
          { reserveFailedForMs },
        );
        return handed.ok ? result : { status: 'init-failed', message: handed.message };
      };
      let succeeded = 0;
      let failure = invalid;
      // An invalid claim claims nothing: it says why until its timeout, as the reference's failed options do.
      for (const size of invalid ? [] : decision.batches) {
        const results = await Promise.allSettled(Array.from({ length: size }, claimAndHandOver));
        const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'claimed').length;
        for (const r of results) {
          const why = failureOf(r);
          if (why === undefined) continue;
          failure = why;
          log.warn({ claim: key, reason: why }, 'claiming a sandbox failed');
        }
        succeeded += ok;
        if (ok > 0) {
          // Gradual delivery: claimedReplicas counts up as sandboxes are claimed, not once per pass.
          const interim = recordClaimPass(claim, decision, { succeeded, now: now(), failure }).status;
          await writeStatus(key, claim, written, interim);
          written = interim;
        }
        if (ok < size || signal.aborted) break;
      }
      if (failure) failures.set(key, failure);
      if (succeeded === 0) emit(deps.recorder, Resources.SandboxClaim, claim, [noSandboxesEvent(failure)]);
      const pass = recordClaimPass(claim, decision, { succeeded, now: now(), failure });
      status = pass.status;
      requeueAfterMs = pass.requeueAfterMs;
      // A pass that failed retries after the 2 s interval; woken by new stock, it would burn through the pool.
      if (succeeded === 0 && !failure) wait(pool, key);
    }
    try {
      await writeStatus(key, claim, written, status);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  };
}
