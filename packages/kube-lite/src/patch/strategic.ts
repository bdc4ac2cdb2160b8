/**
 * Strategic merge patch for the built-in types, as kubectl sends it: maps merge, lists with a merge key merge by that
 * key, `$patch: delete|replace|merge`, `$deleteFromPrimitiveList/<f>`, `$setElementOrder/<f>` and `$retainKeys`.
 * Merge keys come from the type's table (the Go struct tags); lists without one are replaced, except finalizers.
 */
import { errors } from '../errors';
import { isObject } from '../util/json';
import type { JsonObject } from '../types';

const PRIMITIVE_MERGE_LISTS = new Set(['metadata.finalizers']);
const METADATA_KEYS: Record<string, string> = { 'metadata.ownerReferences': 'uid' };

export function strategicMergePatch(original: unknown, patch: unknown, mergeKeys: Record<string, string>): unknown {
  if (!isObject(patch)) throw errors.badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? original : {}, patch, '', { ...METADATA_KEYS, ...mergeKeys });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function mergeMap(original: JsonObject, patch: JsonObject, path: string, keys: Record<string, string>): JsonObject {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest) as JsonObject;
  }
  if (directive === 'delete') return {};
  const out: JsonObject = { ...original };
  if (Array.isArray(patch.$retainKeys)) {
    const retain = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  }
  const orders: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders[key.slice('$setElementOrder/'.length)] = Array.isArray(value) ? value : [];
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = Array.isArray(value) ? value : [];
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((v) => !remove.includes(v));
      continue;
    }
    const childPath = join(path, key);
    if (value === null) {
      delete out[key];
    } else if (isObject(value)) {
      if (value.$patch === 'delete') delete out[key];
      else out[key] = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : {}, value, childPath, keys);
    } else if (Array.isArray(value)) {
      out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as unknown[]) : [], value, childPath, keys);
    } else {
      out[key] = value;
    }
  }
  for (const [field, order] of Object.entries(orders)) {
    if (Array.isArray(out[field]))
      out[field] = reorder(out[field] as unknown[], order, keys[join(path, field).replace(/\[\]/g, '[]')]);
  }
  return out;
}

function itemPath(path: string): string {
  return `${path}[]`;
}

function mergeList(original: unknown[], patch: unknown[], path: string, keys: Record<string, string>): unknown[] {
  const normalized = path.replace(/\[\d+\]/g, '[]');
  const mergeKey = keys[normalized];
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map(stripDirectives);
  }
  if (!mergeKey) {
    if (PRIMITIVE_MERGE_LISTS.has(normalized)) {
      const out = [...original];
      for (const v of patch) if (!out.includes(v)) out.push(v);
      return out;
    }
    return patch.map(stripDirectives);
  }
  const out = [...original];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((o) => isObject(o) && o[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeMap(out[idx] as JsonObject, item, itemPath(normalized), keys);
    else out.push(stripDirectives(item));
  }
  return out;
}

function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (v: unknown) => (mergeKey && isObject(v) ? v[mergeKey] : v);
  const orderKeys = order.map(keyOf);
  const ranked = list.map((v, i) => ({ v, i, rank: orderKeys.findIndex((k) => k === keyOf(v)) }));
  ranked.sort((a, b) => (a.rank < 0 ? 1e9 + a.i : a.rank) - (b.rank < 0 ? 1e9 + b.i : b.rank));
  return ranked.map((r) => r.v);
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}
