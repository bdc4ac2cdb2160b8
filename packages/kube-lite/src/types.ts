import type { FieldError } from './errors';

/** The shapes the server works with. Objects are plain JSON; the server never keeps Go-like typed structs. */

export type JsonObject = { [key: string]: unknown };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** A JSON schema node of a CRD's structural schema (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: Array<{
    rule: string;
    message?: string;
    messageExpression?: string;
    reason?: string;
    fieldPath?: string;
    optionalOldSelf?: boolean;
  }>;
}

/** Hooks a built-in type plugs in where kube-apiserver has a per-type REST strategy. */
export interface Strategy {
  /** PUT on a missing object creates it (configmaps, secrets, leases...); custom resources and pods say no. */
  allowCreateOnUpdate?: boolean;
  /** PUT without metadata.resourceVersion overwrites; custom resources require it (422 otherwise). */
  allowUnconditionalUpdate?: boolean;
  /** How metadata.name is validated (DNS-1123 subdomain unless said otherwise). */
  nameRule?: 'subdomain' | 'label' | 'path';
  /** Called on create after metadata is filled in; may mutate obj (defaults, status reset). */
  prepareForCreate?(obj: KubeObject): void;
  /** Called on update of the main resource; may mutate obj (e.g. keep old status). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  validate?(obj: KubeObject, old: KubeObject | undefined, subresource?: string): FieldError[];
  /** Whether deleting this object starts graceful deletion instead of removing it (pods on a node). */
  gracefulDeleteSeconds?(obj: KubeObject, requested: number | undefined): number | undefined;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served. `status` splits writes between the main resource and /status, as kube does. */
  subresources: { status: boolean; scale?: ScaleSubresource; resize?: boolean; finalize?: boolean };
  /** Structural schema of a custom resource (validation, defaulting, pruning). */
  schema?: Schema;
  /** Printer columns beyond Name (custom resources; built-ins use `table`). */
  printerColumns: PrinterColumn[];
  /** Whether metadata.generation is kept (and bumped on non-metadata, non-status changes). */
  generation: boolean;
  /** Fields that are not `spec` for generation purposes: besides metadata and status (e.g. configmap data). */
  strategy: Strategy;
  /** Set for custom resources: the name of the CRD that serves them. */
  crd?: string;
  /** Patch metadata of a built-in type for strategic merge patch: JSON path (dots, [] for list items) → merge key. */
  mergeKeys?: Record<string, string>;
}

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function typeKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group || 'core'}/${t.plural}`;
}
