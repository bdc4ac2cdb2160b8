/**
 * Validation with errors that name the field and the rule: `spec.replicas: must be ≥ 1`.
 */
import type { z } from 'zod';
import { ValidationError, type FieldViolation } from './errors';
import { RESOURCES } from './resources';

type Issue = z.core.$ZodIssue;

/** The dotted path of an issue: `spec.containers[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '<root>';
}

/** States the rule an issue broke, in the words kubectl users read. */
export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '≥';
      if (issue.origin === 'string') return `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
      return `must be ${op} ${issue.minimum}`;
    }
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '≤';
      if (issue.origin === 'string') return `must be no more than ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be ${op} ${issue.maximum}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'has an invalid value';
    case 'unrecognized_keys':
      return `has unknown fields ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** zod's issues as field violations. Custom messages set in the schemas win over the generic wording. */
export function toViolations(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldViolation[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    rule: hasCustomMessage(issue) && !isMissing(issue) ? issue.message : describeIssue(issue),
  }));
}

function isMissing(issue: Issue): boolean {
  return issue.code === 'invalid_type' && issue.input === undefined;
}

function hasCustomMessage(issue: Issue): boolean {
  // By convention every message written in this package's schemas states a rule and starts with "must";
  // zod's own wording ("Invalid input", "Too small: …") is replaced by describeIssue.
  return issue.message.startsWith('must');
}

/**
 * Parses a value with a schema; on failure throws a ValidationError listing every broken rule.
 * Defaults are applied to what is returned.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, subject = 'object'): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(subject, toViolations(result.error));
  return result.data;
}

/** Validates an object of any kind of this group, chosen by its `kind`. */
export function validateObject(value: unknown): unknown {
  const kind = (value as { kind?: unknown } | null)?.kind;
  const resource = RESOURCES.find((r) => r.kind === kind);
  if (!resource) {
    throw new ValidationError('object', [
      { path: 'kind', rule: `must be one of ${RESOURCES.map((r) => r.kind).join(', ')}` },
    ]);
  }
  const meta = (value as { metadata?: { namespace?: string; name?: string } }).metadata;
  const subject = `${resource.kind} ${[meta?.namespace, meta?.name].filter(Boolean).join('/') || '(unnamed)'}`;
  return validate(resource.schema, value, subject);
}
