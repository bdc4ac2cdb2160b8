/**
 * The claim executor shared by the operator's SandboxClaim controller, the gateway and the typed client.
 *
 * One claim of one sandbox: pick an available sandbox from the PoolIndex (cache only, O(1), current revision first,
 * random start), build its lock (buildClaimLock) and write it as ONE update carrying the cached resourceVersion. The
 * API server accepts one writer per resourceVersion, so across processes a sandbox is handed to one claimer; a 409
 * means another claimer won, the copy is held back until the cache catches up, and the next candidate is tried. With no
 * stock, create-on-no-stock creates a sandbox already claimed (buildClaimedNewSandbox); otherwise the caller waits for
 * the cache to change. Sandboxes that were created or changed in place are waited on until ready; one that does not
 * get ready is deleted (or reserved for debugging) and the claim counts it as a failure.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxTemplate } from '@kruise-agents/api';
import { Resources, isConflict, isNotFound, type KubeClient, type ResourceClient } from '@kruise-agents/kube-runtime';
import {
  buildClaimLock,
  buildClaimedNewSandbox,
  claimFailureAction,
  type ClaimRequest,
} from '../allocation/claim-lock';
import { buildPoolSandbox, poolTemplateName } from '../pool/new-sandbox';
import { sandboxSetRevision } from '../revision';
import { ClaimError } from './errors';
import { sandboxReadiness } from './readiness';
import type { SandboxCache, SandboxObject, SandboxSetObject } from './sandbox-cache';

export const DEFAULT_WAIT_READY_TIMEOUT_MS = 30_000;
/** A pick that keeps losing races gives up after this many tries; the caller retries later. */
const MAX_ATTEMPTS_PER_CLAIM = 64;

export interface ClaimTarget {
  namespace: string;
  /** The SandboxSet to claim from (a SandboxClaim's spec.templateName). */
  pool: string;
}

export interface ClaimOneOptions {
  /** Written as the lock annotation; one per claim pass. */
  lockId?: string;
  /** With no stock, create a sandbox already claimed (default false). */
  createOnNoStock?: boolean;
  /** How long a created or in-place-updated sandbox may take to get ready (default 30 s). */
  waitReadyTimeoutMs?: number;
  /** A sandbox that failed after its lock: 0 deletes it (default), Infinity keeps it, else keeps it this long. */
  reserveFailedForMs?: number;
  signal?: AbortSignal;
}

export type ClaimOneResult =
  | { status: 'claimed'; sandbox: SandboxObject; created: boolean }
  /** Nothing to pick and nothing created: wait for the cache to change (ClaimerCache.changes). */
  | { status: 'no-stock' }
  | { status: 'pool-not-found' }
  /** Locked but never ready; it was deleted or reserved. */
  | { status: 'not-ready'; message: string };

export type ClaimAttemptOutcome = 'claimed' | 'created' | 'conflict' | 'no-stock' | 'not-ready' | 'error';

export interface SandboxClaimerOptions {
  kube: KubeClient;
  cache: SandboxCache;
  now?: () => number;
  random?: () => number;
  /** Called once per lock or create written, with how long the write took (metrics). */
  onAttempt?: (outcome: ClaimAttemptOutcome, durationMs: number) => void;
}

export interface ClaimManyOptions extends ClaimOneOptions {
  count: number;
  timeoutMs: number;
  /** How many claims run at once (default min(count, 50)). */
  concurrency?: number;
  /** Called as each sandbox is claimed (gradual delivery). */
  onClaimed?: (sandbox: SandboxObject) => void;
}

export interface SandboxClaimer {
  claimOne(target: ClaimTarget, request: ClaimRequest, options?: ClaimOneOptions): Promise<ClaimOneResult>;
  /** Claims `count` sandboxes, waiting for stock until the timeout; throws ClaimError with what it got otherwise. */
  claim(target: ClaimTarget, request: ClaimRequest, options: ClaimManyOptions): Promise<SandboxObject[]>;
  /** Resolves with the sandbox once ready (sandboxReadiness); throws ClaimError NotReady otherwise. */
  waitReady(namespace: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<SandboxObject>;
}

export function createSandboxClaimer(options: SandboxClaimerOptions): SandboxClaimer {
  const { cache } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sandboxes: ResourceClient<SandboxObject> = options.kube.resource(Resources.Sandbox);
  const templates = options.kube.resource(Resources.SandboxTemplate);
  const report = (outcome: ClaimAttemptOutcome, started: number) =>
    options.onAttempt?.(outcome, performance.now() - started);

  const referencedTemplate = async (set: SandboxSetObject): Promise<SandboxTemplate | undefined> => {
    const ref = set.spec.templateRef?.name;
    return ref ? ((await templates.find(set.metadata.namespace, ref)) as SandboxTemplate | undefined) : undefined;
  };

  const createClaimed = async (
    set: SandboxSetObject,
    request: ClaimRequest,
    lockId: string,
  ): Promise<SandboxObject> => {
    const template = await referencedTemplate(set);
    const revision = set.status?.updateRevision ?? sandboxSetRevision(set, template);
    const pooled = buildPoolSandbox(set, { revision, referencedTemplate: template });
    const started = performance.now();
    try {
      const created = await sandboxes.create(
        buildClaimedNewSandbox(pooled, request, { now: now(), lockId }) as SandboxObject,
      );
      report('created', started);
      return created;
    } catch (error) {
      report('error', started);
      throw error;
    }
  };

  const waitReady = async (namespace: string, name: string, timeoutMs: number, signal?: AbortSignal) => {
    const deadline = now() + timeoutMs;
    for (;;) {
      const current = cache.sandboxes.get(namespace, name);
      const readiness = sandboxReadiness(current, now());
      if (readiness.ready) return current!;
      if (readiness.failed) throw new ClaimError('NotReady', `sandbox ${namespace}/${name}: ${readiness.failed}`);
      const left = deadline - now();
      if (left <= 0 || signal?.aborted) {
        throw new ClaimError(
          'NotReady',
          `sandbox ${namespace}/${name} not ready after ${timeoutMs} ms: waiting for ${readiness.waitingFor}`,
        );
      }
      await cache.changes.next(left, signal);
    }
  };

  /** A locked sandbox that will never be handed over: delete it, or keep it labelled for debugging. */
  const discard = async (sandbox: SandboxObject, reserveForMs: number) => {
    const latest = cache.sandboxes.get(sandbox.metadata.namespace, sandbox.metadata.name!) ?? sandbox;
    const action = claimFailureAction(latest, { now: now(), reserveForMs });
    if (action.action === 'reserve') {
      try {
        await sandboxes.update(action.sandbox as SandboxObject);
        return;
      } catch {
        // Reserving failed (a newer copy, or gone): delete instead, as the reference does.
      }
    }
    await sandboxes.deleteIfExists(sandbox.metadata.namespace, sandbox.metadata.name!);
  };

  const afterLock = async (
    sandbox: SandboxObject,
    created: boolean,
    request: ClaimRequest,
    opts: ClaimOneOptions,
  ): Promise<ClaimOneResult> => {
    if (!created && !request.image && !request.resources) return { status: 'claimed', sandbox, created };
    try {
      const ready = await waitReady(
        sandbox.metadata.namespace!,
        sandbox.metadata.name!,
        opts.waitReadyTimeoutMs ?? DEFAULT_WAIT_READY_TIMEOUT_MS,
        opts.signal,
      );
      return { status: 'claimed', sandbox: ready, created };
    } catch (error) {
      // Shutting down is no failure of the sandbox: it stays claimed (owner annotation), and whoever counts the claim's
      // sandboxes after a restart finds it.
      if (opts.signal?.aborted) throw new ClaimError('Aborted', `claim of ${sandbox.metadata.name} interrupted`);
      await discard(sandbox, opts.reserveFailedForMs ?? 0);
      return { status: 'not-ready', message: (error as Error).message };
    }
  };

  const claimOne: SandboxClaimer['claimOne'] = async (target, request, opts = {}) => {
    const set = cache.sets.get(target.namespace, target.pool);
    if (!set) return { status: 'pool-not-found' };
    const lockId = opts.lockId ?? randomUUID();
    // The pool index key is the sandbox-template label: templateRef.name, else the set's name (quirk §11.4 fixed).
    const template = poolTemplateName(set);
    for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_CLAIM; attempt++) {
      const picked = cache.index.pick(target.namespace, template, {
        now: now(),
        random,
        preferRevision: set.status?.updateRevision,
      });
      if (!picked) break;
      const started = performance.now();
      let locked: SandboxObject;
      try {
        locked = buildClaimLock(picked, request, { now: now(), lockId }) as SandboxObject;
      } catch (error) {
        cache.index.release(picked, 'abandoned', now());
        throw error;
      }
      try {
        const written = await sandboxes.update(locked);
        cache.index.release(picked, 'claimed', now());
        report('claimed', started);
        return afterLock(written, false, request, opts);
      } catch (error) {
        if (isConflict(error) || isNotFound(error)) {
          // Another claimer (or a scale-down) wrote first: hold this copy back and try the next candidate.
          cache.index.release(picked, 'conflict', now());
          report('conflict', started);
          continue;
        }
        cache.index.release(picked, 'abandoned', now());
        report('error', started);
        throw error;
      }
    }
    if (opts.createOnNoStock) {
      const created = await createClaimed(set, request, lockId);
      return afterLock(created, true, request, opts);
    }
    options.onAttempt?.('no-stock', 0);
    return { status: 'no-stock' };
  };

  const claim: SandboxClaimer['claim'] = async (target, request, opts) => {
    const deadline = now() + opts.timeoutMs;
    const lockId = opts.lockId ?? randomUUID();
    const claimed: SandboxObject[] = [];
    let wanted = opts.count;
    let poolMissing = false;
    const worker = async () => {
      while (wanted > 0 && !opts.signal?.aborted && now() < deadline && !poolMissing) {
        wanted--;
        let result: ClaimOneResult;
        try {
          result = await claimOne(target, request, { ...opts, lockId });
        } catch (error) {
          wanted++;
          throw error;
        }
        if (result.status === 'claimed') {
          claimed.push(result.sandbox);
          opts.onClaimed?.(result.sandbox);
          continue;
        }
        wanted++;
        if (result.status === 'pool-not-found') poolMissing = true;
        else await cache.changes.next(deadline - now(), opts.signal);
      }
    };
    const workers = Math.max(1, Math.min(opts.concurrency ?? 50, opts.count));
    const results = await Promise.allSettled(Array.from({ length: workers }, worker));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const what = `${target.namespace}/${target.pool}`;
    if (failure && claimed.length < opts.count) {
      throw new ClaimError('Failed', `claim from ${what} failed: ${String(failure.reason)}`, claimed, {
        cause: failure.reason,
      });
    }
    if (claimed.length >= opts.count) return claimed;
    if (poolMissing) throw new ClaimError('PoolNotFound', `SandboxSet ${what} not found`, claimed);
    if (opts.signal?.aborted) throw new ClaimError('Aborted', `claim from ${what} aborted`, claimed);
    throw new ClaimError(
      'Timeout',
      `claimed ${claimed.length}/${opts.count} from ${what} in ${opts.timeoutMs} ms: the pool has no more stock`,
      claimed,
    );
  };

  return { claimOne, claim, waitReady };
}
