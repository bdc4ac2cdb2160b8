/**
 * The SandboxSet controller: keeps spec.replicas unused sandboxes in the warm pool. planSandboxSet decides; this
 * executes — creates in batches that double from 16 (the first failing batch stops the rest), dead members deleted at
 * once, scale-down and rolling-update members locked with a resourceVersion-conditional update (buildDeleteLock; a 409
 * means a claim won) and then deleted — and writes the status, which the scale subresource reads.
 * Scale expectations keep a lagging cache from creating twice.
 */
import { randomUUID } from 'node:crypto';
import type { Sandbox, SandboxTemplate } from '@kruise-agents/api';
import {
  ScaleExpectations,
  buildDeleteLock,
  buildPoolSandbox,
  planSandboxSet,
  type SandboxSetPlan,
} from '@kruise-agents/core';
import type { SandboxObject, SandboxSetObject } from '@kruise-agents/core/client';
import {
  Resources,
  isConflict,
  isNotFound,
  type EventRecorder,
  type KubeClient,
  type Reconcile,
} from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import { BY_SET_OWNER, splitKey, type OperatorCache } from '../../cache';
import { emit } from '../../events/recorders';
import { sandboxSetEvents } from '../../events/sandboxset-events';
import { statusChanged, statusMergePatch } from '../../status-patch';

export const INITIAL_CREATE_BATCH = 16;
/** Batches stop doubling here, so a pool of 50,000 is not 25,000 requests at once. */
export const MAX_CREATE_BATCH = 256;
/** Creations per pass: a huge scale-up is done over several passes, each writing the status it reached. */
export const MAX_CREATES_PER_PASS = 1024;

export interface SandboxSetReconcilerDeps {
  kube: KubeClient;
  cache: OperatorCache;
  now: () => number;
  log: Logger;
  recorder: EventRecorder;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A create batch failed: `created` of this pass had succeeded before. */
class CreateError extends Error {
  override readonly name = 'CreateError';
  constructor(
    message: string,
    readonly created: number,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export function createSandboxSetReconciler(deps: SandboxSetReconcilerDeps): Reconcile {
  const { cache, now, log } = deps;
  const sandboxes = deps.kube.resource(Resources.Sandbox);
  const sets = deps.kube.resource(Resources.SandboxSet);
  const templates = deps.kube.resource(Resources.SandboxTemplate);
  const expectations = new ScaleExpectations();

  /** Names in flight that the cache already shows (created) or no longer shows alive (deleted). */
  const observe = (key: string, namespace: string) => {
    const pending = expectations.snapshot(key, now());
    for (const name of pending.pendingCreations) {
      if (cache.sandboxes.get(namespace, name)) expectations.observeCreation(key, name);
    }
    for (const name of pending.pendingDeletions) {
      const cached = cache.sandboxes.get(namespace, name);
      if (!cached || cached.metadata.deletionTimestamp) expectations.observeDeletion(key, name);
    }
  };

  /** Resolves with how many were created; throws (with `created` on the error) at the first failing batch. */
  const create = async (key: string, set: SandboxSetObject, plan: SandboxSetPlan, template?: SandboxTemplate) => {
    const sandbox = buildPoolSandbox(set, {
      revision: plan.status.updateRevision ?? '',
      referencedTemplate: template,
    }) as SandboxObject;
    let left = plan.create;
    let created = 0;
    for (let batch = INITIAL_CREATE_BATCH; left > 0; batch = Math.min(batch * 2, MAX_CREATE_BATCH)) {
      const size = Math.min(batch, left);
      left -= size;
      const results = await Promise.allSettled(
        Array.from({ length: size }, async () => {
          const written = await sandboxes.create(sandbox);
          expectations.expectCreation(key, written.metadata.name!, now());
        }),
      );
      created += results.filter((r) => r.status === 'fulfilled').length;
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        throw new CreateError(`creating sandboxes for ${key}: ${messageOf(failed.reason)}`, created, failed.reason);
      }
    }
    return created;
  };

  /** Lock (so no claim takes it meanwhile), then delete. Skipped (false) when a claim locked it first. */
  const lockAndDelete = async (key: string, sandbox: Sandbox, lockId: string): Promise<boolean> => {
    const { namespace, name, uid } = sandbox.metadata;
    expectations.expectDeletion(key, name!, now());
    try {
      await sandboxes.update(buildDeleteLock(sandbox, { lockId }) as SandboxObject);
      return await sandboxes.deleteIfExists(namespace, name!, { preconditions: { uid } });
    } catch (error) {
      expectations.observeDeletion(key, name!);
      if (!isConflict(error) && !isNotFound(error)) throw error;
      return false;
    }
  };

  return async (key) => {
    const [namespace, name] = splitKey(key);
    const set = cache.sets.get(namespace, name);
    if (!set) {
      expectations.forget(key);
      return;
    }
    observe(key, namespace);
    const members = cache.sandboxes.byIndex(BY_SET_OWNER, `${namespace}/${set.metadata.uid}`);
    expectations.observeListing(key, members);
    const template = set.spec.templateRef
      ? ((await templates.find(namespace, set.spec.templateRef.name)) as SandboxTemplate | undefined)
      : undefined;
    if (set.spec.templateRef && !template) {
      throw new Error(`SandboxSet ${key}: SandboxTemplate ${set.spec.templateRef.name} not found`);
    }
    const plan = planSandboxSet(set, members, {
      now: now(),
      expectations: expectations.snapshot(key, now()),
      referencedTemplate: template,
    });

    const deadDeleted = await Promise.all(
      plan.deleteDead.map((s) =>
        sandboxes.deleteIfExists(namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } }),
      ),
    );
    const more = plan.create > MAX_CREATES_PER_PASS;
    plan.create = Math.min(plan.create, MAX_CREATES_PER_PASS);
    const lockId = randomUUID();
    const [scaledDown, rolled] = await Promise.all(
      [plan.scaleDown, plan.rollingUpdate].map((group) => Promise.all(group.map((s) => lockAndDelete(key, s, lockId)))),
    );
    let createError: unknown;
    let created = 0;
    if (plan.create > 0) {
      created = await create(key, set, plan, template).catch((error: unknown) => {
        createError = error;
        return error instanceof CreateError ? error.created : 0;
      });
    }
    // Fire-and-forget: recorded in the background, never failing or slowing this pass.
    emit(
      deps.recorder,
      Resources.SandboxSet,
      set,
      sandboxSetEvents({
        created,
        createError: createError
          ? messageOf(createError instanceof CreateError ? createError.cause : createError)
          : undefined,
        scaledDown: scaledDown!.filter(Boolean).length,
        rolled: rolled!.filter(Boolean).length,
        deadDeleted: deadDeleted.filter(Boolean).length,
        replicas: set.spec.replicas,
      }),
    );
    if (plan.create > 0) {
      // Creations in flight count as replicas at once, as the planner counts them next time.
      plan.status.replicas = (plan.status.replicas ?? 0) + plan.create;
    }
    if (statusChanged(set.status, plan.status)) {
      await sets
        .patch(namespace, name, 'merge', statusMergePatch(set.status, plan.status), { subresource: 'status' })
        .catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
    }
    if (createError) throw createError;
    if (plan.create || plan.scaleDown.length || plan.rollingUpdate.length || plan.deleteDead.length) {
      log.debug(
        {
          set: key,
          create: plan.create,
          scaleDown: plan.scaleDown.length,
          rollingUpdate: plan.rollingUpdate.length,
          dead: plan.deleteDead.length,
        },
        'pool changed',
      );
    }
    if (more) return { requeueAfterMs: 0 };
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  };
}
