/**
 * Read-modify-write of one Sandbox with optimistic concurrency: the change is computed on the newest copy and written
 * as an update carrying its resourceVersion; a 409 re-reads and recomputes. So two gateways (or a gateway and the
 * operator) racing on one sandbox — pause against connect, say — each apply their change to what the other wrote,
 * and the object always ends in a state one of them chose.
 */
import { isConflict } from '@kruise-agents/kube-runtime';
import type { SandboxObject } from '@kruise-agents/core/client';
import type { GatewayContext } from './context';

/** Returns the object to write, or undefined when nothing needs to change. */
export type Change = (current: SandboxObject) => SandboxObject | undefined;

export async function mutateSandbox(
  ctx: GatewayContext,
  start: SandboxObject,
  change: Change,
  attempts = 10,
): Promise<{ sandbox: SandboxObject; wrote: boolean }> {
  let current = start;
  for (let attempt = 0; ; attempt++) {
    const next = change(structuredClone(current));
    if (!next) return { sandbox: current, wrote: false };
    try {
      const written = await ctx.sandboxes.update(next);
      await ctx.registry.awaitVersion(
        written.metadata.namespace!,
        written.metadata.name!,
        written.metadata.resourceVersion,
      );
      return { sandbox: written, wrote: true };
    } catch (error) {
      if (!isConflict(error) || attempt + 1 >= attempts) throw error;
      current = await ctx.sandboxes.get(current.metadata.namespace!, current.metadata.name!);
    }
  }
}
