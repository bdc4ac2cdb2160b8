/** Placeholder until the CEL subset lands: x-kubernetes-validations are not evaluated. */
import type { FieldError } from '../errors';
import type { Schema } from '../types';

export function evaluateValidations(_value: unknown, _old: unknown, _schema: Schema, _path: string): FieldError[] {
  return [];
}
