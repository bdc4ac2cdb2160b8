/**
 * Pruning: fields a structural schema does not specify are dropped (unless x-kubernetes-preserve-unknown-fields), and
 * their paths are returned so fieldValidation=Strict can reject them and Warn can report them.
 */
import type { Schema } from '../types';
import { isObject } from '../util/json';

// ObjectMeta's JSON fields: anything else under metadata is dropped, as decoding into metav1.ObjectMeta does.
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

export function pruneMetadata(metadata: unknown, path: string, unknown: string[]): void {
  if (!isObject(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      unknown.push(`${path}.${key}`);
      delete metadata[key];
    }
  }
}

/** Prunes a whole custom resource (root level: apiVersion, kind and metadata are always kept). */
export function pruneObject(object: Record<string, unknown>, schema: Schema): string[] {
  const unknown: string[] = [];
  for (const key of Object.keys(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      pruneMetadata(object.metadata, 'metadata', unknown);
      continue;
    }
    const prop = schema.properties?.[key];
    if (prop) prune(object[key], prop, key, unknown);
    else if (!schema['x-kubernetes-preserve-unknown-fields']) {
      unknown.push(key);
      delete object[key];
    }
  }
  return unknown;
}

function prune(value: unknown, schema: Schema, path: string, unknown: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => prune(item, schema.items!, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(value)) return;
  if (schema['x-kubernetes-embedded-resource']) {
    pruneMetadata(value.metadata, `${path}.metadata`, unknown);
  }
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    if (schema['x-kubernetes-embedded-resource'] && (key === 'apiVersion' || key === 'kind' || key === 'metadata'))
      continue;
    const prop = schema.properties?.[key];
    if (prop) prune(value[key], prop, `${path}.${key}`, unknown);
    else if (isObject(additional)) prune(value[key], additional, `${path}.${key}`, unknown);
    else if (additional === true || schema['x-kubernetes-preserve-unknown-fields']) continue;
    else {
      unknown.push(`${path}.${key}`);
      delete value[key];
    }
  }
}
