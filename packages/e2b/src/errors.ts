/**
 * The E2B API's error: an HTTP status and a message, sent as `{"code": <status>, "message": "…"}`. The SDK reads the
 * body's `code` (not the HTTP status) for its 404/409 special cases, so both always agree.
 */
export type E2bErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

export interface E2bErrorBody {
  code: number;
  message: string;
}

export class E2bApiError extends Error {
  override readonly name = 'E2bApiError';

  constructor(
    readonly status: E2bErrorStatus,
    message: string,
  ) {
    super(message);
  }

  toBody(): E2bErrorBody {
    return { code: this.status, message: this.message };
  }

  static badRequest = (message: string) => new E2bApiError(400, message);
  static unauthorized = (message = 'Invalid API Key') => new E2bApiError(401, message);
  static notFound = (message: string) => new E2bApiError(404, message);
  static conflict = (message: string) => new E2bApiError(409, message);

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'E2bApiError' &&
      typeof (value as { status?: unknown }).status === 'number'
    );
  }
}
