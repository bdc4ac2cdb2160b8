/**
 * Why `up` could not start or stopped: every failure names the part it happened in and what the user can do, so the
 * CLI prints one line instead of a stack trace.
 */
export type PartName =
  | 'data dir'
  | 'api server'
  | 'CRDs'
  | 'local node'
  | 'operator'
  | 'gateway'
  | 'API key'
  | 'pools'
  | 'sandboxes'
  | 'platform';

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly part: PartName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${part})`, options);
  }
}

export class PortBusyError extends PlatformError {
  constructor(part: PartName, host: string, port: number, flag: string) {
    super(part, `port ${port} on ${host} is busy: stop what holds it or pass ${flag} <another port>`);
  }
}

/** The first line of an error's message, for a one-line report. */
export function describeCause(error: unknown): string {
  // Duck-typed: errors from another realm (node's fs under jest) are not `instanceof Error` here.
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const code = (error as NodeJS.ErrnoException).code;
    const first = (error as Error).message.split('\n')[0] ?? '';
    return code && !first.includes(code) ? `${code}: ${first}` : first;
  }
  return String(error);
}

/** Wraps whatever a part's start threw, keeping typed errors as they are. */
export function partFailed(part: PartName, error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  return new PlatformError(part, `could not start: ${describeCause(error)}`, { cause: error });
}
