/** JSON patch (RFC 6902). Failures are ApiErrors: a malformed patch is 400, one that does not apply is 422. */
import { errors } from '../errors';
import { clone, deepEqual, isObject } from '../util/json';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw errors.unprocessable(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fail(message: string): never {
  throw errors.unprocessable(message);
}

function parentOf(doc: unknown, tokens: string[], op: string, path: string): { parent: unknown; key: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length)
        fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!(t in cur)) fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      cur = cur[t];
    } else fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, path: string, op: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length)
      fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    return parent[i];
  }
  if (isObject(parent) && key in parent) return parent[key];
  return fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
}

function remove(doc: unknown, path: string, op: string): unknown {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) fail(`Unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!isObject(parent) || !(key in parent)) fail(`Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(doc: unknown, path: string, value: unknown, op: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else {
      const i = Number(key);
      if (!/^\d+$/.test(key) || i > parent.length)
        fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      parent.splice(i, 0, value);
    }
  } else if (isObject(parent)) parent[key] = value;
  else fail(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(document);
  for (const raw of patch) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw errors.badRequest('invalid JSON patch operation: op and path are required');
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, clone(op.value), 'add');
        break;
      case 'remove':
        remove(doc, op.path, 'remove');
        break;
      case 'replace': {
        const tokens = parsePointer(op.path);
        if (tokens.length === 0) {
          doc = clone(op.value);
          break;
        }
        get(doc, op.path, 'replace');
        const { parent, key } = parentOf(doc, tokens, 'replace', op.path);
        if (Array.isArray(parent)) parent[Number(key)] = clone(op.value);
        else (parent as Record<string, unknown>)[key] = clone(op.value);
        break;
      }
      case 'move': {
        const value = remove(doc, op.from ?? '', 'move');
        doc = add(doc, op.path, value, 'move');
        break;
      }
      case 'copy':
        doc = add(doc, op.path, clone(get(doc, op.from ?? '', 'copy')), 'copy');
        break;
      case 'test':
        if (!deepEqual(get(doc, op.path, 'test'), op.value)) fail(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw errors.badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
