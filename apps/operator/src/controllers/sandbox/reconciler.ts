/**
 * The Sandbox controller: one Pod per Sandbox, its status mirrored onto the Sandbox, timers, pause/resume, the
 * claim-time in-place image change, and the runtime's re-initialisation after its pod was recreated. Level-triggered:
 * each pass reads the cache, lets core decide, writes, and returns when to look again (the nearest shutdownTime or
 * pauseTime).
 *
 * Status writes are merge patches of the whole status carrying the resourceVersion they were computed from: the
 * SandboxClaim controller writes RuntimeInitialized too, and a write from a stale copy must not drop its condition. A
 * 409 needs no retry here: the newer copy's event brings the next pass.
 */
import { Finalizers, type Sandbox, type SandboxStatus, type SandboxTemplate } from '@kruise-agents/api';
import { ScaleExpectations, decideTimers, podBelongsTo, sandboxStatusFromPod } from '@kruise-agents/core';
import type { SandboxObject } from '@kruise-agents/core/client';
import {
  Resources,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type EventRecorder,
  type KubeClient,
  type Pod,
  type Reconcile,
  type ReconcileResult,
} from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import { splitKey, type OperatorCache } from '../../cache';
import { emit } from '../../events/recorders';
import type { RuntimeInitializer } from '../../runtime/initializer';
import { statusChanged, statusMergePatch } from '../../status-patch';
import { STALE_CACHE_REQUEUE_MS, VersionExpectations } from '../../version-expectations';
import { inplaceUpdate } from './inplace-update';
import {
  FROZEN_POD_ANNOTATION,
  PAUSE_POD_GRACE_SECONDS,
  decidePause,
  decideResume,
  resumeNeedsUpdate,
  type PauseStep,
} from './pause';
import { buildPod } from './pod';
import { initialiseIfDue } from './runtime-init';

export interface SandboxReconcilerDeps {
  kube: KubeClient;
  cache: OperatorCache;
  now: () => number;
  log: Logger;
  initializer: RuntimeInitializer;
  /** Only what a pass alone knows (a deleted sandbox's pod going); status transitions are told from the cache. */
  recorder: EventRecorder;
}

const earliest = (...delays: (number | undefined)[]): ReconcileResult => {
  const defined = delays.filter((d): d is number => d !== undefined);
  return defined.length ? { requeueAfterMs: Math.min(...defined) } : {};
};

export function createSandboxReconciler(deps: SandboxReconcilerDeps): Reconcile {
  const { cache, now } = deps;
  const sandboxes = deps.kube.resource(Resources.Sandbox);
  const pods = deps.kube.resource(Resources.Pod);
  const templates = deps.kube.resource(Resources.SandboxTemplate);
  const podCreations = new ScaleExpectations();
  const versions = new VersionExpectations(now);

  const writeStatus = async (key: string, sandbox: Sandbox, status: SandboxStatus) => {
    if (!statusChanged(sandbox.status, status)) return;
    const [namespace, name] = splitKey(key);
    const patch = {
      metadata: { resourceVersion: sandbox.metadata.resourceVersion },
      ...statusMergePatch(sandbox.status, status),
    };
    try {
      const written = await sandboxes.patch(namespace, name, 'merge', patch, { subresource: 'status' });
      versions.expect(key, written.metadata.resourceVersion);
    } catch (error) {
      if (isConflict(error)) return; // computed from a stale copy: the newer one's event brings the next pass
      if (!isNotFound(error)) throw error; // deleted meanwhile: nothing to report on
    }
  };

  const update = async (key: string, sandbox: Sandbox) => {
    const written = await sandboxes.update(sandbox as SandboxObject);
    versions.expect(key, written.metadata.resourceVersion);
    return written;
  };

  const createPod = async (key: string, sandbox: Sandbox): Promise<string | undefined> => {
    let template = sandbox.spec.template;
    if (!template && sandbox.spec.templateRef) {
      const ref = (await templates.find(sandbox.metadata.namespace, sandbox.spec.templateRef.name)) as
        SandboxTemplate | undefined;
      if (!ref) return `SandboxTemplate ${sandbox.spec.templateRef.name} not found`;
      template = ref.spec.template;
    }
    if (!template) return 'the sandbox has no template';
    const name = sandbox.metadata.name!;
    podCreations.expectCreation(key, name, now());
    try {
      await pods.create(buildPod(sandbox, template));
      return undefined;
    } catch (error) {
      if (isAlreadyExists(error)) return undefined; // created by an earlier pass; the cache will show it
      podCreations.observeCreation(key, name);
      return (error as Error).message;
    }
  };

  const terminate = async (key: string, sandbox: Sandbox, pod: Pod | undefined) => {
    const [namespace, name] = splitKey(key);
    if (pod && !pod.metadata.deletionTimestamp) {
      const deleted = await pods.deleteIfExists(namespace, name, { preconditions: { uid: pod.metadata.uid } });
      const message = `the sandbox is being deleted: deleting its pod ${name}`;
      if (deleted)
        emit(deps.recorder, Resources.Sandbox, sandbox, [{ type: 'Normal', reason: 'SandboxTerminating', message }]);
    } else if (!pod && sandbox.metadata.finalizers?.includes(Finalizers.Sandbox)) {
      const next = structuredClone(sandbox);
      next.metadata.finalizers = next.metadata.finalizers!.filter((f) => f !== Finalizers.Sandbox);
      await update(key, next).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  };

  const run = async (key: string, sandbox: Sandbox, pod: Pod | undefined, stalePod: boolean) => {
    const phase = sandbox.status?.phase ?? 'Pending';
    let createError: string | undefined;
    if (!pod && !stalePod && phase === 'Pending') {
      createError = await createPod(key, sandbox);
      if (!createError) return; // the pod's add event brings the next pass
    }
    let status = sandboxStatusFromPod(sandbox, pod, { now: now(), createError });
    let initError: Error | undefined;
    if (pod && status.phase === 'Running') {
      const step = inplaceUpdate(sandbox, pod, status, now());
      if (step.kind === 'start')
        await pods.patch(sandbox.metadata.namespace, sandbox.metadata.name!, 'json', step.patch);
      ({ status, error: initError } = await initialiseIfDue(deps.initializer, sandbox, pod, status, now()));
    }
    await writeStatus(key, sandbox, status);
    if (createError) throw new Error(`creating the pod of ${key}: ${createError}`);
    if (initError) throw new Error(`initialising the runtime of ${key}: ${initError.message}`, { cause: initError });
  };

  const pauseOrResume = async (key: string, sandbox: Sandbox, pod: Pod | undefined) => {
    const [namespace, name] = splitKey(key);
    const step: PauseStep = sandbox.spec.paused ? decidePause(sandbox, pod, now()) : decideResume(sandbox, pod, now());
    const { action } = step;
    switch (action.kind) {
      case 'add-finalizer': {
        const next = structuredClone(sandbox);
        next.metadata.finalizers = [...(next.metadata.finalizers ?? []), Finalizers.Sandbox];
        const written = await update(key, next);
        return writeStatus(key, written, step.status);
      }
      case 'delete-pod':
        await pods.deleteIfExists(namespace, name, {
          gracePeriodSeconds: PAUSE_POD_GRACE_SECONDS,
          preconditions: { uid: pod?.metadata.uid },
        });
        break;
      case 'create-pod': {
        const error = await createPod(key, sandbox);
        if (error) throw new Error(`recreating the pod of ${key}: ${error}`);
        break;
      }
      case 'annotate-pod':
        await pods.patch(namespace, name, 'merge', {
          metadata: { annotations: { [FROZEN_POD_ANNOTATION]: action.frozen ? 'true' : null } },
        });
        break;
      case 'finish-resume': {
        const latest = resumeNeedsUpdate(sandbox, action.sandbox) ? await update(key, action.sandbox) : sandbox;
        const status = sandboxStatusFromPod({ ...latest, status: step.status }, pod, { now: now() });
        return writeStatus(key, latest, status);
      }
      case 'none':
        break;
    }
    return writeStatus(key, sandbox, step.status);
  };

  return async (key) => {
    const [namespace, name] = splitKey(key);
    const sandbox = cache.sandboxes.get(namespace, name);
    if (!sandbox) {
      podCreations.forget(key);
      versions.forget(key);
      return;
    }
    if (!versions.satisfied(key, sandbox.metadata.resourceVersion)) return { requeueAfterMs: STALE_CACHE_REQUEUE_MS };
    const cachedPod = cache.pods.get(namespace, name);
    if (cachedPod) podCreations.observeCreation(key, name);
    const expected = podCreations.snapshot(key, now());
    if (!expected.satisfied) return { requeueAfterMs: Math.min(expected.requeueAfterMs ?? 1000, 1000) };
    const pod = cachedPod && podBelongsTo(sandbox, cachedPod) ? cachedPod : undefined;

    if (sandbox.metadata.deletionTimestamp) return terminate(key, sandbox, pod);
    if (!sandbox.spec.template && !sandbox.spec.templateRef) return;

    const timer = decideTimers(sandbox, now());
    if (timer.action === 'delete') {
      await sandboxes.deleteIfExists(namespace, name, { preconditions: { uid: sandbox.metadata.uid } });
      return;
    }
    if (timer.action === 'pause') {
      await update(key, timer.sandbox);
      return;
    }
    const phase = sandbox.status?.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed') return earliest(timer.requeueAfterMs);
    if (sandbox.spec.paused || phase === 'Paused' || phase === 'Resuming') {
      await pauseOrResume(key, sandbox, pod);
    } else {
      await run(key, sandbox, pod, cachedPod !== undefined && pod === undefined);
    }
    return earliest(timer.requeueAfterMs);
  };
}
