/**
 * The decode-and-validate steps every write of an object goes through, in kube-apiserver's order: prune and default
 * (decoding), then validate metadata, the schema or the type's own rules, and the CEL rules.
 */
import { errors, fieldErrors, type FieldError } from '../errors';
import { validateObjectMeta } from '../meta/validation';
import { evaluateValidations } from '../schema/cel';
import { applyDefaults } from '../schema/default';
import { pruneObject } from '../schema/prune';
import { validateSchema } from '../schema/validate';
import type { KubeObject, ResourceType } from '../types';
import { apiVersionOf } from '../types';
import { isObject } from '../util/json';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
  /** Collected `Warning` headers for the response. */
  warnings?: string[];
  /** The body is the caller's to give away (freshly decoded): no defensive copy. */
  owned?: boolean;
}

/** Checks the body is an object of this endpoint's kind and fills in apiVersion/kind when absent. */
export function checkBody(type: ResourceType, body: unknown): KubeObject {
  if (!isObject(body)) throw errors.badRequest('the body of the request must be a JSON object');
  const expected = apiVersionOf(type);
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    // Other versions of a custom resource share storage (conversion None); anything else is a mismatch.
    const sameGroup = type.crd && typeof body.apiVersion === 'string' && body.apiVersion.startsWith(`${type.group}/`);
    if (!sameGroup) {
      throw errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
  }
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw errors.badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  if (body.metadata !== undefined && !isObject(body.metadata)) throw errors.badRequest('metadata must be an object');
  const obj = body as KubeObject;
  obj.apiVersion = expected;
  obj.kind = type.kind;
  obj.metadata ??= {};
  return obj;
}

/** Pruning and defaulting of a custom resource: part of decoding in kube, so it happens before anything else. */
export function decodeCustomResource(type: ResourceType, obj: KubeObject, opts: WriteOptions): void {
  if (!type.schema) return;
  const unknown = pruneObject(obj, type.schema);
  if (unknown.length > 0) {
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Strict') {
      throw errors.badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${unknown
          .map((f) => `unknown field "${f}"`)
          .join(', ')}`,
      );
    }
    if (mode === 'Warn') for (const f of unknown) opts.warnings?.push(`unknown field "${f}"`);
  }
  applyDefaults(obj, type.schema);
}

/** Validation after the object is complete: metadata, then the schema (custom) or the strategy (built-in). */
export function validateObject(
  type: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  subresource?: string,
): void {
  const errs: FieldError[] = validateObjectMeta(obj, type.strategy.nameRule ?? 'subdomain', type.namespaced);
  if (old) {
    if (obj.metadata.namespace !== old.metadata.namespace)
      errs.push(fieldErrors.invalid('metadata.namespace', obj.metadata.namespace, 'field is immutable'));
  }
  if (type.schema) {
    const { metadata: _m, ...rest } = obj;
    validateSchema({ ...rest, metadata: {} }, type.schema, '', errs);
    if (errs.length === 0) errs.push(...evaluateValidations(obj, old, type.schema, ''));
  }
  if (type.strategy.validate) errs.push(...type.strategy.validate(obj, old, subresource));
  if (errs.length > 0)
    throw errors.invalid(type.kind, type.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}
