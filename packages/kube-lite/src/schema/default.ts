/** Structural-schema defaulting: a `default` is applied where the field is absent (or null and not nullable). */
import type { Schema } from '../types';
import { clone, isObject } from '../util/json';

export function applyDefaults(value: unknown, schema: Schema): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isObject(value)) return;
  if (schema.properties) {
    for (const [key, prop] of Object.entries(schema.properties)) {
      const present = Object.prototype.hasOwnProperty.call(value, key);
      if (prop.default !== undefined && (!present || (value[key] === null && !prop.nullable))) {
        value[key] = clone(prop.default);
      }
      if (value[key] !== undefined) applyDefaults(value[key], prop);
    }
  }
  if (isObject(schema.additionalProperties)) {
    for (const key of Object.keys(value)) {
      if (!schema.properties?.[key]) applyDefaults(value[key], schema.additionalProperties);
    }
  }
}
