/**
 * Which runtime process holds a sandbox's set-up, and whether the one running now is another.
 *
 * The runtime keeps its access token and env vars in memory only. A runtime that restarts for any reason the operator
 * did not cause — its container crashed and the node restarted it (restartPolicy), the node itself restarted and
 * started its pods' containers again — comes back without them: anyone may call it, and the claim's env vars are gone.
 * The pod is the same, so neither the resume nor the image-change re-init sees it.
 *
 * Rules:
 * - The runtime runs in the init container named `runtime` (the reference's agent-runtime sidecar) when the pod has
 *   one, else in the pod's first container (where the local node runs the agent-runtime).
 * - A running process is named by its container's containerID: the kubelet (and the local node) gives every start of
 *   a container a new one, and keeps it for a process it adopts after its own restart. restartCount and startedAt
 *   would do less well: startedAt has second resolution, and a count is only as monotonic as the node's bookkeeping.
 * - A successful init records the process it reached in the RuntimeInitialized condition's message (read from the pod
 *   before the /init: a restart racing the /init then shows as a mismatch and costs one more /init, never a missed
 *   one). The message is written in the same status write as the True it qualifies, so the two cannot disagree, and it
 *   tells a reader which process holds the set-up; an annotation would be a second, separate write.
 * - A re-init is due when the condition is True, the sandbox records a set-up to replay, the runtime runs, and the
 *   condition does not name its process — also when it names none (written before this rule, or when the pod was not
 *   known): an /init replayed to a runtime that still holds the token is harmless (it proves the token), a missed one
 *   is not.
 * - A claimer that initialises the runtime itself (the gateway's create: one claim write, then its own /init, and no
 *   condition, as a second write would cost every create) leaves no condition to compare with. The status keeps the
 *   baseline instead: status.podInfo.runtimeContainerID, the process the Sandbox controller last saw running, written
 *   in the same status write as the Ready it qualifies, so every available pool member names its process. The claim
 *   lock is conditional on the resourceVersion, so the process it names is the one the claim was made on; from then
 *   on it only moves in the write that also notices the move (noticeRuntimeRestart). A re-init is due when the sandbox
 *   records a set-up, has no condition, and the runtime is another process than the status last saw. A restart the
 *   status has not seen yet when the claim is written costs one more /init (with the same token: accepted), never a
 *   missed one. With no process seen yet (a sandbox created already claimed, before its pod ran; one written before
 *   this rule), the one running now is taken as the one handed over.
 * - Not while an in-place image change runs or has just finished (the status being replaced still says so): its own
 *   re-init follows it — the operator's when the condition exists, the claimer's /init after waiting for Ready
 *   otherwise.
 * - Not for a sandbox kept as a failed claim (reserved-failed): it is left as it failed, for debugging.
 */
import {
  Labels,
  SandboxConditions,
  SandboxReasons,
  findCondition,
  type Sandbox,
  type SandboxStatus,
} from '@kruise-agents/api';
import type { ContainerStatus, Pod } from '../pod';
import type { Instant } from '../time';
import { syncReadyFromPod } from '../sandbox/status-from-pod';
import { RUNTIME_INIT_CONTAINER, hasRecordedRuntimeInit } from './init-plan';
import { runtimeInitializedCondition, withRuntimeInitialized, type RuntimeInitOutcome } from './runtime-initialized';

const INITIALISED_IN = 'initialised in container ';

/** The status of the container the runtime runs in (see the rules above). */
export function runtimeContainerStatus(pod: Pod): ContainerStatus | undefined {
  const sidecar = pod.status?.initContainerStatuses?.find((c) => c.name === RUNTIME_INIT_CONTAINER);
  if (sidecar) return sidecar;
  const first = pod.spec?.containers?.[0]?.name;
  const statuses = pod.status?.containerStatuses;
  return first === undefined ? statuses?.[0] : statuses?.find((c) => c.name === first);
}

/** The runtime process running now, as its containerID; undefined while none runs or the node reports no ID. */
export function runningRuntimeProcess(pod: Pod | undefined): string | undefined {
  const container = pod && runtimeContainerStatus(pod);
  return container?.state?.running && container.containerID ? container.containerID : undefined;
}

/** The Succeeded outcome of an init sent while `pod` was current: it names the runtime process it reached. */
export function runtimeInitSucceeded(pod: Pod | undefined): RuntimeInitOutcome {
  const process = runningRuntimeProcess(pod);
  return { reason: 'Succeeded', ...(process && { message: `${INITIALISED_IN}${process}` }) };
}

/** The runtime process a True RuntimeInitialized names, if it names one. */
export function initialisedRuntimeProcess(status: SandboxStatus | undefined): string | undefined {
  const condition = runtimeInitializedCondition(status);
  if (condition?.status !== 'True' || !condition.message?.startsWith(INITIALISED_IN)) return undefined;
  return condition.message.slice(INITIALISED_IN.length) || undefined;
}

/** The runtime process the status last saw running (see the rules above). */
export function lastSeenRuntimeProcess(status: SandboxStatus | undefined): string | undefined {
  return status?.podInfo?.runtimeContainerID || undefined;
}

/** `status` naming the runtime process `pod` runs as the last seen; `status` itself when none runs or it is the same. */
export function withRuntimeProcessSeen(status: SandboxStatus, pod: Pod | undefined): SandboxStatus {
  const running = runningRuntimeProcess(pod);
  if (!running || lastSeenRuntimeProcess(status) === running) return status;
  return { ...status, podInfo: { ...status.podInfo, runtimeContainerID: running } };
}

export interface RuntimeRestart {
  /** The process the set-up was sent to, when the condition names one. */
  initialised?: string;
  /** With no condition (the claimer initialised the runtime itself): the process the status last saw running. */
  lastSeen?: string;
  /** The process running now. */
  running: string;
}

const inplaceUpdating = (status: SandboxStatus | undefined) =>
  findCondition(status?.conditions, SandboxConditions.InplaceUpdate)?.reason === SandboxReasons.InplaceUpdating;

/**
 * The runtime restart that calls for a re-init of a Running sandbox, on `status` (the status about to be written,
 * which already mirrors `pod`; `sandbox.status` is the one it replaces), or undefined.
 */
export function runtimeRestartSinceInit(
  sandbox: Pick<Sandbox, 'metadata' | 'status'>,
  pod: Pod | undefined,
  status: SandboxStatus,
): RuntimeRestart | undefined {
  if (status.phase !== 'Running') return undefined;
  if (!hasRecordedRuntimeInit(sandbox)) return undefined;
  if (sandbox.metadata.labels?.[Labels.ReservedFailedSandbox] === 'true') return undefined;
  if (!pod || pod.metadata?.deletionTimestamp) return undefined;
  if (inplaceUpdating(status) || inplaceUpdating(sandbox.status)) return undefined;
  const running = runningRuntimeProcess(pod);
  if (!running) return undefined;
  const condition = runtimeInitializedCondition(status);
  if (!condition) {
    const lastSeen = lastSeenRuntimeProcess(sandbox.status);
    return lastSeen && lastSeen !== running ? { lastSeen, running } : undefined;
  }
  // Not True: a (re-)init is already due, and records the process it reaches.
  if (condition.status !== 'True') return undefined;
  const initialised = initialisedRuntimeProcess(status);
  if (initialised === running) return undefined;
  return { ...(initialised && { initialised }), running };
}

/**
 * `status` naming the runtime process running now as the last seen and, when it is a new process since the runtime
 * was last initialised, with RuntimeInitialized Pending (and Ready gated on it); `status` itself when nothing changed.
 * The Running phase's runtime-init step then replays the recorded set-up. The two go together: the process seen may
 * only move in the write that notices it moved.
 */
export function noticeRuntimeRestart(
  sandbox: Pick<Sandbox, 'metadata' | 'status'>,
  pod: Pod | undefined,
  status: SandboxStatus,
  now: Instant,
): SandboxStatus {
  const restart = runtimeRestartSinceInit(sandbox, pod, status);
  const seen = withRuntimeProcessSeen(status, pod);
  if (!restart || !pod) return seen;
  const message = restart.initialised
    ? `the runtime is a new process (container ${restart.running}, initialised ${restart.initialised}): it is initialised again`
    : restart.lastSeen
      ? `the runtime is a new process (container ${restart.running}, ${restart.lastSeen} before): it is initialised again`
      : `the runtime process initialised is not known (container ${restart.running} runs): it is initialised again`;
  return syncReadyFromPod(withRuntimeInitialized(seen, { reason: 'Pending', message }, now), pod, now);
}
