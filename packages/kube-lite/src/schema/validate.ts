/**
 * Validates a custom resource against its CRD's structural schema, with kube-openapi's wording, so a 422 reads the same
 * as one from a real cluster (`spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or
 * equal to 0`).
 */
import { fieldErrors, type FieldError } from '../errors';
import type { Schema } from '../types';
import { deepEqual, isObject } from '../util/json';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const patternCache = new Map<string, RegExp | null>();

function regex(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

export function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Validates value at path; appends to errs. The root call passes the whole object with path ''. */
export function validateSchema(value: unknown, schema: Schema, path: string, errs: FieldError[]): void {
  const where = path || '<root>';
  if (value === null) {
    if (!schema.nullable && (schema.type || schema['x-kubernetes-int-or-string'])) {
      errs.push(
        fieldErrors.typeInvalid(
          path,
          'null',
          `${where} in body must be of type ${schema.type ?? 'integer-or-string'}: "null"`,
        ),
      );
    }
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push(
        fieldErrors.typeInvalid(
          path,
          typeName(value),
          `${where} in body must be of type integer-or-string: "${typeName(value)}"`,
        ),
      );
      return;
    }
  } else if (schema.type && !typeMatches(schema.type, value)) {
    errs.push(
      fieldErrors.typeInvalid(
        path,
        typeName(value),
        `${where} in body must be of type ${schema.type}: "${typeName(value)}"`,
      ),
    );
    return;
  }

  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    errs.push(fieldErrors.notSupported(path, value, schema.enum));
  }
  if (typeof value === 'number') validateNumber(value, schema, path, errs);
  if (typeof value === 'string') validateString(value, schema, path, errs);
  if (Array.isArray(value)) validateArray(value, schema, path, errs);
  if (isObject(value)) validateObject(value, schema, path, errs);

  for (const sub of schema.allOf ?? []) validateSchema(value, sub, path, errs);
  if (schema.anyOf && !schema['x-kubernetes-int-or-string']) {
    const ok = schema.anyOf.some((sub) => {
      const e: FieldError[] = [];
      validateSchema(value, sub, path, e);
      return e.length === 0;
    });
    if (!ok) errs.push(fieldErrors.invalid(path, value, `${where} in body must match at least one schema in anyOf`));
  }
  if (schema.oneOf) {
    const n = schema.oneOf.filter((sub) => {
      const e: FieldError[] = [];
      validateSchema(value, sub, path, e);
      return e.length === 0;
    }).length;
    if (n !== 1) errs.push(fieldErrors.invalid(path, value, `${where} in body must match exactly one schema in oneOf`));
  }
  if (schema.not) {
    const e: FieldError[] = [];
    validateSchema(value, schema.not, path, e);
    if (e.length === 0) errs.push(fieldErrors.invalid(path, value, `${where} in body should not validate the schema`));
  }
}

function validateNumber(value: number, s: Schema, path: string, errs: FieldError[]): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) {
    const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    errs.push(fieldErrors.invalid(path, value, `${path} in body should be ${rel} ${s.minimum}`));
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) {
    const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
    errs.push(fieldErrors.invalid(path, value, `${path} in body should be ${rel} ${s.maximum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf !== 0 && value % s.multipleOf !== 0) {
    errs.push(fieldErrors.invalid(path, value, `${path} in body should be a multiple of ${s.multipleOf}`));
  }
}

function validateString(value: string, s: Schema, path: string, errs: FieldError[]): void {
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) {
    errs.push(fieldErrors.invalid(path, value, `${path} in body should be at least ${s.minLength} chars long`));
  }
  if (s.maxLength !== undefined && length > s.maxLength) {
    errs.push({
      type: 'FieldValueTooLong',
      field: path,
      detail: `Too long: may not be more than ${s.maxLength} bytes`,
    });
  }
  if (s.pattern !== undefined) {
    const re = regex(s.pattern);
    if (re && !re.test(value))
      errs.push(fieldErrors.invalid(path, value, `${path} in body should match '${s.pattern}'`));
  }
  if (s.format === 'date-time' && !DATE_TIME.test(value)) {
    errs.push(fieldErrors.invalid(path, value, `${path} in body must be of type date-time: ${JSON.stringify(value)}`));
  }
}

function validateArray(value: unknown[], s: Schema, path: string, errs: FieldError[]): void {
  if (s.minItems !== undefined && value.length < s.minItems) {
    errs.push(fieldErrors.invalid(path, value.length, `${path} in body should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && value.length > s.maxItems)
    errs.push(fieldErrors.tooMany(path, value.length, s.maxItems));
  const listType = s['x-kubernetes-list-type'];
  if (s.uniqueItems || listType === 'set') {
    value.forEach((item, i) => {
      if (value.findIndex((other) => deepEqual(other, item)) < i)
        errs.push(fieldErrors.duplicate(`${path}[${i}]`, item));
    });
  }
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen: unknown[][] = [];
    value.forEach((item, i) => {
      if (!isObject(item)) return;
      const k = keys.map((key) => item[key]);
      if (seen.some((other) => deepEqual(other, k))) {
        errs.push(fieldErrors.duplicate(`${path}[${i}]`, Object.fromEntries(keys.map((key, j) => [key, k[j]]))));
      }
      seen.push(k);
    });
  }
  if (s.items) value.forEach((item, i) => validateSchema(item, s.items!, `${path}[${i}]`, errs));
}

function validateObject(value: Record<string, unknown>, s: Schema, path: string, errs: FieldError[]): void {
  for (const req of s.required ?? []) {
    if (!(req in value) || value[req] === undefined) errs.push(fieldErrors.required(childPath(path, req)));
  }
  const n = Object.keys(value).length;
  if (s.minProperties !== undefined && n < s.minProperties) {
    errs.push(fieldErrors.invalid(path, n, `${path} in body should have at least ${s.minProperties} properties`));
  }
  if (s.maxProperties !== undefined && n > s.maxProperties) {
    errs.push(fieldErrors.tooMany(path, n, s.maxProperties));
  }
  for (const [key, child] of Object.entries(value)) {
    const prop = s.properties?.[key];
    // Root metadata is ObjectMeta, validated separately; its schema here is only `type: object`.
    if (prop) validateSchema(child, prop, childPath(path, key), errs);
    else if (isObject(s.additionalProperties))
      validateSchema(child, s.additionalProperties, childPath(path, key), errs);
  }
}
