/**
 * Field sets in the managedFields FieldsV1 format (`f:spec`, `k:{"type":"Ready"}`, `v:"x"`), derived from an object
 * and the list semantics of its type: what server-side apply uses to track who owns which field.
 */
import type { JsonObject, Schema } from '../types';
import { isObject } from '../util/json';

export type FieldSet = { [key: string]: FieldSet };

export interface ListSemantics {
  /** The list type at a dotted path (items as `[]`): map (with keys), set, or atomic. */
  listType(path: string): { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };
  /** Whether a map at this path is atomic (replaced whole). */
  atomicMap(path: string): boolean;
}

function schemaAt(schema: Schema | undefined, path: string[]): Schema | undefined {
  let cur = schema;
  for (const p of path) {
    if (!cur) return undefined;
    if (p === '[]') cur = cur.items;
    else cur = cur.properties?.[p] ?? (isObject(cur.additionalProperties) ? cur.additionalProperties : undefined);
  }
  return cur;
}

export function listSemantics(
  schema: Schema | undefined,
  mergeKeys: Record<string, string> | undefined,
): ListSemantics {
  return {
    listType(path) {
      if (path === 'metadata.finalizers') return { type: 'set' };
      if (path === 'metadata.ownerReferences') return { type: 'map', keys: ['uid'] };
      if (path.startsWith('metadata.')) return { type: 'atomic' };
      if (mergeKeys?.[path]) return { type: 'map', keys: [mergeKeys[path]!] };
      const s = schemaAt(schema, path.split('.'));
      if (s?.['x-kubernetes-list-type'] === 'map') return { type: 'map', keys: s['x-kubernetes-list-map-keys'] ?? [] };
      if (s?.['x-kubernetes-list-type'] === 'set') return { type: 'set' };
      return { type: 'atomic' };
    },
    atomicMap(path) {
      if (path.startsWith('metadata.')) return false;
      const s = schemaAt(schema, path.split('.'));
      return (
        s?.['x-kubernetes-map-type'] === 'atomic' ||
        (!!s && s.type !== 'object' && s['x-kubernetes-preserve-unknown-fields'] !== true && s.type !== undefined)
      );
    },
  };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function itemKey(item: JsonObject, keys: string[]): string {
  return 'k:' + JSON.stringify(Object.fromEntries(keys.map((k) => [k, item[k]])));
}

/** The fields an object sets. apiVersion, kind and metadata.name/namespace are identity, not owned. */
export function fieldSetOf(obj: JsonObject, sem: ListSemantics): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata' && isObject(v)) {
      const meta: FieldSet = {};
      for (const [mk, mv] of Object.entries(v)) {
        if (
          [
            'name',
            'namespace',
            'uid',
            'resourceVersion',
            'generation',
            'creationTimestamp',
            'managedFields',
            'deletionTimestamp',
            'deletionGracePeriodSeconds',
            'selfLink',
            'generateName',
          ].includes(mk)
        )
          continue;
        meta[`f:${mk}`] = valueSet(mv, `metadata.${mk}`, sem);
      }
      if (Object.keys(meta).length) out['f:metadata'] = meta;
      continue;
    }
    out[`f:${k}`] = valueSet(v, k, sem);
  }
  return out;
}

function valueSet(v: unknown, path: string, sem: ListSemantics): FieldSet {
  if (isObject(v)) {
    if (sem.atomicMap(path)) return {};
    const out: FieldSet = {};
    for (const [k, child] of Object.entries(v)) out[`f:${k}`] = valueSet(child, join(path, k), sem);
    return out;
  }
  if (Array.isArray(v)) {
    const lt = sem.listType(path);
    if (lt.type === 'atomic') return {};
    const out: FieldSet = {};
    for (const item of v) {
      if (lt.type === 'set') out['v:' + JSON.stringify(item)] = {};
      else if (isObject(item)) out[itemKey(item, lt.keys)] = { '.': {}, ...valueSet(item, `${path}.[]`, sem) };
    }
    return out;
  }
  return {};
}

/** Leaf paths of a set (each a list of FieldsV1 steps). */
export function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, child] of Object.entries(set)) {
    if (k === '.') continue;
    const path = [...prefix, k];
    const sub = Object.keys(child).filter((c) => c !== '.');
    if (sub.length === 0) out.push(path);
    else out.push(...leaves(child, path));
  }
  return out;
}

export function has(set: FieldSet, path: string[]): boolean {
  let cur: FieldSet | undefined = set;
  for (const p of path) {
    cur = cur?.[p];
    if (!cur) return false;
  }
  return true;
}

export function removePath(set: FieldSet, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || !set[head]) return;
  if (rest.length === 0) delete set[head];
  else {
    removePath(set[head]!, rest);
    const remaining = Object.keys(set[head]!).filter((k) => k !== '.');
    if (remaining.length === 0) delete set[head];
  }
}

/** The value at a FieldsV1 path in an object (undefined if absent). */
export function valueAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const step of path) {
    if (step.startsWith('f:')) cur = isObject(cur) ? cur[step.slice(2)] : undefined;
    else if (step.startsWith('k:')) {
      const key = JSON.parse(step.slice(2)) as JsonObject;
      cur = Array.isArray(cur)
        ? cur.find((i) => isObject(i) && Object.entries(key).every(([k, v]) => i[k] === v))
        : undefined;
    } else if (step.startsWith('v:')) {
      const v = JSON.parse(step.slice(2)) as unknown;
      cur = Array.isArray(cur) && cur.includes(v) ? v : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Deletes the value at a FieldsV1 path from an object. */
export function deleteAt(obj: unknown, path: string[]): void {
  const parent = path.length > 1 ? valueAt(obj, path.slice(0, -1)) : obj;
  const step = path[path.length - 1]!;
  if (step.startsWith('f:') && isObject(parent)) delete parent[step.slice(2)];
  else if (Array.isArray(parent)) {
    const target = valueAt(obj, path);
    const i = parent.indexOf(target);
    if (i >= 0) parent.splice(i, 1);
  }
}
