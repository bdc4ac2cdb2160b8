/** Sandbox objects as the E2B API shows them. Pure: the clock, domain and daemon version are arguments. */
import { Annotations, Labels, getSandboxState, isConditionTrue, isInternalKey, type Sandbox } from '@kruise-agents/api';
import { sandboxSize } from './resources';
import { sandboxIdOf } from './sandbox-id';
import { timeoutPolicyOf } from './timeouts';
import type { E2bState, ListedSandbox, SandboxDetail, SandboxResponse } from './schemas/responses';

/** E2B's "no end": a sandbox that never times out. */
export const NEVER = '0001-01-01T00:00:00Z';

export interface E2bView {
  now: number;
  /** The domain sandboxes are reached under (`E2B_DOMAIN`); null to let the SDK use its own. */
  domain: string | null;
  /** The agent-runtime's envd version, a semver. */
  envdVersion: string;
}

/** The E2B template of a sandbox: the SandboxSet it came from. */
export function templateIdOf(sandbox: Pick<Sandbox, 'metadata'>): string {
  const labels = sandbox.metadata.labels ?? {};
  return labels[Labels.SandboxPool] ?? labels[Labels.SandboxTemplate] ?? '';
}

/**
 * `running` or `paused` for a claimed sandbox the E2B API shows; undefined for one it does not (still creating,
 * a pool member, gone, or kept after a failed claim).
 */
export function e2bStateOf(sandbox: Sandbox, now: number): E2bState | undefined {
  if (sandbox.metadata.labels?.[Labels.ReservedFailedSandbox] === 'true') return undefined;
  if (sandbox.metadata.labels?.[Labels.SandboxClaimed] !== 'true') return undefined;
  const state = getSandboxState(sandbox, now);
  if (state === 'running') return 'running';
  if (state === 'paused') return 'paused';
  // Claimed, Running but briefly not Ready (an in-place image change, say): still the user's running sandbox.
  if (state === 'dead' && sandbox.status?.phase === 'Running' && !sandbox.metadata.deletionTimestamp) {
    const shutdown = sandbox.spec.shutdownTime;
    if (!shutdown || Date.parse(shutdown) > now) return 'running';
  }
  return undefined;
}

/** True once a claimed sandbox is Running and Ready: what a create waits for. */
export function isServing(sandbox: Sandbox): boolean {
  return (
    sandbox.status?.phase === 'Running' && isConditionTrue(sandbox.status.conditions, 'Ready') && !sandbox.spec.paused
  );
}

/** The user's metadata: the annotations a claim recorded as the user's own. */
export function userMetadataOf(sandbox: Pick<Sandbox, 'metadata'>): Record<string, string> {
  const annotations = sandbox.metadata.annotations ?? {};
  const keys = userMetadataKeys(sandbox);
  const out: Record<string, string> = {};
  // Platform keys a claim wrote alongside the user's (timeout action, retention) are never the user's metadata.
  for (const key of keys) if (annotations[key] !== undefined && !isInternalKey(key)) out[key] = annotations[key];
  return out;
}

function userMetadataKeys(sandbox: Pick<Sandbox, 'metadata'>): string[] {
  const record = sandbox.metadata.annotations?.[Annotations.UpdatedMetadataInClaim];
  if (!record) return [];
  try {
    const parsed = JSON.parse(record) as { annotations?: unknown };
    return Array.isArray(parsed.annotations)
      ? parsed.annotations.filter((k): k is string => typeof k === 'string')
      : [];
  } catch {
    return [];
  }
}

export function startedAtOf(sandbox: Pick<Sandbox, 'metadata'>): string {
  return sandbox.metadata.annotations?.[Annotations.ClaimTimestamp] ?? sandbox.metadata.creationTimestamp ?? NEVER;
}

export function toListedSandbox(sandbox: Sandbox, state: E2bState, view: Pick<E2bView, 'envdVersion'>): ListedSandbox {
  return {
    sandboxID: sandboxIdOf(sandbox),
    templateID: templateIdOf(sandbox),
    clientID: '',
    metadata: userMetadataOf(sandbox),
    startedAt: startedAtOf(sandbox),
    endAt: sandbox.spec.pauseTime ?? sandbox.spec.shutdownTime ?? NEVER,
    state,
    ...sandboxSize(sandbox.spec.template),
    envdVersion: view.envdVersion,
  };
}

export function toSandboxDetail(sandbox: Sandbox, state: E2bState, view: E2bView): SandboxDetail {
  const token = sandbox.metadata.annotations?.[Annotations.RuntimeAccessToken];
  return {
    ...toListedSandbox(sandbox, state, view),
    ...(token ? { envdAccessToken: token } : {}),
    domain: view.domain,
    lifecycle: { onTimeout: timeoutPolicyOf(sandbox).onTimeout, autoResume: false },
  };
}

/** The answer to create (201) and connect: what the SDK needs to reach the sandbox. */
export function toSandboxResponse(sandbox: Sandbox, view: E2bView, accessToken?: string): SandboxResponse {
  const token = accessToken ?? sandbox.metadata.annotations?.[Annotations.RuntimeAccessToken];
  return {
    sandboxID: sandboxIdOf(sandbox),
    templateID: templateIdOf(sandbox),
    clientID: '',
    envdVersion: view.envdVersion,
    ...(token ? { envdAccessToken: token } : {}),
    domain: view.domain,
  };
}
