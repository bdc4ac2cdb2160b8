/** The one error type of @kruise-agents/core/client: a claim or a client call could not be done, and why. */

export type ClaimErrorCode =
  /** The deadline passed before every requested sandbox was claimed; `claimed` holds what was claimed by then. */
  | 'Timeout'
  /** The SandboxSet to claim from does not exist. */
  | 'PoolNotFound'
  /** The caller's signal aborted the claim; `claimed` holds what was claimed by then. */
  | 'Aborted'
  /** A claimed sandbox did not become ready in time (it was deleted or reserved, per the request). */
  | 'NotReady'
  /** An API call failed (see `cause`); `claimed` holds what was claimed by then. */
  | 'Failed';

export class ClaimError extends Error {
  override readonly name = 'ClaimError';

  constructor(
    readonly code: ClaimErrorCode,
    message: string,
    /** Sandboxes claimed before the failure: they are the caller's; release them when they are not wanted. */
    readonly claimed: readonly { metadata: { namespace?: string; name?: string } }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Duck-typed so that two installed copies of this package still recognise each other's errors.
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'ClaimError' &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }
}
