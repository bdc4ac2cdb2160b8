/**
 * x-kubernetes-validations: CEL rules evaluated on the schema node that declares them, with `self` (and `oldSelf` for
 * transition rules, on update, where an old value correlates). A subset of CEL: what CRD rules use in practice
 * (has, size, duration/timestamp comparisons, string functions, all/exists/exists_one/filter/map macros). A rule that
 * fails to parse or uses something outside the subset is skipped, not enforced.
 */
import { fieldErrors, type FieldError } from '../errors';
import type { Schema } from '../types';
import { deepEqual, isObject } from '../util/json';
import { parseCel, usesOldSelf, type Expr } from './cel-parser';

class CelError extends Error {}

interface Duration {
  __duration: number; // nanoseconds
}
interface Timestamp {
  __ts: number; // milliseconds since the epoch
}

const isDuration = (v: unknown): v is Duration => isObject(v) && typeof v.__duration === 'number';
const isTimestamp = (v: unknown): v is Timestamp => isObject(v) && typeof v.__ts === 'number';

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const m = text.match(/^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/);
  if (!m) throw new CelError(`invalid duration: ${text}`);
  let total = 0;
  for (const part of text.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_NS[part[2]!]!;
  }
  return m[1] === '-' ? -total : total;
}

type Env = Map<string, unknown>;

function truthy(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new CelError('no matching overload: expected bool');
  return v;
}

function size(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new CelError('no matching overload for size');
}

function compare(a: unknown, b: unknown): number {
  if (isDuration(a) && isDuration(b)) return a.__duration - b.__duration;
  if (isTimestamp(a) && isTimestamp(b)) return a.__ts - b.__ts;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new CelError('no matching overload for comparison');
}

function select(target: unknown, field: string): unknown {
  if (!isObject(target) || !(field in target)) throw new CelError(`no such key: ${field}`);
  return target[field];
}

function evaluate(e: Expr, env: Env): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'ident':
      if (!env.has(e.name)) throw new CelError(`undeclared reference to '${e.name}'`);
      return env.get(e.name);
    case 'list':
      return e.items.map((i) => evaluate(i, env));
    case 'select':
      return select(evaluate(e.target, env), e.field);
    case 'index': {
      const t = evaluate(e.target, env);
      const i = evaluate(e.index, env);
      if (Array.isArray(t) && typeof i === 'number') {
        if (i < 0 || i >= t.length) throw new CelError('index out of range');
        return t[i];
      }
      if (isObject(t) && typeof i === 'string') return select(t, i);
      throw new CelError('invalid index');
    }
    case 'unary': {
      const v = evaluate(e.arg, env);
      if (e.op === '!') return !truthy(v);
      if (typeof v === 'number') return -v;
      if (isDuration(v)) return { __duration: -v.__duration };
      throw new CelError('no matching overload for -');
    }
    case 'cond':
      return truthy(evaluate(e.test, env)) ? evaluate(e.then, env) : evaluate(e.else, env);
    case 'binary':
      return binary(e.op, e.left, e.right, env);
    case 'call':
      return call(e, env);
  }
}

function binary(op: string, l: Expr, r: Expr, env: Env): unknown {
  if (op === '&&' || op === '||') {
    // CEL's commutative logic: an error on one side is absorbed when the other side decides.
    let left: unknown;
    let leftError: unknown;
    try {
      left = truthy(evaluate(l, env));
    } catch (error) {
      leftError = error;
    }
    if (leftError === undefined && left === (op === '||')) return left;
    const right = truthy(evaluate(r, env));
    if (right === (op === '||')) return right;
    if (leftError !== undefined) throw leftError;
    return right;
  }
  const a = evaluate(l, env);
  const b = evaluate(r, env);
  switch (op) {
    case '==':
      return celEqual(a, b);
    case '!=':
      return !celEqual(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    case '>=':
      return compare(a, b) >= 0;
    case 'in':
      if (Array.isArray(b)) return b.some((x) => celEqual(x, a));
      if (isObject(b) && typeof a === 'string') return a in b;
      throw new CelError('no matching overload for in');
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (isDuration(a) && isDuration(b)) return { __duration: a.__duration + b.__duration };
      if (isTimestamp(a) && isDuration(b)) return { __ts: a.__ts + b.__duration / 1e6 };
      throw new CelError('no matching overload for +');
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      if (isDuration(a) && isDuration(b)) return { __duration: a.__duration - b.__duration };
      if (isTimestamp(a) && isTimestamp(b)) return { __duration: (a.__ts - b.__ts) * 1e6 };
      if (isTimestamp(a) && isDuration(b)) return { __ts: a.__ts - b.__duration / 1e6 };
      throw new CelError('no matching overload for -');
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      throw new CelError('no matching overload for *');
    case '/':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new CelError('division by zero');
        return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
      }
      throw new CelError('no matching overload for /');
    case '%':
      if (typeof a === 'number' && typeof b === 'number' && b !== 0) return a % b;
      throw new CelError('no matching overload for %');
  }
  throw new CelError(`unknown operator ${op}`);
}

function celEqual(a: unknown, b: unknown): boolean {
  if (isDuration(a) && isDuration(b)) return a.__duration === b.__duration;
  if (isTimestamp(a) && isTimestamp(b)) return a.__ts === b.__ts;
  return deepEqual(a, b);
}

function macro(e: Extract<Expr, { k: 'call' }>, env: Env): unknown {
  const target = evaluate(e.target!, env);
  const variable = e.args[0];
  if (!variable || variable.k !== 'ident' || e.args.length < 2) throw new CelError(`bad ${e.fn} macro`);
  const items = Array.isArray(target) ? target : isObject(target) ? Object.keys(target) : undefined;
  if (!items) throw new CelError(`${e.fn} needs a list or map`);
  const each = (item: unknown, body: Expr) => evaluate(body, new Map(env).set(variable.name, item));
  switch (e.fn) {
    case 'all':
      return items.every((i) => truthy(each(i, e.args[1]!)));
    case 'exists':
      return items.some((i) => truthy(each(i, e.args[1]!)));
    case 'exists_one':
      return items.filter((i) => truthy(each(i, e.args[1]!))).length === 1;
    case 'filter':
      return items.filter((i) => truthy(each(i, e.args[1]!)));
    default:
      return e.args.length === 3
        ? items.filter((i) => truthy(each(i, e.args[1]!))).map((i) => each(i, e.args[2]!))
        : items.map((i) => each(i, e.args[1]!));
  }
}

function call(e: Extract<Expr, { k: 'call' }>, env: Env): unknown {
  if (e.fn === 'has' && !e.target) {
    const arg = e.args[0];
    if (!arg || arg.k !== 'select') throw new CelError('has() needs a field selection');
    const t = evaluate(arg.target, env);
    return isObject(t) && arg.field in t && t[arg.field] !== undefined;
  }
  if (e.target && ['all', 'exists', 'exists_one', 'filter', 'map'].includes(e.fn)) return macro(e, env);
  const args = e.args.map((a) => evaluate(a, env));
  const self = e.target ? evaluate(e.target, env) : args.shift();
  const str = (v: unknown): string => {
    if (typeof v !== 'string') throw new CelError(`no matching overload for ${e.fn}`);
    return v;
  };
  switch (e.fn) {
    case 'size':
      return size(self);
    case 'duration':
      return { __duration: parseGoDuration(str(self)) };
    case 'timestamp': {
      const t = Date.parse(str(self));
      if (Number.isNaN(t)) throw new CelError('invalid timestamp');
      return { __ts: t };
    }
    case 'int':
      if (typeof self === 'string') return Math.trunc(Number(self));
      if (typeof self === 'number') return Math.trunc(self);
      if (isDuration(self)) return self.__duration;
      if (isTimestamp(self)) return Math.floor(self.__ts / 1000);
      throw new CelError('no matching overload for int');
    case 'uint':
    case 'double':
      return Number(self);
    case 'string':
      return typeof self === 'string' ? self : JSON.stringify(self);
    case 'startsWith':
      return str(self).startsWith(str(args[0]));
    case 'endsWith':
      return str(self).endsWith(str(args[0]));
    case 'contains':
      return str(self).includes(str(args[0]));
    case 'matches':
      return new RegExp(str(args[0]), 'u').test(str(self));
    case 'lowerAscii':
      return str(self).toLowerCase();
    case 'upperAscii':
      return str(self).toUpperCase();
    case 'trim':
      return str(self).trim();
    case 'split':
      return str(self).split(str(args[0]));
    case 'join':
      if (!Array.isArray(self)) throw new CelError('join needs a list');
      return self.join(args[0] === undefined ? '' : str(args[0]));
    case 'isSorted':
      if (!Array.isArray(self)) throw new CelError('isSorted needs a list');
      return self.every((v, i) => i === 0 || compare(self[i - 1], v) <= 0);
    case 'getSeconds':
      if (isDuration(self)) return Math.trunc(self.__duration / 1e9);
      throw new CelError('getSeconds needs a duration');
  }
  throw new CelError(`unsupported function ${e.fn}`);
}

interface CompiledRule {
  expr: Expr;
  transition: boolean;
}

const compiled = new Map<string, CompiledRule | null>();

function compile(rule: string): CompiledRule | null {
  if (!compiled.has(rule)) {
    try {
      const expr = parseCel(rule);
      compiled.set(rule, { expr, transition: usesOldSelf(expr) });
    } catch {
      compiled.set(rule, null);
    }
  }
  return compiled.get(rule)!;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const NO_OLD = Symbol('no old value');

/** Evaluates every rule under `schema` for `value` (old: the stored value at the same place, on update). */
export function evaluateValidations(value: unknown, old: unknown, schema: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk(value, old === undefined ? NO_OLD : old, schema, path, errs);
  return errs;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function walk(value: unknown, old: unknown, schema: Schema, path: string, errs: FieldError[]): void {
  if (value === undefined) return;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    const rule = compile(v.rule);
    if (!rule) continue;
    if (rule.transition && old === NO_OLD && !v.optionalOldSelf) continue;
    const env: Env = new Map([['self', value]]);
    if (rule.transition) env.set('oldSelf', old === NO_OLD ? null : old);
    let ok: boolean;
    let message = v.message ?? `failed rule: ${v.rule}`;
    try {
      ok = truthy(evaluate(rule.expr, env));
    } catch (error) {
      if (!(error instanceof CelError)) throw error;
      ok = false;
      message = `${message}: ${error.message}`;
    }
    if (!ok) {
      const field = v.fieldPath ? join(path, v.fieldPath.replace(/^\./, '')) : path;
      if (v.reason === 'FieldValueForbidden') errs.push(fieldErrors.forbidden(field, message));
      else if (v.reason === 'FieldValueRequired') errs.push(fieldErrors.required(field, message));
      else errs.push(fieldErrors.invalid(field, typeName(value), message));
    }
  }
  if (isObject(value)) {
    const oldObj = isObject(old) ? old : undefined;
    for (const [key, child] of Object.entries(value)) {
      const prop =
        schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (!prop || (path === '' && key === 'metadata')) continue;
      walk(child, oldObj && key in oldObj ? oldObj[key] : NO_OLD, prop, join(path, key), errs);
    }
  } else if (Array.isArray(value) && schema.items) {
    const keys = schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] ?? []) : undefined;
    value.forEach((item, i) => {
      // Items correlate with old ones only in map lists (by their keys), as in kube.
      let oldItem: unknown = NO_OLD;
      if (keys && Array.isArray(old) && isObject(item)) {
        const match = old.find((o) => isObject(o) && keys.every((k) => deepEqual(o[k], item[k])));
        if (match !== undefined) oldItem = match;
      }
      walk(item, oldItem, schema.items!, `${path}[${i}]`, errs);
    });
  }
}
