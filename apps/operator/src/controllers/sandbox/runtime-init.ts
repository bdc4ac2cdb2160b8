/**
 * The Sandbox controller's runtime (re-)initialisation (reference §4.4–4.5 Initialize): a Running sandbox whose
 * RuntimeInitialized condition is not True — set Pending when its pod was recreated (resume), its container restarted
 * for a new image, or, here, its runtime is another process than the one initialised (a crash the node restarted, a
 * restart of the node: core's runtime-process) — gets the recorded /init replayed with re-init semantics and its
 * dynamic volumes mounted again, once its pod is Ready. Ready stays False until then (core's gateReadyOnRuntimeInit).
 * Success records the process the /init reached; a failure is recorded as Failed and returned, so the reconcile
 * retries with backoff. A sandbox the gateway initialised at create has no condition: its baseline is the runtime
 * process its status last saw (status.podInfo.runtimeContainerID, kept up to date here for every Running sandbox), so
 * its first re-init after a restart costs the create path nothing.
 */
import {
  decideRuntimeInit,
  noticeRuntimeRestart,
  runtimeInitSucceeded,
  syncReadyFromPod,
  withRuntimeInitialized,
} from '@kruise-agents/core';
import type { Sandbox, SandboxStatus } from '@kruise-agents/api';
import type { Pod } from '@kruise-agents/kube-runtime';
import type { RuntimeInitializer } from '../../runtime/initializer';

export interface RuntimeInitPass {
  status: SandboxStatus;
  /** Set when the init failed: the caller writes `status`, then throws it for the backoff. */
  error?: Error;
}

export async function initialiseIfDue(
  initializer: RuntimeInitializer,
  sandbox: Sandbox,
  pod: Pod | undefined,
  status: SandboxStatus,
  now: number,
): Promise<RuntimeInitPass> {
  // In the same pass as the pod's readiness is mirrored: a restarted runtime's Ready is held back before it is written,
  // and the process seen moves in the same write as the restart is noticed.
  status = noticeRuntimeRestart(sandbox, pod, status, now);
  const step = decideRuntimeInit(sandbox, pod, status);
  if (step.kind === 'none' || step.kind === 'wait' || !pod) return { status };
  if (step.kind === 'fail') {
    // The recorded set-up is unreadable: retrying will not fix it, an edit of the sandbox will (its event re-runs this).
    return {
      status: syncReadyFromPod(
        withRuntimeInitialized(status, { reason: 'Failed', message: step.message }, now),
        pod,
        now,
      ),
    };
  }
  try {
    // The address comes from the status being written: after a resume the pod (and its IP) is a new one.
    // The process is read from the pod before the /init: one that restarts meanwhile shows as another one next pass.
    const succeeded = runtimeInitSucceeded(pod);
    await initializer.initialize({ metadata: sandbox.metadata, status }, step.plan, { reinit: true });
    return { status: syncReadyFromPod(withRuntimeInitialized(status, succeeded, now), pod, now) };
  } catch (error) {
    const message = (error as Error).message;
    return {
      status: syncReadyFromPod(withRuntimeInitialized(status, { reason: 'Failed', message }, now), pod, now),
      error: error as Error,
    };
  }
}
