/**
 * POST /sandboxes and /v2/sandboxes: claim a warm sandbox from the SandboxSet named by `templateID` with core's claim
 * executor (one optimistic-concurrency update whose lock value is the new E2B ID; a 409 moves on to the next
 * candidate), then hand it over: the runtime's /init (env vars + a fresh access token), requested volume mounts, and
 * the answer. Requests that follow it and reach a replica whose cache lags wait briefly for the ID (SandboxRegistry).
 * The /init is not recorded on the sandbox (a second write on every create): the operator re-initialises a runtime
 * that restarts later by comparing it with the process the status named when the claim was written (core's
 * runtime-process).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  Annotations,
  E2bExtensionKeys,
  FOREVER_MS,
  Labels,
  parseDuration,
  type CsiMountConfig,
} from '@kruise-agents/api';
import type { ClaimRequest } from '@kruise-agents/core';
import { ClaimError, type SandboxObject, type SandboxSetObject } from '@kruise-agents/core/client';
import {
  DEFAULT_TIMEOUT_SECONDS,
  E2bApiError,
  newSandboxId,
  runtimeAddressOf,
  splitMetadata,
  timersFor,
  toSandboxResponse,
  type NewSandboxRequest,
  type SandboxResponse,
} from '@kruise-agents/e2b';
import type { Principal } from '../auth/key-store';
import { viewOf, type GatewayContext } from '../context';
import { mountVolumes, resolveVolumes } from '../volumes';

/** Pool members tried per create when hand-over fails (runtime /init, volume mount). */
const MAX_HANDOVER_ATTEMPTS = 3;

/** The SandboxSet a template names, in the key's namespace; for the admin key one of the same-named sets at random. */
export function pickTemplate(ctx: GatewayContext, principal: Principal, templateId: string): SandboxSetObject {
  const sets = ctx.cache.sets
    .list(principal.team)
    .filter((set) => set.metadata.name === templateId && !set.metadata.deletionTimestamp);
  const picked = sets[Math.floor(ctx.random() * sets.length)];
  if (!picked) {
    const where = principal.team === undefined ? 'any namespace' : `namespace "${principal.team}"`;
    throw E2bApiError.notFound(`template "${templateId}" not found: no SandboxSet of that name in ${where}`);
  }
  return picked;
}

function durationMs(value: string | undefined): number | undefined {
  if (value === undefined || value === 'never') return undefined;
  if (value === 'forever') return Infinity;
  return parseDuration(value);
}

export async function createSandbox(
  ctx: GatewayContext,
  principal: Principal,
  body: NewSandboxRequest,
  signal: AbortSignal,
): Promise<SandboxResponse> {
  const started = performance.now();
  const { metadata, extensions } = splitMetadata(body.metadata);
  const timeout = body.timeout || DEFAULT_TIMEOUT_SECONDS;
  if (timeout > ctx.settings.maxTimeoutSeconds) {
    throw E2bApiError.badRequest(`timeout: must be at most ${ctx.settings.maxTimeoutSeconds} seconds`);
  }
  const volumeMounts: CsiMountConfig[] = [
    ...extensions.volumeMounts,
    ...(body.volumeMounts ?? []).map((m) => ({ pvName: m.name, mountPath: m.path })),
  ];
  if (volumeMounts.length > 0 && extensions.skipInitRuntime) {
    throw E2bApiError.badRequest('volume mounts need the runtime: drop e2b.agents.kruise.io/skip-init-runtime');
  }
  const set = pickTemplate(ctx, principal, body.templateID);
  // A volume that cannot be mounted is the caller's 400, found before anything is claimed.
  const resolvedVolumes = volumeMounts.length > 0 ? await resolveVolumes(ctx, volumeMounts) : [];
  const namespace = set.metadata.namespace!;

  const onTimeout = body.autoPause ? 'pause' : 'kill';
  const retention = extensions.reservePausedSandboxDuration;
  const annotations: Record<string, string> = { ...metadata, [Annotations.OnTimeout]: onTimeout };
  if (retention !== undefined) annotations[Annotations.ReservePausedSandboxDuration] = retention;
  const retentionMs = retention === undefined || retention === 'forever' ? FOREVER_MS : parseDuration(retention);
  const timers = extensions.neverTimeout ? {} : timersFor(ctx.now(), timeout, { onTimeout, retentionMs });

  const accessToken = randomUUID();
  const envVars = body.envVars ?? {};
  const cpu =
    extensions.cpuRequest || extensions.cpuLimit
      ? {
          ...(extensions.cpuRequest ? { requests: { cpu: extensions.cpuRequest } } : {}),
          ...(extensions.cpuLimit ? { limits: { cpu: extensions.cpuLimit } } : {}),
        }
      : undefined;
  const request: ClaimRequest = {
    ownerUid: principal.keyId,
    annotations,
    labels: body.allow_internet_access === false ? { [Labels.AllowInternetAccess]: 'false' } : undefined,
    shutdownTime: timers.shutdownTime,
    pauseTime: timers.pauseTime,
    image: extensions.image,
    resources: cpu,
    initRuntime: extensions.skipInitRuntime ? undefined : { envVars, accessToken },
    csiMounts: volumeMounts,
  };

  const setSays = set.metadata.annotations?.[E2bExtensionKeys.CreateOnNoStock];
  const createOnNoStock =
    extensions.createOnNoStock ?? (setSays !== undefined ? setSays === 'true' : ctx.settings.createOnNoStock);
  const claimTimeoutMs = (extensions.claimTimeoutSeconds ?? 0) * 1000 || ctx.settings.claimTimeoutMs;
  const waitReadyTimeoutMs = (extensions.waitReadyTimeoutSeconds ?? 0) * 1000 || ctx.settings.waitReadyTimeoutMs;

  // A pool member that cannot be handed over (its runtime refuses /init, say) is discarded and the next one claimed:
  // one broken sandbox must not fail the create while the pool has others.
  const deadline = ctx.now() + claimTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    // The new ID is written as the sandbox-id label (and the lock value) by the claim's one write: nothing more to
    // write before answering.
    const id = newSandboxId(randomBytes);
    let sandbox: SandboxObject;
    try {
      const [claimed] = await ctx.claimer.claim(
        { namespace, pool: set.metadata.name! },
        { ...request, sandboxId: id },
        {
          count: 1,
          concurrency: 1,
          timeoutMs: Math.max(deadline - ctx.now(), 1),
          createOnNoStock,
          waitReadyTimeoutMs,
          reserveFailedForMs: durationMs(extensions.reserveFailedSandboxFor) ?? 0,
          lockId: id,
          signal,
        },
      );
      sandbox = claimed!;
    } catch (error) {
      ctx.metrics.claims.inc({ namespace, result: error instanceof ClaimError ? error.code : 'Failed' });
      if (error instanceof ClaimError && error.code === 'Timeout') {
        throw new E2bApiError(
          503,
          `no sandbox of template "${body.templateID}" became available within ${claimTimeoutMs / 1000} s`,
        );
      }
      throw error;
    }
    try {
      sandbox = await handOver(ctx, sandbox, request, resolvedVolumes);
      ctx.metrics.claims.inc({ namespace, result: 'Claimed' });
      ctx.metrics.claimSeconds.observe({ namespace }, (performance.now() - started) / 1000);
      return toSandboxResponse(sandbox, viewOf(ctx), request.initRuntime?.accessToken);
    } catch (error) {
      ctx.metrics.claims.inc({ namespace, result: 'InitFailed' });
      ctx.log.warn({ err: error, sandbox: `${namespace}/${sandbox.metadata.name}` }, 'hand-over failed; discarded');
      // The lock is written but the sandbox is not usable: nobody else may get it, so it goes (as the reference).
      await ctx.sandboxes.deleteIfExists(namespace, sandbox.metadata.name!).catch(() => undefined);
      if (attempt >= MAX_HANDOVER_ATTEMPTS || ctx.now() >= deadline || signal.aborted) {
        throw new E2bApiError(500, `sandbox ${namespace}/${sandbox.metadata.name} failed to start: ${String(error)}`);
      }
    }
  }
}

/** Initialises the runtime and mounts volumes. */
async function handOver(
  ctx: GatewayContext,
  sandbox: SandboxObject,
  request: ClaimRequest,
  volumeMounts: Array<CsiMountConfig & { source: string }>,
): Promise<SandboxObject> {
  const address = runtimeAddressOf(sandbox);
  if (request.initRuntime && !address) throw new Error('the claimed sandbox has no address for its runtime');
  if (request.initRuntime && address) {
    await ctx.runtime.init(address, {
      envVars: request.initRuntime.envVars ?? {},
      accessToken: request.initRuntime.accessToken ?? '',
    });
  }
  if (volumeMounts.length > 0 && address) {
    await mountVolumes(ctx, address, request.initRuntime?.accessToken ?? '', volumeMounts);
  }
  return sandbox;
}
