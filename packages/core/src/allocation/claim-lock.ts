/**
 * The claim lock: the one replacement Sandbox object that turns a warm pool member into a claimed sandbox. Sent as an
 * update carrying the cached resourceVersion, it is the double-allocation guard: when two claimers race, the API server
 * accepts one update and answers 409 Conflict to the other.
 */
import {
  Annotations,
  Labels,
  ScaleDownOwner,
  getSandboxState,
  isInternalKey,
  type Container,
  type CsiMountConfig,
  type Sandbox,
  type SandboxClaim,
} from '@kruise-agents/api';
import { CoreError } from '../errors';
import { formatTime, parseTime, toMs, type Instant } from '../time';

/** What a claimer asks of each sandbox it claims; built from a SandboxClaim or by the gateway. */
export interface ClaimRequest {
  /** Written as the owner annotation and pod-template label: a claim's UID, or the gateway's owner id. */
  ownerUid: string;
  /** The SandboxClaim's name, written as the claim-name label. */
  claimName?: string;
  /** Added to the sandbox's labels and to its pod template's labels. */
  labels?: Record<string, string>;
  /** Added to the sandbox's annotations; keys outside our prefixes also go to the pod template's annotations. */
  annotations?: Record<string, string>;
  /** spec.shutdownTime of the claimed sandbox (RFC 3339); absent means none. */
  shutdownTime?: string;
  /** spec.pauseTime of the claimed sandbox (RFC 3339); absent means none. */
  pauseTime?: string;
  /** A new image for the first container, updated in place (inline templates only). */
  image?: string;
  /**
   * New CPU requests/limits for the first container, resized in place (inline templates only). Only a CPU value the
   * template already sets (non-zero) is replaced: a resize never adds a request or limit, which would change the QoS.
   */
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  /** The agent-runtime /init request, persisted so it can be replayed when the pod is recreated. */
  initRuntime?: { envVars?: Record<string, string>; accessToken?: string };
  /** Dynamic CSI mounts, persisted as the mount intent. */
  csiMounts?: readonly CsiMountConfig[];
  /**
   * The platform-assigned sandbox ID (the E2B API's), written as the sandbox-id label in the claim's one write. Only
   * the platform sets it: user labels and annotations may not.
   */
  sandboxId?: string;
}

export interface ClaimLockOptions {
  now: Instant;
  /** One id per claim pass, written as the lock annotation. */
  lockId: string;
}

/** The value of the priority annotation on sandboxes a claim creates because the pool was empty. */
export const CLAIM_CREATED_PRIORITY = '100';

/** The claim request of a SandboxClaim. */
export function claimRequestFromClaim(claim: SandboxClaim, options: { accessToken?: string } = {}): ClaimRequest {
  const { spec } = claim;
  return {
    ownerUid: claim.metadata.uid ?? '',
    claimName: claim.metadata.name,
    labels: spec.labels,
    annotations: spec.annotations,
    shutdownTime: spec.shutdownTime,
    image: spec.inplaceUpdate?.image,
    resources: spec.inplaceUpdate?.resources,
    initRuntime: spec.skipInitRuntime ? undefined : { envVars: spec.envVars, accessToken: options.accessToken },
    csiMounts: spec.dynamicVolumesMount,
  };
}

/** True when a claim may take `sandbox`: available in its pool, not locked, not kept as a failed claim. */
export function isClaimable(sandbox: Sandbox, now: Instant): boolean {
  const { labels, annotations } = sandbox.metadata;
  return (
    getSandboxState(sandbox, toMs(now)) === 'available' &&
    !annotations?.[Annotations.Lock] &&
    labels?.[Labels.ReservedFailedSandbox] !== 'true' &&
    labels?.[Labels.SandboxClaimed] !== 'true'
  );
}

/**
 * The claimed sandbox, to be written as one update carrying `sandbox`'s resourceVersion:
 * - labels: sandbox-claimed=true, claim-name (when a claim), plus request.labels;
 * - annotations: request.annotations, then lock, owner, claim-timestamp (RFC 3339, to the second), the init-runtime
 *   request and access token, the CSI mount intent, and updated-metadata-in-claim (the user keys added, so a recycle
 *   can remove them);
 * - ownerReferences emptied (the sandbox leaves its pool, which then replenishes);
 * - spec.shutdownTime and spec.pauseTime set from the request (each cleared when the request has none);
 * - an inline pod template gets request.labels and the owner label, request.annotations outside our prefixes, and
 *   request.image and request.resources (CPU, where already set) in its first container.
 * - the sandbox-id label, when the platform assigns one (request.sandboxId).
 * Throws CoreError InvalidClaimRequest when the request's labels or annotations set the sandbox-id key.
 */
export function buildClaimLock(sandbox: Sandbox, request: ClaimRequest, options: ClaimLockOptions): Sandbox {
  if (request.labels?.[Labels.SandboxId] !== undefined || request.annotations?.[Labels.SandboxId] !== undefined) {
    throw new CoreError('InvalidClaimRequest', `a claim may not set ${Labels.SandboxId}: the platform assigns it`);
  }
  const next = copyForLock(sandbox);
  const { metadata, spec } = next;
  const userLabels = request.labels ?? {};
  const userAnnotations = request.annotations ?? {};

  metadata.labels = { ...metadata.labels, ...userLabels, [Labels.SandboxClaimed]: 'true' };
  if (request.claimName) metadata.labels[Labels.ClaimName] = request.claimName;
  if (request.sandboxId) metadata.labels[Labels.SandboxId] = request.sandboxId;

  const annotations: Record<string, string> = { ...metadata.annotations, ...userAnnotations };
  annotations[Annotations.Lock] = options.lockId;
  annotations[Annotations.Owner] = request.ownerUid;
  annotations[Annotations.ClaimTimestamp] = formatTime(options.now);
  if (request.initRuntime) {
    annotations[Annotations.InitRuntimeRequest] = JSON.stringify({
      envVars: request.initRuntime.envVars ?? {},
      accessToken: request.initRuntime.accessToken ?? '',
    });
    if (request.initRuntime.accessToken) annotations[Annotations.RuntimeAccessToken] = request.initRuntime.accessToken;
  }
  if (request.csiMounts && request.csiMounts.length > 0) {
    annotations[Annotations.CsiVolumeConfig] = JSON.stringify(request.csiMounts);
  }
  annotations[Annotations.UpdatedMetadataInClaim] = JSON.stringify({
    labels: Object.keys(userLabels).sort(),
    annotations: Object.keys(userAnnotations).sort(),
  });
  metadata.annotations = annotations;
  metadata.ownerReferences = [];

  setOrDelete(spec, 'shutdownTime', normaliseTime(request.shutdownTime));
  setOrDelete(spec, 'pauseTime', normaliseTime(request.pauseTime));

  if (spec.template) {
    const templateMeta = (spec.template.metadata ??= {});
    templateMeta.labels = { ...templateMeta.labels, ...userLabels, [Annotations.Owner]: request.ownerUid };
    const podAnnotations = Object.entries(userAnnotations).filter(([key]) => !isInternalKey(key));
    if (podAnnotations.length > 0) {
      templateMeta.annotations = { ...templateMeta.annotations, ...Object.fromEntries(podAnnotations) };
    }
    const first = spec.template.spec.containers[0];
    if (request.image && first) first.image = request.image;
    if (request.resources && first) resizeCpu(first, request.resources);
  }
  return next;
}

/**
 * A copy of `sandbox` in which every part buildClaimLock changes is the copy's own and the rest is shared: the lock is
 * built on the claim's hot path, where a deep copy of the whole object (its pod template above all) cost more than
 * the rest of the decision.
 */
function copyForLock(sandbox: Sandbox): Sandbox {
  const next: Sandbox = { ...sandbox, metadata: { ...sandbox.metadata }, spec: { ...sandbox.spec } };
  const template = sandbox.spec.template;
  if (template) {
    const [first, ...rest] = template.spec.containers;
    next.spec.template = {
      ...template,
      metadata: { ...template.metadata },
      spec: {
        ...template.spec,
        containers: first ? [{ ...first, resources: copyResources(first.resources) }, ...rest] : [],
      },
    };
  }
  return next;
}

function copyResources(resources: Container['resources']): Container['resources'] {
  if (!resources) return resources;
  const copy = { ...resources };
  if (resources.requests) copy.requests = { ...resources.requests };
  if (resources.limits) copy.limits = { ...resources.limits };
  return copy;
}

/**
 * A sandbox created directly for a claim because the pool had no stock: the pool sandbox (buildPoolSandbox) locked as
 * claimed, with no owner and the high-priority annotation. Sent as a create.
 */
export function buildClaimedNewSandbox(
  poolSandbox: Sandbox,
  request: ClaimRequest,
  options: ClaimLockOptions,
): Sandbox {
  const next = buildClaimLock(poolSandbox, request, options);
  next.metadata.annotations = { ...next.metadata.annotations, [Annotations.SandboxPriority]: CLAIM_CREATED_PRIORITY };
  return next;
}

/** The pool member locked for deletion by its SandboxSet (scale-down or rolling update), to be sent as an RV update. */
export function buildDeleteLock(sandbox: Sandbox, options: { lockId: string }): Sandbox {
  const next = structuredClone(sandbox);
  next.metadata.annotations = {
    ...next.metadata.annotations,
    [Annotations.Lock]: options.lockId,
    [Annotations.Owner]: ScaleDownOwner,
  };
  return next;
}

/** What to do with a sandbox whose claim failed after the lock: keep it for debugging, or delete it. */
export type ClaimFailureAction = { action: 'delete' } | { action: 'reserve'; sandbox: Sandbox };

/**
 * `reserveForMs`: 0 (or less) deletes; Infinity keeps the sandbox labelled reserved-failed (timers untouched); a
 * positive duration keeps it labelled and sets shutdownTime = now + duration.
 */
export function claimFailureAction(
  sandbox: Sandbox,
  options: { now: Instant; reserveForMs: number },
): ClaimFailureAction {
  if (!(options.reserveForMs > 0)) return { action: 'delete' };
  const next = structuredClone(sandbox);
  next.metadata.labels = { ...next.metadata.labels, [Labels.ReservedFailedSandbox]: 'true' };
  if (Number.isFinite(options.reserveForMs)) {
    next.spec.shutdownTime = formatTime(toMs(options.now) + options.reserveForMs);
  }
  return { action: 'reserve', sandbox: next };
}

function resizeCpu(container: Container, resources: NonNullable<ClaimRequest['resources']>): void {
  for (const kind of ['requests', 'limits'] as const) {
    const wanted = resources[kind]?.cpu;
    const current = container.resources?.[kind];
    if (wanted === undefined || !current || !isNonZero(current.cpu)) continue;
    current.cpu = wanted;
  }
}

function isNonZero(quantity: string | number | undefined): boolean {
  return quantity !== undefined && quantity !== '' && !/^[+-]?0*(\.0*)?[a-zA-Z]*$/.test(String(quantity));
}

function normaliseTime(text: string | undefined): string | undefined {
  const ms = parseTime(text);
  return ms === undefined ? undefined : formatTime(ms);
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
