/**
 * Create, update and delete with kube-apiserver's object semantics: generated names, uids, one global
 * resourceVersion, optimistic concurrency, generation bumped on spec changes only, the status subresource split,
 * finalizers holding a deletion, and graceful deletion. Independent of HTTP: the controllers write through it too.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, errors, fieldErrors } from '../errors';
import { CRD_TYPE_KEY, type Registry } from '../registry/registry';
import type { Store } from '../storage/store';
import type { KubeObject, ResourceType } from '../types';
import { typeKey } from '../types';
import { clone, deepEqual, isObject, nowTimestamp, randomSuffix } from '../util/json';
import { checkBody, decodeCustomResource, validateObject, type WriteOptions } from './admit';

export interface Ctx {
  store: Store;
  registry: Registry;
}

export type Subresource = 'status' | 'resize' | 'finalize' | undefined;

export function getObject(ctx: Ctx, type: ResourceType, namespace: string, name: string): KubeObject {
  const obj = ctx.store.get(typeKey(type), type.namespaced ? namespace : '', name);
  if (!obj) throw errors.notFound(type.group, type.plural, name);
  return obj;
}

function checkNamespace(ctx: Ctx, type: ResourceType, namespace: string, name: string): void {
  if (!type.namespaced) return;
  const ns = ctx.store.get('core/namespaces', '', namespace);
  if (!ns) throw errors.notFound('', 'namespaces', namespace);
  if (ns.metadata.deletionTimestamp) {
    throw errors.forbidden(
      `${type.plural}${type.group ? '.' + type.group : ''} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

function bindNamespace(type: ResourceType, obj: KubeObject, namespace: string): void {
  if (!type.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace;
}

/** The part of an object whose change bumps metadata.generation: all but metadata (and status when split off). */
function specPart(type: ResourceType, obj: KubeObject): unknown {
  const { metadata: _m, status, ...rest } = obj;
  return type.subresources.status ? rest : { ...rest, status };
}

export function createObject(
  ctx: Ctx,
  type: ResourceType,
  namespace: string,
  body: unknown,
  opts: WriteOptions,
): KubeObject {
  const obj = checkBody(type, opts.owned ? body : clone(body));
  bindNamespace(type, obj, namespace);
  const m = obj.metadata;
  if (m.resourceVersion) throw errors.internal('resourceVersion should not be set on objects to be created');
  if (type.crd && ctx.store.get(CRD_TYPE_KEY, '', type.crd)?.metadata.deletionTimestamp) {
    throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
  }
  decodeCustomResource(type, obj, opts);
  const generated = !m.name && !!m.generateName;
  if (generated) m.name = m.generateName + randomSuffix();
  checkNamespace(ctx, type, namespace, m.name ?? '');
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (type.generation) m.generation = 1;
  else delete m.generation;
  if (type.subresources.status && type.crd) delete obj.status;
  type.strategy.prepareForCreate?.(obj);
  validateObject(type, obj, undefined);
  const key = typeKey(type);
  // generateName collisions are retried, as kube-apiserver does since RetryGenerateName.
  for (let attempt = 0; ctx.store.get(key, obj.metadata.namespace ?? '', m.name!); attempt++) {
    if (!generated || attempt >= 8) throw errors.alreadyExists(type.group, type.plural, m.name!);
    m.name = m.generateName + randomSuffix();
  }
  if (opts.dryRun) return obj;
  return ctx.store.create(key, obj);
}

export interface UpdateOptions extends WriteOptions {
  subresource?: Subresource;
  /** Internal callers (controllers, patch) can skip the rv requirement of custom resources. */
  unconditional?: boolean;
}

export function updateObject(
  ctx: Ctx,
  type: ResourceType,
  namespace: string,
  name: string,
  body: unknown,
  opts: UpdateOptions,
): KubeObject {
  const obj = checkBody(type, opts.owned ? body : clone(body));
  bindNamespace(type, obj, namespace);
  const m = obj.metadata;
  if (m.name !== undefined && m.name !== name) {
    throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${name})`);
  }
  m.name = name;
  const key = typeKey(type);
  const old = ctx.store.get(key, type.namespaced ? namespace : '', name);
  if (!old) {
    if (opts.subresource || !type.strategy.allowCreateOnUpdate) throw errors.notFound(type.group, type.plural, name);
    delete m.resourceVersion;
    return createObject(ctx, type, namespace, obj, opts);
  }
  if (m.resourceVersion) {
    if (m.resourceVersion !== old.metadata.resourceVersion)
      throw errors.staleResourceVersion(type.group, type.plural, name);
  } else if (!type.strategy.allowUnconditionalUpdate && !opts.unconditional) {
    throw errors.invalid(type.kind, type.group, name, [
      fieldErrors.invalid('metadata.resourceVersion', '0x0', 'must be specified for an update'),
    ]);
  }
  if (m.uid && m.uid !== old.metadata.uid) {
    throw errors.conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: UID in precondition: ${old.metadata.uid}, UID in object meta: ${m.uid}`,
    );
  }

  let next: KubeObject;
  if (opts.subresource === 'status') {
    // A status write changes status only: everything else comes from the stored object.
    decodeCustomResource(type, obj, opts);
    next = { ...clone(old), status: obj.status };
    if (obj.status === undefined) delete next.status;
  } else if (opts.subresource === 'resize') {
    next = clone(old);
    const containers = (isObject(obj.spec) ? obj.spec.containers : undefined) as unknown[] | undefined;
    const oldContainers = (isObject(next.spec) ? next.spec.containers : undefined) as
      Array<Record<string, unknown>> | undefined;
    for (const c of Array.isArray(containers) ? containers : []) {
      if (!isObject(c)) continue;
      const target = oldContainers?.find((o) => o.name === c.name);
      if (target) {
        target.resources = c.resources;
        if (c.resizePolicy !== undefined) target.resizePolicy = c.resizePolicy;
      }
    }
  } else if (opts.subresource === 'finalize') {
    next = clone(old);
    next.spec = isObject(obj.spec) ? obj.spec : {};
  } else {
    decodeCustomResource(type, obj, opts);
    next = obj;
    if (type.subresources.status) {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    }
    const nm = next.metadata;
    nm.uid = old.metadata.uid;
    nm.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) nm.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete nm.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined)
      nm.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    else delete nm.deletionGracePeriodSeconds;
    if (nm.managedFields === undefined && old.metadata.managedFields) nm.managedFields = old.metadata.managedFields;
    delete nm.selfLink;
    type.strategy.prepareForUpdate?.(next, old);
    if (old.metadata.deletionTimestamp) {
      const before = new Set(old.metadata.finalizers ?? []);
      const added = (nm.finalizers ?? []).filter((f) => !before.has(f));
      if (added.length > 0) {
        throw errors.invalid(type.kind, type.group, name, [
          fieldErrors.forbidden(
            'metadata.finalizers',
            `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          ),
        ]);
      }
    }
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (type.generation) {
    const gen = old.metadata.generation ?? 1;
    next.metadata.generation = deepEqual(specPart(type, next), specPart(type, old)) ? gen : gen + 1;
  } else if (old.metadata.generation === undefined) delete next.metadata.generation;
  else next.metadata.generation = old.metadata.generation;
  validateObject(type, next, old, opts.subresource);
  // An update that changes nothing is not written: no new resourceVersion, no watch event (as etcd3 store does).
  if (deepEqual(next, old)) return old;
  if (opts.dryRun) return next;
  if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0 && !isGracefullyPending(next)) {
    return ctx.store.remove(key, next);
  }
  return ctx.store.update(key, next, old);
}

/**
 * Deletions that losing the last finalizer does not complete: a pod in graceful deletion (its kubelet removes it) and
 * a namespace whose spec.finalizers the namespace controller has not cleared yet.
 */
function isGracefullyPending(obj: KubeObject): boolean {
  if ((obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) return true;
  const spec = obj.spec;
  return obj.kind === 'Namespace' && isObject(spec) && Array.isArray(spec.finalizers) && spec.finalizers.length > 0;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  orphanDependents?: boolean;
}

export interface DeleteResult {
  object: KubeObject;
  /** False when the object is still there (finalizers, graceful deletion). */
  deleted: boolean;
}

export function deleteObject(
  ctx: Ctx,
  type: ResourceType,
  namespace: string,
  name: string,
  opts: DeleteOptions,
): DeleteResult {
  const key = typeKey(type);
  const old = getObject(ctx, type, namespace, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    throw errors.conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw errors.conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  }
  const next = clone(old);
  const m = next.metadata;
  const policy =
    opts.propagationPolicy ??
    (opts.orphanDependents === true ? 'Orphan' : opts.orphanDependents === false ? 'Background' : undefined);
  const finalizers = new Set(m.finalizers ?? []);
  if (policy === 'Orphan') {
    finalizers.add('orphan');
    finalizers.delete('foregroundDeletion');
  } else if (policy === 'Foreground') {
    finalizers.add('foregroundDeletion');
    finalizers.delete('orphan');
  } else if (policy === 'Background') {
    finalizers.delete('orphan');
    finalizers.delete('foregroundDeletion');
  }
  // Propagation finalizers only matter if the object has (or may have) dependents; kube adds them regardless.
  if (finalizers.size > 0 || (m.finalizers ?? []).length > 0) m.finalizers = [...finalizers];

  if (type.plural === 'namespaces' && !type.group) {
    // Namespaces are emptied by the namespace controller, then finalized through spec.finalizers.
    const specFinalizers = isObject(next.spec) && Array.isArray(next.spec.finalizers) ? next.spec.finalizers : [];
    if (specFinalizers.length > 0 || finalizers.size > 0) {
      if (!old.metadata.deletionTimestamp) {
        m.deletionTimestamp = nowTimestamp();
        m.deletionGracePeriodSeconds = 0;
        next.status = { ...(isObject(next.status) ? next.status : {}), phase: 'Terminating' };
      }
      if (opts.dryRun || deepEqual(next, old)) return { object: old, deleted: false };
      return { object: ctx.store.update(key, next, old), deleted: false };
    }
  }

  const grace = type.strategy.gracefulDeleteSeconds?.(old, opts.gracePeriodSeconds) ?? 0;
  if (grace > 0) {
    const current = old.metadata.deletionGracePeriodSeconds;
    if (current === undefined || grace < current) {
      m.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      m.deletionGracePeriodSeconds = grace;
    }
    if (opts.dryRun || deepEqual(next, old)) return { object: old, deleted: false };
    return { object: ctx.store.update(key, next, old), deleted: false };
  }
  if ((m.finalizers ?? []).length > 0) {
    m.deletionTimestamp ??= nowTimestamp();
    m.deletionGracePeriodSeconds = 0;
    if (opts.dryRun || deepEqual(next, old)) return { object: old, deleted: false };
    return { object: ctx.store.update(key, next, old), deleted: false };
  }
  if (opts.dryRun) return { object: old, deleted: true };
  return { object: ctx.store.remove(key, old), deleted: true };
}
