/**
 * The RuntimeInitialized condition of a Sandbox, and when the runtime must be initialised again.
 *
 * Rules (reference §4.4–4.5, §7.2):
 * - The condition is False/Pending when the runtime is to be initialised, True/Succeeded once /init and the dynamic
 *   mounts are done, False/Failed with the error otherwise. A sandbox without the condition is not the operator's to
 *   initialise (pool members; sandboxes the gateway initialised itself at create), until the runtime of one that
 *   records a set-up restarts (runtime-process.ts).
 * - Ready gates on it: while the condition exists and is not True, Ready is False (reason RuntimeInitializing) even
 *   when the pod is ready, so nobody is handed a runtime that lost its token and env vars.
 * - A re-init is due when the runtime that held the set-up is gone and there is a recorded set-up to replay: after the
 *   pod was recreated (a Stop resume), and after the container was restarted for a new image when the operator had
 *   initialised the runtime before (an in-place image change at claim time is followed by the claimer's own /init),
 *   and when the runtime is another process than the one the last init reached, in the same pod (runtime-process.ts).
 * - The Sandbox controller initialises a Running sandbox whose condition is not True once its pod is Ready, with
 *   re-init semantics; a sandbox kept as a failed claim (reserved-failed) is left as it failed, for debugging.
 */
import {
  Labels,
  SandboxConditions,
  SandboxReasons,
  findCondition,
  type Condition,
  type Sandbox,
  type SandboxStatus,
} from '@kruise-agents/api';
import { setCondition, type ConditionUpdate } from '../conditions';
import { CoreError } from '../errors';
import type { Pod } from '../pod';
import type { Instant } from '../time';
import { hasRecordedRuntimeInit, recordedRuntimeInit, type RuntimeInitPlan } from './init-plan';

export type RuntimeInitReason = 'Pending' | 'Succeeded' | 'Failed';

export interface RuntimeInitOutcome {
  reason: RuntimeInitReason;
  message?: string;
}

/** Condition messages are cut to this length, as the reference does (MAX_CONDITION_MESSAGE_LEN). */
export const MAX_CONDITION_MESSAGE_LENGTH = 1024;

export function runtimeInitializedCondition(status: SandboxStatus | undefined): Condition | undefined {
  return findCondition(status?.conditions, SandboxConditions.RuntimeInitialized);
}

/** True while the runtime is to be initialised, or its last initialisation failed. */
export function runtimeInitOutstanding(status: SandboxStatus | undefined): boolean {
  const condition = runtimeInitializedCondition(status);
  return condition !== undefined && condition.status !== 'True';
}

/** `status` with the RuntimeInitialized condition set to `outcome` (Ready is the caller's: see syncReadyFromPod). */
export function withRuntimeInitialized(
  status: SandboxStatus,
  outcome: RuntimeInitOutcome,
  now: Instant,
): SandboxStatus {
  const message = outcome.message?.slice(0, MAX_CONDITION_MESSAGE_LENGTH);
  return {
    ...status,
    conditions: setCondition(
      status.conditions,
      {
        type: SandboxConditions.RuntimeInitialized,
        status: outcome.reason === 'Succeeded' ? 'True' : 'False',
        reason: outcome.reason === 'Pending' ? SandboxReasons.Pending : outcome.reason,
        ...(message && { message }),
      },
      now,
    ),
  };
}

/** The Ready condition a pod's readiness gives, held False while the runtime initialisation is outstanding. */
export function gateReadyOnRuntimeInit(ready: ConditionUpdate, status: SandboxStatus | undefined): ConditionUpdate {
  if (ready.status !== 'True' || !runtimeInitOutstanding(status)) return ready;
  const init = runtimeInitializedCondition(status)!;
  const why = init.reason === 'Failed' ? `the runtime init failed: ${init.message ?? ''}` : 'initialising the runtime';
  return {
    type: SandboxConditions.Ready,
    status: 'False',
    reason: SandboxReasons.RuntimeInitializing,
    message: why.trim().slice(0, MAX_CONDITION_MESSAGE_LENGTH),
  };
}

/** What made the runtime start afresh. */
export type RuntimeReset = 'pod-recreated' | 'image-changed';

/** True when the runtime is to be initialised again after `reset` (see the rules above). */
export function reinitDueAfter(
  sandbox: Pick<Sandbox, 'metadata'>,
  status: SandboxStatus,
  reset: RuntimeReset,
): boolean {
  if (!hasRecordedRuntimeInit(sandbox)) return false;
  if (reset === 'pod-recreated') return true;
  return runtimeInitializedCondition(status) !== undefined;
}

export type RuntimeInitStep =
  | { kind: 'none' }
  /** Due, but not yet possible (the pod is not ready, an in-place update runs). The pod's events bring the next pass. */
  | { kind: 'wait'; waitingFor: string }
  /** Send this (it may be empty: then the condition just becomes True). */
  | { kind: 'initialise'; plan: RuntimeInitPlan }
  /** The recorded set-up cannot be read: Failed, without retrying until the sandbox changes. */
  | { kind: 'fail'; message: string };

/**
 * The Sandbox controller's runtime-init step for a Running sandbox, on `status` (the status it is about to write,
 * which already mirrors `pod`).
 */
export function decideRuntimeInit(
  sandbox: Pick<Sandbox, 'metadata'>,
  pod: Pod | undefined,
  status: SandboxStatus,
): RuntimeInitStep {
  if (status.phase !== 'Running' || !runtimeInitOutstanding(status)) return { kind: 'none' };
  if (sandbox.metadata.labels?.[Labels.ReservedFailedSandbox] === 'true') return { kind: 'none' };
  if (!pod || pod.metadata?.deletionTimestamp) return { kind: 'wait', waitingFor: 'the pod' };
  if (pod.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') {
    return { kind: 'wait', waitingFor: 'the pod to be ready' };
  }
  if (findCondition(status.conditions, SandboxConditions.InplaceUpdate)?.reason === SandboxReasons.InplaceUpdating) {
    return { kind: 'wait', waitingFor: 'the in-place update to finish' };
  }
  try {
    return { kind: 'initialise', plan: recordedRuntimeInit(sandbox) ?? { mounts: [] } };
  } catch (error) {
    if (error instanceof CoreError) return { kind: 'fail', message: error.message };
    throw error;
  }
}
