/** The one error type of @kruise-agents/core: a decision could not be made from the input it was given. */

export type CoreErrorCode =
  /** A SandboxSet uses templateRef and the referenced SandboxTemplate was not supplied. */
  | 'TemplateNotResolved'
  /** A claim request asks for something a claim may not do (e.g. set the sandbox-id label). */
  | 'InvalidClaimRequest'
  /** An annotation this package reads holds something other than its documented JSON (init request, CSI mounts). */
  | 'InvalidAnnotation'
  /** A dynamic volume cannot be mounted as asked (its PersistentVolume has no path, or the subPath leaves it). */
  | 'InvalidVolume';

export class CoreError extends Error {
  override readonly name = 'CoreError';

  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Duck-typed so that two installed copies of this package still recognise each other's errors.
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'CoreError' &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }
}
