/**
 * Shapes shared by every kind: object metadata, conditions, pod templates, durations, timestamps.
 * Pod templates and PVC templates are typed for the fields this project reads and otherwise left open: the CRDs keep
 * them schemaless (x-kubernetes-preserve-unknown-fields), as Kubernetes validates pods itself.
 */
import { z } from 'zod';
import { GO_DURATION_PATTERN, isDuration, parseDuration } from '../duration';

/** Marks an object whose unknown fields the API server must keep (no pruning, no structural schema below it). */
export const PRESERVE_UNKNOWN = { 'x-kubernetes-preserve-unknown-fields': true } as const;

/** An RFC 3339 timestamp, as metav1.Time serialises. */
export const TimestampSchema = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' });

/** A Go-style duration string (`90s`, `1m`, `1h30m`; `-1` for never where a field allows it). */
export const DurationSchema = z
  .string()
  .regex(new RegExp(GO_DURATION_PATTERN), 'must be a duration such as "30s", "1m" or "1h30m"');

/** A duration of at least `min` (a Go duration too); the CRD carries the same rule in CEL. */
export function durationAtLeast(min: string) {
  const minMs = parseDuration(min);
  // A malformed value is reported by the pattern alone, not twice.
  return DurationSchema.refine((v) => !isDuration(v) || parseDuration(v) >= minMs, `must be ≥ ${min}`).meta({
    'x-kubernetes-validations': [
      { rule: `duration(self) >= duration('${min}')`, message: `must be greater than or equal to ${min}` },
    ],
  });
}

export const StringMapSchema = z.record(z.string(), z.string());

/** An integer or a percentage string, such as maxUnavailable's `1` or `"20%"`. */
export const IntOrStringSchema = z
  .union([z.int(), z.string().regex(/^[0-9]+%$/, 'must be an integer or a percentage such as "20%"')])
  .meta({ 'x-kubernetes-int-or-string': true });

export const OwnerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

/** metav1.ObjectMeta: the fields this project reads; the rest (managedFields, …) is kept as it is. */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: TimestampSchema.optional(),
  deletionTimestamp: TimestampSchema.optional(),
  deletionGracePeriodSeconds: z.int().optional(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/** metav1.Condition. */
export const ConditionSchema = z.object({
  type: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.int().optional(),
  lastTransitionTime: TimestampSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;
export const ConditionsSchema = z.array(ConditionSchema).meta({
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
});

export const LabelSelectorRequirementSchema = z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});
export const LabelSelectorSchema = z.object({
  matchLabels: StringMapSchema.optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

/** A resource quantity: `500m`, `1Gi`, or a plain number. */
export const QuantitySchema = z.union([z.int(), z.string()]).meta({ 'x-kubernetes-int-or-string': true });
export const ResourceRequirementsSchema = z.looseObject({
  requests: z.record(z.string(), QuantitySchema).optional(),
  limits: z.record(z.string(), QuantitySchema).optional(),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;

export const EnvVarSchema = z.looseObject({
  name: z.string().min(1),
  value: z.string().optional(),
  valueFrom: z.looseObject({}).optional(),
});

export const ProbeSchema = z.looseObject({
  httpGet: z.looseObject({ path: z.string().optional(), port: z.union([z.int(), z.string()]) }).optional(),
  tcpSocket: z.looseObject({ port: z.union([z.int(), z.string()]) }).optional(),
  exec: z.looseObject({ command: z.array(z.string()) }).optional(),
  initialDelaySeconds: z.int().optional(),
  periodSeconds: z.int().optional(),
  timeoutSeconds: z.int().optional(),
  successThreshold: z.int().optional(),
  failureThreshold: z.int().optional(),
});

export const ContainerSchema = z.looseObject({
  name: z.string().min(1),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  env: z.array(EnvVarSchema).optional(),
  ports: z
    .array(
      z.looseObject({
        containerPort: z.int().min(1).max(65535),
        name: z.string().optional(),
        protocol: z.string().optional(),
      }),
    )
    .optional(),
  resources: ResourceRequirementsSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  livenessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  volumeMounts: z.array(z.looseObject({ name: z.string(), mountPath: z.string() })).optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

export const PodSpecSchema = z.looseObject({
  containers: z.array(ContainerSchema).min(1, 'must have at least 1 container'),
  initContainers: z.array(ContainerSchema).optional(),
  volumes: z.array(z.looseObject({ name: z.string() })).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  terminationGracePeriodSeconds: z.int().min(0).optional(),
  activeDeadlineSeconds: z.int().optional(),
  nodeName: z.string().optional(),
  nodeSelector: StringMapSchema.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  serviceAccountName: z.string().optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

/** corev1.PodTemplateSpec. Schemaless in the CRD, typed here. */
export const PodTemplateSpecSchema = z
  .looseObject({
    metadata: z.looseObject({ labels: StringMapSchema.optional(), annotations: StringMapSchema.optional() }).optional(),
    spec: PodSpecSchema,
  })
  .meta(PRESERVE_UNKNOWN);
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;

/** corev1.PersistentVolumeClaim templates: schemaless in the CRD. */
export const PersistentVolumeClaimTemplateSchema = z
  .looseObject({
    metadata: z.looseObject({ name: z.string().min(1) }),
    spec: z.looseObject({}).optional(),
  })
  .meta(PRESERVE_UNKNOWN);
export const VolumeClaimTemplatesSchema = z.array(PersistentVolumeClaimTemplateSchema);

/** A reference to a SandboxTemplate in the same namespace. */
export const TemplateRefSchema = z.object({
  name: z.string().min(1),
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
});
export type TemplateRef = z.infer<typeof TemplateRefSchema>;

/** Which parts of a sandbox survive a pause or an upgrade. */
export const PersistentContentsSchema = z.array(z.enum(['ip', 'memory', 'filesystem'])).meta({
  'x-kubernetes-list-type': 'atomic',
});

/** Sidecar runtimes injected into the sandbox's pod. */
export const RuntimesSchema = z.array(z.object({ name: z.enum(['agent-runtime', 'csi', 'traffic-proxy']) })).meta({
  'x-kubernetes-list-type': 'atomic',
});

/**
 * How a sandbox is paused. Stop deletes the pod and keeps the Sandbox (its identity, not its memory); Freeze stops the
 * pod's processes in place and keeps memory, where the node supports it (the local node does).
 */
export const PauseStrategySchema = z.object({
  type: z.enum(['Stop', 'Freeze', 'Hibernate']).default('Stop'),
  hibernateStrategy: z.object({ type: z.enum(['Snapshot']).optional() }).optional(),
});
export type PauseStrategy = z.infer<typeof PauseStrategySchema>;

/** A Kubernetes object name (DNS subdomain). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const ObjectNameSchema = z
  .string()
  .max(253, 'must be no more than 253 characters')
  .regex(DNS_SUBDOMAIN, 'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-" and ".")');
