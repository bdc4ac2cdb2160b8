/**
 * The label, annotation and finalizer keys that the operator, the gateway and users agree on.
 * Code never spells these keys as literals elsewhere: it imports them from here.
 */

/** The API group's own prefix for labels, annotations and finalizers. */
export const PREFIX = 'agents.kruise.io/';
/** The prefix of the E2B extension keys (request metadata that steers the claim and is not stored as metadata). */
export const E2B_PREFIX = 'e2b.agents.kruise.io/';

export const Labels = {
  /** The SandboxSet that created the sandbox; never removed, so a sandbox can always be traced to its pool. */
  SandboxPool: 'agents.kruise.io/sandbox-pool',
  /** The template the sandbox was made from (templateRef name, else the SandboxSet name); the claim pool index key. */
  SandboxTemplate: 'agents.kruise.io/sandbox-template',
  /** "false" while in the warm pool, "true" once claimed. Part of the SandboxSet's selector. */
  SandboxClaimed: 'agents.kruise.io/sandbox-claimed',
  /** The SandboxClaim that claimed the sandbox. */
  ClaimName: 'agents.kruise.io/claim-name',
  /** The SandboxSet's status.updateRevision when the sandbox was created; drives rolling updates. */
  TemplateHash: 'agents.kruise.io/template-hash',
  /** "true" on a sandbox whose claim failed and which is kept for debugging; never counted, never deleted. */
  ReservedFailedSandbox: 'agents.kruise.io/reserved-failed-sandbox',
  /** The short, DNS-label-safe sandbox ID that the E2B API hands out. */
  SandboxId: 'agents.kruise.io/sandbox-id',
  /** Pod-template labels that traffic policies select on. */
  SandboxName: 'agents.kruise.io/sandbox-name',
  AllowInternetAccess: 'agents.kruise.io/allow-internet-access',
  /** On a claimed sandbox's pod template: the claimer (a SandboxClaim UID or an API key ID). */
  Owner: 'agents.kruise.io/owner',
  /** On the pod: who created it ("sandbox"). */
  CreatedBy: 'agents.kruise.io/created-by',
  /** On the pod: the hash of the sandbox's pod template. */
  PodTemplateHash: 'pod-template-hash',
} as const;

export const Annotations = {
  /** A UUID written by whoever takes exclusive ownership (a claim, or a scale-down delete). Locked sandboxes are skipped. */
  Lock: 'agents.kruise.io/lock',
  /** The owner: the claim's UID, or ScaleDownOwner when the pool itself deletes the sandbox. */
  Owner: 'agents.kruise.io/owner',
  /** RFC 3339 time at which the sandbox was claimed. */
  ClaimTimestamp: 'agents.kruise.io/claim-timestamp',
  /** JSON of the runtime /init request, replayed when the sandbox's pod is recreated (resume). */
  InitRuntimeRequest: 'agents.kruise.io/init-runtime-request',
  /** The per-sandbox access token of the agent-runtime. */
  RuntimeAccessToken: 'agents.kruise.io/runtime-access-token',
  /** The agent-runtime's base URL; the fallback is http://<podIP>:49983. */
  RuntimeUrl: 'agents.kruise.io/runtime-url',
  /** JSON {labels: [...], annotations: [...]} of the user keys a claim added. */
  UpdatedMetadataInClaim: 'agents.kruise.io/updated-metadata-in-claim',
  /** An integer; > 0 means high priority. */
  SandboxPriority: 'agents.kruise.io/sandbox-priority',
  /** A Go duration (or "forever") for which a paused sandbox is kept. */
  ReservePausedSandboxDuration: 'agents.kruise.io/reserve-paused-sandbox-duration',
  /** On the pod: JSON state of a claim-time in-place image/resources update. */
  InplaceUpdateState: 'agents.kruise.io/inplace-update-state',
  /** What happens when an E2B sandbox's timeout ends: "kill" (delete, the default) or "pause" (E2B auto-pause). */
  OnTimeout: 'agents.kruise.io/on-timeout',
  /** Recycling back into the pool: the capability flag, the trigger, and the retention after a failed recycle. */
  CleanupEnabled: 'agents.kruise.io/cleanup-enabled',
  Cleanup: 'agents.kruise.io/cleanup',
  CleanupRetainOnFailure: 'agents.kruise.io/cleanup-retain-on-failure',
  /** Write-once: the runtime speaks HTTPS on this port. */
  RuntimeTlsPort: 'agents.kruise.io/runtime-tls-port',
  /** Write-once hash of the pod template without labels, annotations, image and resources (in-place update guard). */
  HashImmutablePart: 'sandbox.agents.kruise.io/hash-immutable-part',
  /** JSON array of the dynamic CSI mounts a claim asked for, replayed when the sandbox's pod is recreated. */
  CsiVolumeConfig: 'e2b.agents.kruise.io/csi-volume-config',
} as const;

/** Annotations a recycle back into the pool clears: everything that tied the sandbox to its last claimer. */
export const AnnotationsClearedOnRecycle: readonly string[] = [
  Annotations.ClaimTimestamp,
  Annotations.Lock,
  Annotations.Owner,
  Annotations.InitRuntimeRequest,
  Annotations.RuntimeAccessToken,
  Annotations.Cleanup,
  Annotations.CleanupRetainOnFailure,
  Annotations.CsiVolumeConfig,
  Annotations.SandboxPriority,
  Annotations.RuntimeUrl,
  Annotations.OnTimeout,
];

/** Internal keys a SandboxSet keeps when it copies its pod template's metadata onto a new sandbox. */
export const InternalKeysPreservedOnCreation: readonly string[] = [
  Annotations.CleanupEnabled,
  Annotations.CleanupRetainOnFailure,
];

/**
 * The Freeze pause contract between the operator and a node: the operator sets the annotation on the sandbox's pod,
 * the node stops every process of the pod (memory kept) and reports the pod condition; removing the annotation thaws.
 */
export const PodFreeze = {
  Annotation: 'agents.kruise.io/frozen',
  Condition: 'Frozen',
} as const;

/** The Owner annotation's value when the SandboxSet deletes a pool member itself (scale-down, rolling update). */
export const ScaleDownOwner = '__manager_scale_down';

export const Finalizers = {
  /** Held while a sandbox is paused, so its identity outlives a deleted pod. */
  Sandbox: 'agents.kruise.io/sandbox',
  Checkpoint: 'agents.kruise.io/checkpoint',
} as const;

/**
 * E2B extension keys: request-metadata keys that steer the claim. They are consumed by the gateway and never stored as
 * sandbox metadata (annotations).
 */
export const E2bExtensionKeys = {
  /** Replace the first container's image in place at claim time. */
  Image: 'e2b.agents.kruise.io/image',
  /** A PersistentVolume to mount into the sandbox through the agent-runtime... */
  CsiVolumeName: 'e2b.agents.kruise.io/csi-volume-name',
  /** ...at this path... */
  CsiMountPoint: 'e2b.agents.kruise.io/csi-mount-point',
  /** ...optionally from this sub-path of the volume. */
  CsiSubpath: 'e2b.agents.kruise.io/csi-subpath',
  ClaimTimeoutSeconds: 'e2b.agents.kruise.io/claim-timeout-seconds',
  WaitReadyTimeoutSeconds: 'e2b.agents.kruise.io/wait-ready-timeout-seconds',
  CpuRequest: 'e2b.agents.kruise.io/cpu-request',
  CpuLimit: 'e2b.agents.kruise.io/cpu-limit',
  SkipInitRuntime: 'e2b.agents.kruise.io/skip-init-runtime',
  ReserveFailedSandbox: 'e2b.agents.kruise.io/reserve-failed-sandbox',
  ReservePausedSandboxDuration: 'e2b.agents.kruise.io/reserve-paused-sandbox-duration',
  CreateOnNoStock: 'e2b.agents.kruise.io/create-on-no-stock',
  NeverTimeout: 'e2b.agents.kruise.io/never-timeout',
  SandboxName: 'e2b.agents.kruise.io/sandbox-name',
} as const;

/** True for keys that belong to the platform (our prefixes), which users may not set as sandbox metadata. */
export function isInternalKey(key: string): boolean {
  return key.startsWith(PREFIX) || key.startsWith(E2B_PREFIX);
}
