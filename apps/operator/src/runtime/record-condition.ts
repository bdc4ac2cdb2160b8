/**
 * Writes a sandbox's RuntimeInitialized condition from outside the Sandbox controller (the SandboxClaim controller,
 * after its /init). Status writes replace the whole conditions list, so this write carries the resourceVersion it was
 * computed from, as the Sandbox controller's own status writes do: whichever of the two writes second on a stale copy
 * gets a 409 and recomputes from the newer one instead of dropping the other's conditions.
 */
import { withRuntimeInitialized, type RuntimeInitOutcome } from '@kruise-agents/core';
import type { SandboxObject } from '@kruise-agents/core/client';
import { isConflict, isNotFound, type ResourceClient } from '@kruise-agents/kube-runtime';

const MAX_TRIES = 5;

/** Resolves with the written sandbox, or undefined when it is gone. */
export async function recordRuntimeInitialized(
  sandboxes: ResourceClient<SandboxObject>,
  sandbox: SandboxObject,
  outcome: RuntimeInitOutcome,
  now: () => number,
): Promise<SandboxObject | undefined> {
  const namespace = sandbox.metadata.namespace!;
  const name = sandbox.metadata.name!;
  let current = sandbox;
  for (let attempt = 1; ; attempt++) {
    const { conditions } = withRuntimeInitialized(current.status ?? {}, outcome, now());
    try {
      return await sandboxes.patch(
        namespace,
        name,
        'merge',
        { metadata: { resourceVersion: current.metadata.resourceVersion }, status: { conditions } },
        { subresource: 'status' },
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error) || attempt >= MAX_TRIES) throw error;
      const latest = await sandboxes.find(namespace, name);
      if (!latest || latest.metadata.uid !== sandbox.metadata.uid) return undefined;
      current = latest;
    }
  }
}
