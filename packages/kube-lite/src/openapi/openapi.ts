/**
 * OpenAPI v3, per group-version, as kube-apiserver publishes it: enough for `kubectl explain` on custom resources
 * (their schemas, with x-kubernetes-group-version-kind) and for kubectl to see that the server validates fields
 * itself (a fieldValidation parameter on each PATCH operation), so `kubectl apply` sends fieldValidation=Strict.
 * Built-in kinds get paths but no component schemas, so kubectl computes their patches from its own Go types.
 */
import { createHash } from 'node:crypto';
import type { Registry } from '../registry/registry';
import type { ResourceType, Schema } from '../types';
import { apiVersionOf } from '../types';
import { clone, isObject } from '../util/json';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const OBJECT_META: Schema & Record<string, unknown> = {
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    generateName: { type: 'string', description: 'An optional prefix used by the server to generate a unique name.' },
    namespace: { type: 'string', description: 'Namespace defines the space within which each name must be unique.' },
    uid: { type: 'string', description: 'UID is the unique in time and space value for this object.' },
    resourceVersion: {
      type: 'string',
      description: 'An opaque value that represents the internal version of this object.',
    },
    generation: {
      type: 'integer',
      format: 'int64',
      description: 'A sequence number representing a specific generation of the desired state.',
    },
    creationTimestamp: { type: 'string', format: 'date-time', description: 'The time this object was created.' },
    deletionTimestamp: { type: 'string', format: 'date-time', description: 'The time this resource will be deleted.' },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Map of string keys and values that can be used to organize and categorize objects.',
    },
    annotations: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Annotations is an unstructured key value map.',
    },
    finalizers: {
      type: 'array',
      items: { type: 'string' },
      description: 'Must be empty before the object is deleted from the registry.',
    },
    ownerReferences: {
      type: 'array',
      description: 'List of objects depended by this object.',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
};

function schemaName(t: ResourceType, kind = t.kind): string {
  const group = t.group ? t.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${group}.${t.version}.${kind}`;
}

function gvk(t: ResourceType, kind = t.kind): Record<string, string> {
  return { group: t.group, version: t.version, kind };
}

function params(...names: string[]): unknown[] {
  return names.map((name) => ({
    name,
    in: 'query',
    schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
  }));
}

const WRITE_PARAMS = params('dryRun', 'fieldManager', 'fieldValidation');
const PATCH_PARAMS = params('dryRun', 'fieldManager', 'fieldValidation', 'force');
const LIST_PARAMS = params(
  'labelSelector',
  'fieldSelector',
  'limit',
  'continue',
  'resourceVersion',
  'resourceVersionMatch',
  'timeoutSeconds',
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
);

function op(t: ResourceType, action: string, id: string, ref: string, parameters: unknown[], kind = t.kind): unknown {
  return {
    operationId: id,
    parameters,
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
      },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(t, kind),
  };
}

function pathsFor(t: ResourceType): Record<string, unknown> {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const scope = t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}` : `${base}/${t.plural}`;
  const ref = schemaName(t);
  const listRef = schemaName(t, t.listKind);
  const id = `${t.kind}${t.version}`;
  const item = {
    get: op(t, 'get', `read${id}`, ref, []),
    put: op(t, 'put', `replace${id}`, ref, WRITE_PARAMS),
    patch: op(t, 'patch', `patch${id}`, ref, PATCH_PARAMS),
    delete: op(t, 'delete', `delete${id}`, ref, params('dryRun', 'gracePeriodSeconds', 'propagationPolicy')),
  };
  const paths: Record<string, unknown> = {
    [scope]: {
      get: op(t, 'list', `list${id}`, listRef, LIST_PARAMS),
      post: op(t, 'post', `create${id}`, ref, WRITE_PARAMS),
      delete: op(t, 'deletecollection', `deletecollection${id}`, ref, LIST_PARAMS),
    },
    [`${scope}/{name}`]: item,
  };
  if (t.namespaced)
    paths[`${base}/${t.plural}`] = { get: op(t, 'list', `list${id}ForAllNamespaces`, listRef, LIST_PARAMS) };
  if (t.subresources.status) {
    paths[`${scope}/{name}/status`] = {
      get: op(t, 'get', `read${id}Status`, ref, []),
      put: op(t, 'put', `replace${id}Status`, ref, WRITE_PARAMS),
      patch: op(t, 'patch', `patch${id}Status`, ref, PATCH_PARAMS),
    };
  }
  return paths;
}

/** A CRD's schema as published: metadata points at ObjectMeta, and the schema names its GVK. */
function publishedSchema(t: ResourceType): Record<string, unknown> {
  const s = clone(t.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Record<
    string,
    unknown
  >;
  const props = (isObject(s.properties) ? s.properties : (s.properties = {})) as Record<string, unknown>;
  props.metadata = {
    allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  s['x-kubernetes-group-version-kind'] = [gvk(t)];
  return s;
}

export function groupVersionDocument(registry: Registry, group: string, version: string): unknown | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = {
    [`${META}.ObjectMeta`]: OBJECT_META,
    [`${META}.ListMeta`]: {
      type: 'object',
      properties: {
        resourceVersion: { type: 'string' },
        continue: { type: 'string' },
        remainingItemCount: { type: 'integer', format: 'int64' },
      },
    },
  };
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    Object.assign(paths, pathsFor(t));
    if (!t.crd) continue;
    schemas[schemaName(t)] = publishedSchema(t);
    schemas[schemaName(t, t.listKind)] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        items: { type: 'array', items: { $ref: `#/components/schemas/${schemaName(t)}` } },
        metadata: { allOf: [{ $ref: `#/components/schemas/${META}.ListMeta` }] },
      },
      'x-kubernetes-group-version-kind': [gvk(t, t.listKind)],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

/** The /openapi/v3 index; each URL carries a content hash so kubectl may cache it forever. */
export function openApiIndex(registry: Registry): unknown {
  const paths: Record<string, unknown> = {};
  const gvs = new Set(registry.all().map((t) => apiVersionOf(t)));
  for (const gv of gvs) {
    const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
    const doc = groupVersionDocument(registry, group!, version!);
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
