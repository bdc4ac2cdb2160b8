/**
 * The claim's post-processing (reference §6.3 runClaimPostProcesses): once a sandbox is locked for a claim that
 * initialises the runtime, its runtime gets the recorded /init (the claim's envVars and this sandbox's own access
 * token) and the claim's dynamic mounts. The outcome is recorded on the sandbox as RuntimeInitialized
 * (True/Succeeded naming the runtime process it reached, so the Sandbox controller can tell when a restarted process
 * needs it again; or False/Failed on a sandbox kept for debugging). A sandbox that cannot be handed over is no
 * claimed replica: it is deleted, or kept labelled reserved-failed when the claim says reserveFailedSandbox.
 */
import { claimFailureAction, podBelongsTo, recordedRuntimeInit, runtimeInitSucceeded } from '@kruise-agents/core';
import type { SandboxObject } from '@kruise-agents/core/client';
import type { Pod, ResourceClient } from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import type { RuntimeInitializer } from '../../runtime/initializer';
import { recordRuntimeInitialized } from '../../runtime/record-condition';

export interface HandOverDeps {
  sandboxes: ResourceClient<SandboxObject>;
  initializer: RuntimeInitializer;
  /** The cached pods, for the runtime process the /init reaches. */
  pods: { get(namespace: string, name: string): Pod | undefined };
  now: () => number;
  log: Logger;
}

export type HandOverResult = { ok: true } | { ok: false; message: string };

export async function handOver(
  deps: HandOverDeps,
  sandbox: SandboxObject,
  options: { reserveFailedForMs: number },
): Promise<HandOverResult> {
  const id = `${sandbox.metadata.namespace}/${sandbox.metadata.name}`;
  // Read before the /init: a process that restarts after this shows as another one, and gets the set-up again.
  const cached = deps.pods.get(sandbox.metadata.namespace!, sandbox.metadata.name!);
  const succeeded = runtimeInitSucceeded(cached && podBelongsTo(sandbox, cached) ? cached : undefined);
  try {
    const plan = recordedRuntimeInit(sandbox);
    if (plan) await deps.initializer.initialize(sandbox, plan, { reinit: false });
  } catch (error) {
    const message = `sandbox ${id}: ${(error as Error).message}`;
    await discard(deps, sandbox, message, options.reserveFailedForMs);
    return { ok: false, message };
  }
  try {
    await recordRuntimeInitialized(deps.sandboxes, sandbox, succeeded, deps.now);
  } catch (error) {
    // The runtime is initialised and the sandbox is the claim's: a condition that could not be written is no reason
    // to take it back.
    deps.log.warn({ sandbox: id, err: error }, 'recording RuntimeInitialized failed');
  }
  return { ok: true };
}

/** Deletes the sandbox, or keeps it labelled reserved-failed with the failure on its RuntimeInitialized condition. */
async function discard(deps: HandOverDeps, sandbox: SandboxObject, message: string, reserveForMs: number) {
  const { namespace, name } = sandbox.metadata;
  if (claimFailureAction(sandbox, { now: deps.now(), reserveForMs }).action === 'reserve') {
    try {
      const recorded = await recordRuntimeInitialized(deps.sandboxes, sandbox, { reason: 'Failed', message }, deps.now);
      if (recorded) {
        const action = claimFailureAction(recorded, { now: deps.now(), reserveForMs });
        if (action.action === 'reserve') await deps.sandboxes.update(action.sandbox as SandboxObject);
      }
      return;
    } catch (error) {
      // Reserving failed (a newer copy, or gone): delete instead, as the reference does.
      deps.log.warn({ sandbox: `${namespace}/${name}`, err: error }, 'reserving a failed sandbox failed; deleting it');
    }
  }
  await deps.sandboxes.deleteIfExists(namespace, name!, { preconditions: { uid: sandbox.metadata.uid } });
}
