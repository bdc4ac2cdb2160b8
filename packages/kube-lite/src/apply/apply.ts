/**
 * Server-side apply (application/apply-patch+yaml). Each apply manager's fields are recorded in managedFields; an
 * apply merges the configuration into the live object by the type's list semantics, removes the fields the manager
 * applied before and no longer does (unless another manager owns them), and answers 409 Conflict when it would
 * change a value another apply manager owns, unless force=true (which takes ownership).
 * Simplification: fields written by plain updates are not tracked, so they never conflict.
 */
import { ApiError, errors } from '../errors';
import type { WriteOptions } from '../rest/admit';
import { createObject, updateObject, type Ctx, type Subresource } from '../rest/objects';
import type { JsonObject, KubeObject, ManagedFieldsEntry, ResourceType } from '../types';
import { apiVersionOf, typeKey } from '../types';
import { clone, deepEqual, isObject, nowTimestamp } from '../util/json';
import {
  deleteAt,
  fieldSetOf,
  has,
  itemKey,
  leaves,
  listSemantics,
  removePath,
  valueAt,
  type FieldSet,
  type ListSemantics,
} from './fieldset';

export interface ApplyOptions extends WriteOptions {
  force: boolean;
  subresource?: Subresource;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Merges applied configuration into live, following list semantics (maps by keys, sets by value, atomic replace). */
function merge(live: unknown, applied: unknown, path: string, sem: ListSemantics): unknown {
  if (isObject(applied)) {
    if (!isObject(live) || (path && sem.atomicMap(path))) return clone(applied);
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = merge(live[k], v, join(path, k), sem);
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = sem.listType(path);
    if (lt.type === 'atomic' || !Array.isArray(live)) return clone(applied);
    if (lt.type === 'set') return [...live, ...applied.filter((v) => !live.some((l) => deepEqual(l, v)))];
    const out = [...live];
    for (const item of applied) {
      if (!isObject(item)) continue;
      const key = itemKey(item, lt.keys);
      const i = out.findIndex((o) => isObject(o) && itemKey(o, lt.keys) === key);
      if (i >= 0) out[i] = merge(out[i], item, `${path}.[]`, sem);
      else out.push(clone(item));
    }
    return out;
  }
  return applied;
}

function stepsToText(path: string[]): string {
  return path.map((p) => (p.startsWith('f:') ? '.' + p.slice(2) : `[${p.slice(2)}]`)).join('');
}

export function serverSideApply(
  ctx: Ctx,
  type: ResourceType,
  namespace: string,
  name: string,
  applied: unknown,
  opts: ApplyOptions,
): { object: KubeObject; created: boolean } {
  const manager = opts.fieldManager;
  if (!manager) throw errors.badRequest('PATCH ' + type.plural + ': fieldManager is required for apply requests');
  if (!isObject(applied)) throw errors.badRequest('apply patch must be an object');
  if (!applied.apiVersion || !applied.kind)
    throw errors.badRequest('apiVersion and kind must be set in an apply configuration');
  const meta = isObject(applied.metadata) ? applied.metadata : {};
  if (meta.name !== undefined && meta.name !== name) {
    throw errors.badRequest(
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    );
  }
  const sem = listSemantics(type.schema, type.mergeKeys);
  const config = clone(applied) as KubeObject;
  config.metadata = { ...meta, name };
  delete config.metadata.managedFields;
  const newSet = fieldSetOf(config, sem);
  const subresource = opts.subresource ?? '';
  const entry = (set: FieldSet): ManagedFieldsEntry => ({
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(type),
    time: nowTimestamp(),
    fieldsType: 'FieldsV1',
    fieldsV1: set,
    ...(subresource ? { subresource } : {}),
  });

  const existing = ctx.store.get(typeKey(type), type.namespaced ? namespace : '', name);
  if (!existing) {
    if (subresource) throw errors.notFound(type.group, type.plural, name);
    config.metadata.managedFields = [entry(newSet)];
    delete config.metadata.resourceVersion;
    return { object: createObject(ctx, type, namespace, config, opts), created: true };
  }

  const live = clone(existing);
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const mine = entries.find(
    (e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === subresource,
  );
  const others = entries.filter((e) => e !== mine);
  const conflicts: Array<{ manager: string; path: string[] }> = [];
  for (const other of others) {
    if (other.operation !== 'Apply') continue;
    for (const path of leaves(newSet)) {
      if (has(other.fieldsV1 as FieldSet, path) && !deepEqual(valueAt(config, path), valueAt(live, path))) {
        conflicts.push({ manager: other.manager, path });
      }
    }
  }
  if (conflicts.length > 0 && !opts.force) {
    const lines = conflicts.map((c) => `conflict with "${c.manager}": ${stepsToText(c.path)}`);
    throw new ApiError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${lines.join('\n')}`,
      {
        name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.plural,
        causes: conflicts.map((c) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with "${c.manager}"`,
          field: stepsToText(c.path),
        })),
      },
    );
  }
  // Forced: the other managers lose the fields this apply takes.
  for (const c of conflicts) {
    const owner = others.find((o) => o.manager === c.manager);
    if (owner) removePath(owner.fieldsV1 as FieldSet, c.path);
  }
  // Fields this manager applied before and dropped now are removed, unless someone else still owns them.
  if (mine) {
    for (const path of leaves(mine.fieldsV1 as FieldSet)) {
      if (has(newSet, path)) continue;
      if (others.some((o) => has(o.fieldsV1 as FieldSet, path))) continue;
      deleteAt(live, path);
    }
  }
  const merged = merge(live, config, '', sem) as KubeObject;
  merged.metadata.resourceVersion = existing.metadata.resourceVersion;
  merged.metadata.managedFields = [
    ...others.filter((o) => Object.keys(o.fieldsV1).length > 0),
    // An apply that changes nothing keeps its entry as it was, so it is not a write (no new resourceVersion).
    mine && deepEqual(mine.fieldsV1, newSet) ? mine : entry(newSet),
  ];
  const object = updateObject(ctx, type, namespace, name, merged, {
    ...opts,
    unconditional: true,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  });
  return { object, created: false };
}
