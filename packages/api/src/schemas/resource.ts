import { z } from 'zod';
import { API_VERSION } from '../group';
import { ObjectMetaSchema } from './common';

/** apiVersion, kind and metadata: the envelope every kind of this group shares. */
export function objectEnvelope<K extends string>(kind: K) {
  return {
    apiVersion: z.literal(API_VERSION, `must be ${API_VERSION}`),
    kind: z.literal(kind, `must be ${kind}`),
    metadata: ObjectMetaSchema,
  };
}

/** A rule carried both by zod (checked in TypeScript) and by CEL (checked by an API server). */
export function celRule(rule: string, message: string) {
  return { 'x-kubernetes-validations': [{ rule, message }] };
}
