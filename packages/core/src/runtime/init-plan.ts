/**
 * What a sandbox's agent-runtime is to be sent, and whether a claim sends anything at all.
 *
 * The claim lock records the set-up once, in two annotations (init-runtime-request: the /init body with the access
 * token; csi-volume-config: the dynamic mounts). Whoever initialises the runtime — the claim right after the lock, the
 * Sandbox controller after the pod was recreated — reads it back from there with recordedRuntimeInit, so the first
 * /init and every replay send the same thing.
 */
import {
  Annotations,
  CsiVolumeConfigSchema,
  InitRuntimeRequestSchema,
  type CsiMountConfig,
  type Sandbox,
  type SandboxClaim,
  type SandboxSet,
} from '@kruise-agents/api';
import { CoreError } from '../errors';

/** The body of the runtime's POST /init. */
export interface RuntimeInitRequest {
  envVars: Record<string, string>;
  accessToken: string;
}

export interface RuntimeInitPlan {
  /** The /init to send; absent when the claim skipped the runtime init (then there are no mounts either). */
  init?: RuntimeInitRequest;
  /** Dynamic CSI mounts, in order. */
  mounts: CsiMountConfig[];
}

/** The part of a zod schema used here (core takes its schemas from @kruise-agents/api and does not import zod). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
}

function parseAnnotation<T>(sandbox: Pick<Sandbox, 'metadata'>, key: string, schema: Schema<T>): T | undefined {
  const raw = sandbox.metadata.annotations?.[key];
  if (raw === undefined || raw === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CoreError('InvalidAnnotation', `annotation ${key} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new CoreError('InvalidAnnotation', `annotation ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * The runtime set-up recorded on the sandbox, or undefined when nothing was recorded (a pool member, a claim that
 * skipped the runtime). Throws CoreError InvalidAnnotation when an annotation is not the documented JSON.
 */
export function recordedRuntimeInit(sandbox: Pick<Sandbox, 'metadata'>): RuntimeInitPlan | undefined {
  const request = parseAnnotation(sandbox, Annotations.InitRuntimeRequest, InitRuntimeRequestSchema);
  const mounts = parseAnnotation(sandbox, Annotations.CsiVolumeConfig, CsiVolumeConfigSchema) ?? [];
  if (!request && mounts.length === 0) return undefined;
  return {
    ...(request && { init: { envVars: request.envVars ?? {}, accessToken: request.accessToken ?? '' } }),
    mounts,
  };
}

/** True when the sandbox records something to send to its runtime (cheap: no parsing). */
export function hasRecordedRuntimeInit(sandbox: Pick<Sandbox, 'metadata'>): boolean {
  const annotations = sandbox.metadata.annotations;
  return !!annotations?.[Annotations.InitRuntimeRequest] || !!annotations?.[Annotations.CsiVolumeConfig];
}

/** The init container the reference injects the agent-runtime as. */
export const RUNTIME_INIT_CONTAINER = 'runtime';

/** True when the pool's sandboxes run the agent-runtime by declaration (reference: spec.runtimes or a `runtime` init container). */
export function declaresAgentRuntime(set: Pick<SandboxSet, 'spec'>): boolean {
  return (
    (set.spec.runtimes ?? []).some((r) => r.name === 'agent-runtime') ||
    (set.spec.template?.spec.initContainers ?? []).some((c) => c.name === RUNTIME_INIT_CONTAINER)
  );
}

export type ClaimRuntimeInit =
  | { initRuntime: boolean }
  /** The claim asks for something that cannot be done; no sandbox is claimed for it. */
  | { invalid: string };

/**
 * Whether a SandboxClaim initialises the runtime of each sandbox it claims (an /init with its envVars and a fresh
 * access token per sandbox, then its dynamic mounts):
 * - never with skipInitRuntime; dynamic mounts then make the claim invalid, as they go through the runtime;
 * - when the pool declares the agent-runtime (the reference's rule);
 * - also when the claim asks for what only the runtime can do (envVars, mounts): a pool that does not declare the
 *   runtime may still run one (the local node runs it for any image it has no entry for), and an /init that fails
 *   shows on the sandbox and the claim, where the reference would drop the envVars silently.
 */
export function claimRuntimeInit(claim: Pick<SandboxClaim, 'spec'>, set: Pick<SandboxSet, 'spec'>): ClaimRuntimeInit {
  const { spec } = claim;
  const mounts = spec.dynamicVolumesMount?.length ?? 0;
  if (spec.skipInitRuntime) {
    return mounts > 0
      ? { invalid: 'dynamicVolumesMount needs the runtime init: it cannot be combined with skipInitRuntime' }
      : { initRuntime: false };
  }
  const asked = Object.keys(spec.envVars ?? {}).length > 0 || mounts > 0;
  return { initRuntime: asked || declaresAgentRuntime(set) };
}
