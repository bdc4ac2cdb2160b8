/** The one error type of @kruise-agents/api: a value broke a rule. */

/** One broken rule: where (a dotted field path such as `spec.replicas`) and which rule (`must be ≥ 1`). */
export interface FieldViolation {
  readonly path: string;
  readonly rule: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'Invalid' as const;

  constructor(
    /** What was being validated, e.g. `SandboxClaim default/demo`. */
    readonly subject: string,
    readonly violations: readonly FieldViolation[],
  ) {
    super(`${subject} is invalid: ${violations.map((v) => `${v.path}: ${v.rule}`).join('; ')}`);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Duck-typed so that two installed copies of this package still recognise each other's errors.
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'ValidationError' &&
      Array.isArray((value as { violations?: unknown }).violations)
    );
  }
}
