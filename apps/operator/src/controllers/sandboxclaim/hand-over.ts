/**
 * The claim's post-processing (reference §6.3 runClaimPostProcesses): once a sandbox is locked for a claim that
 * initialises the runtime, its runtime gets the recorded /init (the claim's envVars and this sandbox's own access
 * token) and the claim's dynamic mounts. The outcome is recorded on the sandbox as RuntimeInitialized
 * (True/Succeeded, or False/Failed on a sandbox kept for debugging). A sandbox that cannot be handed over is no
 * claimed replica: it is deleted, or kept labelled reserved-failed when the claim says reserveFailedSandbox.
 */
import { claimFailureAction, recordedRuntimeInit } from '@kruise-agents/core';
import type { SandboxObject } from '@kruise-agents/core/client';
import type { ResourceClient } from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import type { RuntimeInitializer } from '../../runtime/initializer';
import { recordRuntimeInitialized } from '../../runtime/record-condition';

export interface HandOverDeps {
  sandboxes: ResourceClient<SandboxObject>;
  initializer: RuntimeInitializer;
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
  try {
    const plan = recordedRuntimeInit(sandbox);
    if (plan) await deps.initializer.initialize(sandbox, plan, { reinit: false });
  } catch (error) {
    const message = `sandbox ${id}: ${(error as Error).message}`;
    await discard(deps, sandbox, message, options.reserveFailedForMs);
    return { ok: false, message };
  }
  try {
    await recordRuntimeInitialized(deps.sandboxes, sandbox, { reason: 'Succeeded' }, deps.now);
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
