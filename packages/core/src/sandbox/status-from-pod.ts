/**
 * A Sandbox's status computed from its pod (the Sandbox→Pod controller's status step, for the Pending and Running
 * phases; the pause, resume, upgrade and recycle flows own the other phases and are left as they are).
 *
 * Rules:
 * - A pod controlled by another object (a stale pod with the sandbox's name but another owner UID) counts as absent.
 * - Pending: no pod → stays Pending (Ready=False, reason PodCreateFailed with the error when the create failed);
 *   pod Succeeded or Failed → that phase, message "Pod status phase is <phase>"; pod Running → Running.
 * - Running: no pod, or the pod is being deleted → Failed, "Pod Not Found"; pod Succeeded/Failed → that phase.
 * - Ready mirrors the pod's Ready condition (reason PodReady, with the pod's transition time). While not ready, a
 *   container waiting for a reason other than ContainerCreating or PodInitializing (an image pull error, a crash loop)
 *   gives reason StartContainerFailed with the waiting message; otherwise the pod's own reason, or PodNotReady.
 *   While RuntimeInitialized is present and not True, a ready pod still gives Ready=False (RuntimeInitializing).
 * - podInfo (podIP, nodeName, podUID), nodeName and sandboxIp follow the pod; observedGeneration and updateRevision
 *   (sandboxTemplateHash) are always refreshed.
 */
import {
  SandboxConditions,
  SandboxReasons,
  type Condition,
  type Sandbox,
  type SandboxStatus,
} from '@kruise-agents/api';
import { setCondition } from '../conditions';
import type { Pod, PodCondition } from '../pod';
import { gateReadyOnRuntimeInit } from '../runtime/runtime-initialized';
import { sandboxTemplateHash } from '../revision';
import { formatTime, type Instant } from '../time';

/** Waiting reasons that are part of a normal start, not a failure. */
export const STARTING_WAIT_REASONS: readonly string[] = ['ContainerCreating', 'PodInitializing'];
export const POD_NOT_READY_REASON = 'PodNotReady';

export interface StatusFromPodOptions {
  now: Instant;
  /** The error of a failed pod create, when the caller just tried one. */
  createError?: string;
}

/** True when `pod` belongs to `sandbox`: no controller, or a controller whose UID is the sandbox's. */
export function podBelongsTo(sandbox: Pick<Sandbox, 'metadata'>, pod: Pod): boolean {
  const controller = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return !controller || !sandbox.metadata.uid || controller.uid === sandbox.metadata.uid;
}

export function sandboxStatusFromPod(
  sandbox: Sandbox,
  pod: Pod | undefined,
  options: StatusFromPodOptions,
): SandboxStatus {
  const { now } = options;
  const current = pod && podBelongsTo(sandbox, pod) ? pod : undefined;
  const status: SandboxStatus = {
    ...structuredClone(sandbox.status ?? {}),
    observedGeneration: sandbox.metadata.generation,
    updateRevision: sandboxTemplateHash(sandbox),
  };
  const phase = status.phase ?? 'Pending';
  status.phase = phase;
  if (phase !== 'Pending' && phase !== 'Running') return status;

  const podPhase = current?.status?.phase;
  if (podPhase === 'Succeeded' || podPhase === 'Failed') {
    status.phase = podPhase;
    status.message = `Pod status phase is ${podPhase}`;
    status.conditions = setCondition(
      status.conditions,
      { type: SandboxConditions.Ready, status: 'False', reason: podPhase, message: status.message },
      now,
    );
    return syncPodInfo(status, current);
  }
  if (phase === 'Running' && (!current || current.metadata?.deletionTimestamp)) {
    status.phase = 'Failed';
    status.message = 'Pod Not Found';
    status.conditions = setCondition(
      status.conditions,
      { type: SandboxConditions.Ready, status: 'False', reason: 'PodNotFound', message: status.message },
      now,
    );
    return status;
  }
  if (!current) {
    if (options.createError) {
      status.message = options.createError;
      status.conditions = setCondition(
        status.conditions,
        {
          type: SandboxConditions.Ready,
          status: 'False',
          reason: SandboxReasons.PodCreateFailed,
          message: options.createError,
        },
        now,
      );
    }
    return status;
  }
  if (podPhase === 'Running') status.phase = 'Running';
  return syncPodInfo(syncReadyFromPod(status, current, now), current);
}

/**
 * `status` with Ready (and the message that goes with it) taken from the pod's readiness, held False while the
 * runtime initialisation is outstanding (gateReadyOnRuntimeInit). Also for a pass that changed RuntimeInitialized
 * after the status was first derived.
 */
export function syncReadyFromPod(status: SandboxStatus, pod: Pod, now: Instant): SandboxStatus {
  const next: SandboxStatus = {
    ...status,
    conditions: setCondition(status.conditions, gateReadyOnRuntimeInit(readyCondition(pod), status), now),
  };
  const ready = next.conditions!.find((c) => c.type === SandboxConditions.Ready);
  if (ready?.status === 'True') delete next.message;
  else if (ready?.reason === SandboxReasons.StartContainerFailed) next.message = ready.message;
  return next;
}

/** The sandbox's Ready condition as the pod reports it. */
export function readyCondition(pod: Pod): Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string } {
  const podReady = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const lastTransitionTime = transitionTime(podReady);
  if (podReady?.status === 'True') {
    return { type: SandboxConditions.Ready, status: 'True', reason: SandboxReasons.PodReady, lastTransitionTime };
  }
  const failing = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
    (c) => c.state?.waiting && !STARTING_WAIT_REASONS.includes(c.state.waiting.reason ?? ''),
  );
  if (failing?.state?.waiting) {
    const { reason, message } = failing.state.waiting;
    return {
      type: SandboxConditions.Ready,
      status: 'False',
      reason: SandboxReasons.StartContainerFailed,
      message: message ?? `container ${failing.name} is waiting: ${reason ?? 'unknown reason'}`,
      lastTransitionTime,
    };
  }
  return {
    type: SandboxConditions.Ready,
    status: 'False',
    reason: podReady?.reason || POD_NOT_READY_REASON,
    ...(podReady?.message && { message: podReady.message }),
    lastTransitionTime,
  };
}

function syncPodInfo(status: SandboxStatus, pod: Pod | undefined): SandboxStatus {
  if (!pod) return status;
  const podIP = pod.status?.podIP;
  const nodeName = pod.spec?.nodeName;
  const podUID = pod.metadata?.uid;
  status.podInfo = dropUndefined({ ...status.podInfo, podIP, nodeName, podUID });
  if (nodeName) status.nodeName = nodeName;
  if (podIP) status.sandboxIp = podIP;
  return status;
}

function transitionTime(condition: PodCondition | undefined): string | undefined {
  const value = condition?.lastTransitionTime;
  const ms = value === undefined ? NaN : typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isNaN(ms) ? undefined : formatTime(ms);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
