/**
 * The one error type of kube-runtime: an API server's metav1.Status, or a transport failure, with the reason
 * callers branch on (`NotFound`, `Conflict`, `AlreadyExists`, `Expired`, …).
 */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'Gone'
  | 'Expired'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'InternalError'
  | 'Unknown';

export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    /** HTTP status; 0 when the request never got an answer (connection refused, reset, aborted). */
    readonly status: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusBody['details'],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static fromStatus(status: number, body: StatusBody | undefined, fallback: string): KubeApiError {
    const reason = (body?.reason as StatusReason | undefined) ?? REASON_BY_CODE[status] ?? 'Unknown';
    return new KubeApiError(status, reason, body?.message ?? fallback, body?.details);
  }

  static transport(cause: unknown, what: string): KubeApiError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new KubeApiError(0, 'Unknown', `${what}: ${message}`, undefined, { cause });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'KubeApiError';
  }
}

export const isNotFound = (e: unknown) => e instanceof KubeApiError && e.status === 404;
/** A write lost an optimistic-concurrency race (stale resourceVersion). */
export const isConflict = (e: unknown) => e instanceof KubeApiError && e.status === 409 && e.reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown) => e instanceof KubeApiError && e.reason === 'AlreadyExists';
/** A watch or list asked for a resourceVersion the server no longer has. */
export const isGone = (e: unknown) => e instanceof KubeApiError && (e.status === 410 || e.reason === 'Expired');
