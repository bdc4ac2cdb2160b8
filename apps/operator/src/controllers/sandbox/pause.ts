/**
 * Pause and resume (spec.paused), with two strategies:
 * - Stop (the reference's): the pod is deleted and the Sandbox — its name, labels, claim, IP-less identity — is kept,
 *   held by the agents.kruise.io/sandbox finalizer; resume creates the pod again from the current template.
 * - Freeze: the pod stays and its processes are frozen by the node, memory kept. The operator asks through the pod
 *   annotation agents.kruise.io/frozen=true and the node answers with the pod condition Frozen=True (the local node
 *   does; a node that does not would leave the pause pending). Resume removes the annotation and waits for the thaw.
 * Pausing: phase Paused, status.pausedAt (the shutdown clock stands still from then), SandboxPaused False/Pending then
 * True/<Strategy>PauseSucceed, Ready False. Resuming: phase Resuming until the pod runs again, then Running with
 * SandboxResumed True, pausedAt cleared and spec.shutdownTime pushed later by the time spent paused. After a Stop the
 * pod is a new one whose runtime knows nothing of its claim: RuntimeInitialized goes Pending (when the claim recorded
 * a set-up), and Ready waits for the Running phase's re-init. A thawed runtime kept everything.
 */
import {
  Finalizers,
  PodFreeze,
  SandboxConditions,
  SandboxReasons,
  type Sandbox,
  type SandboxStatus,
} from '@kruise-agents/api';
import {
  formatTime,
  reinitDueAfter,
  removeCondition,
  setCondition,
  shutdownAfterResume,
  withRuntimeInitialized,
} from '@kruise-agents/core';
import type { Pod } from '@kruise-agents/kube-runtime';
import { podCondition } from './pod';

/** The contract with the node (the local node implements it). */
export const FROZEN_POD_ANNOTATION = PodFreeze.Annotation;
export const FROZEN_POD_CONDITION = PodFreeze.Condition;
/** Grace period for a paused sandbox's pod, as the reference controller uses. */
export const PAUSE_POD_GRACE_SECONDS = 5;

export type PauseStrategyType = 'Stop' | 'Freeze';

/** What the reconciler must do for a pause or resume step; the status is always written after. */
export type PauseAction =
  | { kind: 'none' }
  | { kind: 'add-finalizer' }
  | { kind: 'delete-pod' }
  | { kind: 'create-pod' }
  | { kind: 'annotate-pod'; frozen: boolean }
  /** The pod runs again: update the Sandbox (shutdownTime pushed, finalizer dropped), then write `status`. */
  | { kind: 'finish-resume'; sandbox: Sandbox };

export interface PauseStep {
  status: SandboxStatus;
  action: PauseAction;
}

export function pauseStrategyOf(sandbox: Sandbox): PauseStrategyType {
  return sandbox.spec.pauseStrategy?.type === 'Freeze' ? 'Freeze' : 'Stop';
}

const hasFinalizer = (sandbox: Sandbox) => sandbox.metadata.finalizers?.includes(Finalizers.Sandbox) ?? false;

export function decidePause(sandbox: Sandbox, pod: Pod | undefined, now: number): PauseStep {
  const strategy = pauseStrategyOf(sandbox);
  const status: SandboxStatus = {
    ...structuredClone(sandbox.status ?? {}),
    observedGeneration: sandbox.metadata.generation,
  };
  const set = (type: string, value: 'True' | 'False', reason: string, message?: string) => {
    status.conditions = setCondition(status.conditions, { type, status: value, reason, message }, now);
  };
  if (status.phase !== 'Paused' && status.phase !== 'Resuming') {
    status.phase = 'Paused';
    status.pausedAt = formatTime(now);
    set(SandboxConditions.SandboxPaused, 'False', 'Pending', `pausing (${strategy})`);
    status.conditions = removeCondition(status.conditions, SandboxConditions.SandboxResumed);
  }
  status.phase = 'Paused';
  set(SandboxConditions.Ready, 'False', 'Paused', 'the sandbox is paused');
  if (strategy === 'Freeze' && pod && !pod.metadata.deletionTimestamp) {
    if (podCondition(pod, FROZEN_POD_CONDITION) === 'True') {
      set(SandboxConditions.SandboxPaused, 'True', SandboxReasons.FreezePauseSucceed, 'processes frozen, memory kept');
    }
    const annotated = pod.metadata.annotations?.[FROZEN_POD_ANNOTATION] === 'true';
    return { status, action: annotated ? { kind: 'none' } : { kind: 'annotate-pod', frozen: true } };
  }
  if (strategy === 'Stop' && !hasFinalizer(sandbox)) return { status, action: { kind: 'add-finalizer' } };
  if (pod) return { status, action: pod.metadata.deletionTimestamp ? { kind: 'none' } : { kind: 'delete-pod' } };
  set(SandboxConditions.SandboxPaused, 'True', SandboxReasons.StopPauseSucceed, 'pod deleted, sandbox kept');
  return { status, action: { kind: 'none' } };
}

export function decideResume(sandbox: Sandbox, pod: Pod | undefined, now: number): PauseStep {
  const status: SandboxStatus = {
    ...structuredClone(sandbox.status ?? {}),
    observedGeneration: sandbox.metadata.generation,
  };
  status.phase = 'Resuming';
  const frozenPod = pod && !pod.metadata.deletionTimestamp && podCondition(pod, FROZEN_POD_CONDITION) === 'True';
  status.conditions = setCondition(
    status.conditions,
    {
      type: SandboxConditions.SandboxResumed,
      status: 'False',
      reason: pod ? 'ThawPod' : SandboxReasons.CreatePod,
      message: 'resuming',
    },
    now,
  );
  if (pod?.metadata.deletionTimestamp) return { status, action: { kind: 'none' } }; // the old pod is still going
  if (!pod) return { status, action: { kind: 'create-pod' } };
  if (pod.metadata.annotations?.[FROZEN_POD_ANNOTATION] === 'true') {
    return { status, action: { kind: 'annotate-pod', frozen: false } };
  }
  if (frozenPod || pod.status?.phase !== 'Running') return { status, action: { kind: 'none' } };

  const next = structuredClone(sandbox);
  const shutdownTime = shutdownAfterResume(sandbox, now);
  if (shutdownTime) next.spec.shutdownTime = shutdownTime;
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== Finalizers.Sandbox);
  status.phase = 'Running';
  delete status.pausedAt;
  status.conditions = removeCondition(status.conditions, SandboxConditions.SandboxPaused);
  status.conditions = setCondition(
    status.conditions,
    { type: SandboxConditions.SandboxResumed, status: 'True', reason: SandboxReasons.ResumePod },
    now,
  );
  // A new pod (Stop), not the thawed one (Freeze): podInfo still names the pod the sandbox ran on before the pause.
  const recreated = pod.metadata.uid !== sandbox.status?.podInfo?.podUID;
  if (recreated && reinitDueAfter(sandbox, status, 'pod-recreated')) {
    const message = 'the pod was recreated: its runtime is initialised again';
    status.conditions = withRuntimeInitialized(status, { reason: 'Pending', message }, now).conditions;
  }
  return { status, action: { kind: 'finish-resume', sandbox: next } };
}

/** True when the Sandbox update of a finished resume changes anything. */
export function resumeNeedsUpdate(before: Sandbox, after: Sandbox): boolean {
  return (
    before.spec.shutdownTime !== after.spec.shutdownTime ||
    (before.metadata.finalizers?.length ?? 0) !== (after.metadata.finalizers?.length ?? 0)
  );
}
