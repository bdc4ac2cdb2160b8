/**
 * Initialises a sandbox's agent-runtime from a plan (runtime/init-plan in core): POST /init with the env vars and the
 * access token, then the dynamic volume mounts. One place for both callers: the SandboxClaim controller right after
 * it claimed the sandbox (first init), and the Sandbox controller after the pod was recreated (re-init, where an
 * HTTP 401 means the runtime already holds the token, so it counts as success).
 */
import type { Sandbox } from '@kruise-agents/api';
import type { RuntimeInitPlan } from '@kruise-agents/core';
import { mountVolumes, type RuntimeClient } from '@kruise-agents/core/client';
import { runtimeAddressOf } from '@kruise-agents/e2b';
import type { KubeClient } from '@kruise-agents/kube-runtime';

/** Why a runtime could not be initialised; the message goes to the RuntimeInitialized condition. */
export class RuntimeInitError extends Error {
  override readonly name = 'RuntimeInitError';
}

export interface RuntimeInitializer {
  /** Sends `plan` to the runtime of `sandbox` (its address: runtime-url annotation, else the pod IP in its status). */
  initialize(
    sandbox: Pick<Sandbox, 'metadata' | 'status'>,
    plan: RuntimeInitPlan,
    options: { reinit: boolean },
  ): Promise<void>;
}

export function createRuntimeInitializer(deps: { kube: KubeClient; runtime: RuntimeClient }): RuntimeInitializer {
  return {
    async initialize(sandbox, plan, { reinit }) {
      if (!plan.init && plan.mounts.length === 0) return;
      const address = runtimeAddressOf(sandbox);
      if (!address) throw new RuntimeInitError('the sandbox has no address for its runtime (no pod IP yet)');
      const token = plan.init?.accessToken ?? '';
      try {
        if (plan.init) await deps.runtime.init(address, plan.init, { reinit });
      } catch (error) {
        throw new RuntimeInitError(`runtime /init: ${(error as Error).message}`, { cause: error });
      }
      try {
        await mountVolumes(deps.runtime, deps.kube, address, token, plan.mounts);
      } catch (error) {
        throw new RuntimeInitError(`volume mount: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}
