/**
 * DELETE /sandboxes/{id}, POST …/timeout, …/refreshes, …/pause, /v2/sandboxes/{id}/connect (and the v1 connect and
 * legacy resume). Timer arithmetic is @kruise-agents/e2b's (timersForSetTimeout/Connect/Pause); every write is an
 * optimistic-concurrency update (mutateSandbox), so pause and connect racing end in a state one of them chose.
 */
import { Annotations, type Sandbox } from '@kruise-agents/api';
import type { SandboxObject } from '@kruise-agents/core/client';
import {
  DEFAULT_TIMEOUT_SECONDS,
  E2bApiError,
  e2bStateOf,
  isServing,
  runtimeAddressOf,
  timeoutPolicyOf,
  timersForConnect,
  timersForPause,
  timersForSetTimeout,
  toSandboxResponse,
  type SandboxResponse,
  type Timers,
} from '@kruise-agents/e2b';
import type { Principal } from '../auth/key-store';
import { viewOf, type GatewayContext } from '../context';
import { mutateSandbox } from '../mutate';
import { lookup } from './read';

function applyTimers(sandbox: Sandbox, timers: Timers): void {
  if (timers.shutdownTime) sandbox.spec.shutdownTime = timers.shutdownTime;
  else delete sandbox.spec.shutdownTime;
  if (timers.pauseTime) sandbox.spec.pauseTime = timers.pauseTime;
  else delete sandbox.spec.pauseTime;
}

export async function deleteSandbox(ctx: GatewayContext, principal: Principal, id: string): Promise<void> {
  const { sandbox } = await lookup(ctx, principal, id);
  const deleted = await ctx.sandboxes.deleteIfExists(sandbox.metadata.namespace!, sandbox.metadata.name!, {
    preconditions: { uid: sandbox.metadata.uid },
  });
  if (!deleted) throw E2bApiError.notFound(`sandbox "${id}" not found`);
  await ctx.registry.awaitGone(sandbox.metadata.namespace!, sandbox.metadata.name!);
}

export async function setTimeoutOf(ctx: GatewayContext, principal: Principal, id: string, seconds: number) {
  if (seconds > ctx.settings.maxTimeoutSeconds) {
    throw E2bApiError.badRequest(`timeout: must be at most ${ctx.settings.maxTimeoutSeconds} seconds`);
  }
  const { sandbox } = await lookup(ctx, principal, id);
  await mutateSandbox(ctx, sandbox, (current) => {
    const timers = timersForSetTimeout(current.spec, ctx.now(), seconds, timeoutPolicyOf(current));
    if (!timers) return undefined;
    applyTimers(current, timers);
    return current;
  });
}

/** Legacy keep-alive: extends (never shortens) the timeout by `duration` seconds from now. */
export async function refreshSandbox(ctx: GatewayContext, principal: Principal, id: string, seconds: number) {
  const { sandbox } = await lookup(ctx, principal, id);
  await mutateSandbox(ctx, sandbox, (current) => {
    const timers = timersForConnect(current.spec, ctx.now(), seconds, timeoutPolicyOf(current), false);
    if (!timers) return undefined;
    applyTimers(current, timers);
    return current;
  });
}

export async function pauseSandbox(ctx: GatewayContext, principal: Principal, id: string): Promise<void> {
  const { sandbox, state } = await lookup(ctx, principal, id);
  if (state === 'paused') throw E2bApiError.conflict(`sandbox "${id}" is already paused`);
  let alreadyPaused = false;
  await mutateSandbox(ctx, sandbox, (current) => {
    if (current.spec.paused) {
      alreadyPaused = true; // another request paused it first
      return undefined;
    }
    current.spec.paused = true;
    const timers = timersForPause(current.spec, ctx.now(), timeoutPolicyOf(current));
    if (timers) applyTimers(current, timers);
    return current;
  });
  if (alreadyPaused) throw E2bApiError.conflict(`sandbox "${id}" is already paused`);
}

export interface ConnectResult {
  response: SandboxResponse;
  /** True when the sandbox was paused and this call resumed it (201), false when it was running (200). */
  resumed: boolean;
}

export async function connectSandbox(
  ctx: GatewayContext,
  principal: Principal,
  id: string,
  timeoutSeconds: number | undefined,
  /** requirePaused: the legacy resume (409 unless paused); autoPause: its flag, the new timeout action. */
  options: { requirePaused?: boolean; autoPause?: boolean } = {},
): Promise<ConnectResult> {
  const seconds = timeoutSeconds || DEFAULT_TIMEOUT_SECONDS;
  if (seconds > ctx.settings.maxTimeoutSeconds) {
    throw E2bApiError.badRequest(`timeout: must be at most ${ctx.settings.maxTimeoutSeconds} seconds`);
  }
  const { sandbox, state } = await lookup(ctx, principal, id);
  if (options.requirePaused && state !== 'paused') throw E2bApiError.conflict(`sandbox "${id}" is not paused`);
  let resumed = false;
  const { sandbox: written } = await mutateSandbox(ctx, sandbox, (current) => {
    const resuming = current.spec.paused === true || e2bStateOf(current, ctx.now()) === 'paused';
    resumed = resuming;
    const timers = timersForConnect(current.spec, ctx.now(), seconds, timeoutPolicyOf(current), resuming);
    if (!resuming && !timers) return undefined;
    if (resuming) current.spec.paused = false;
    if (resuming && options.autoPause !== undefined) {
      current.metadata.annotations = {
        ...current.metadata.annotations,
        [Annotations.OnTimeout]: options.autoPause ? 'pause' : 'kill',
      };
    }
    if (timers) applyTimers(current, resuming ? (retimed(current, seconds, ctx.now()) ?? timers) : timers);
    return current;
  });
  let ready = written;
  if (resumed) ready = await waitResumed(ctx, written);
  return { response: toSandboxResponse(ready, viewOf(ctx)), resumed };
}

/** The resume timers under the (possibly just changed) timeout action. */
function retimed(sandbox: Sandbox, seconds: number, now: number): Timers | undefined {
  return timersForConnect(sandbox.spec, now, seconds, timeoutPolicyOf(sandbox), true);
}

/**
 * Waits for a resumed sandbox to serve again. Its runtime is re-initialised (the recorded /init and volume mounts) by
 * the operator's Sandbox controller before it reports Ready, so Ready is all there is to wait for.
 */
async function waitResumed(ctx: GatewayContext, sandbox: SandboxObject): Promise<SandboxObject> {
  const namespace = sandbox.metadata.namespace!;
  const name = sandbox.metadata.name!;
  const deadline = ctx.now() + ctx.settings.waitReadyTimeoutMs;
  for (;;) {
    const current = ctx.cache.sandboxes.get(namespace, name);
    if (!current || current.metadata.deletionTimestamp) throw E2bApiError.notFound(`sandbox ${name} is gone`);
    const observed =
      current.status?.observedGeneration === undefined ||
      current.metadata.generation === undefined ||
      current.status.observedGeneration >= current.metadata.generation;
    if (observed && isServing(current) && runtimeAddressOf(current)) return current;
    const left = deadline - ctx.now();
    if (left <= 0) {
      throw new E2bApiError(504, `sandbox resumed but not ready within ${ctx.settings.waitReadyTimeoutMs / 1000} s`);
    }
    await ctx.cache.changes.next(left);
  }
}
