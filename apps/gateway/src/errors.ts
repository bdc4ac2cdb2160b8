/**
 * Every failure a handler can meet, as the HTTP status and E2B body `{code, message}` the SDKs expect (the body's
 * `code` always equals the status: the SDK branches on it). One table, unit-tested in errors.test.ts.
 */
import { E2bApiError, type E2bErrorBody } from '@kruise-agents/e2b';
import { KubeApiError } from '@kruise-agents/kube-runtime';
import { ClaimError } from '@kruise-agents/core/client';

export interface ErrorResponse {
  status: number;
  body: E2bErrorBody;
}

const respond = (status: number, message: string): ErrorResponse => ({ status, body: { code: status, message } });

/** Kubernetes API failures seen by a handler: the client's fault (4xx) is told, the platform's is a 5xx. */
function fromKube(error: KubeApiError): ErrorResponse {
  if (error.status === 404) return respond(404, `not found: ${error.message}`);
  // A lost optimistic-concurrency race that the handler did not retry: the caller may try again.
  if (error.status === 409) return respond(409, `conflict: ${error.message}`);
  if (error.status === 400 || error.status === 422) return respond(400, error.message);
  if (error.status === 429) return respond(429, 'the Kubernetes API server is busy, try again');
  if (error.status === 0) return respond(503, `the Kubernetes API server is unreachable: ${error.message}`);
  return respond(500, `Kubernetes API error ${error.status}: ${error.message}`);
}

function fromClaim(error: ClaimError): ErrorResponse {
  switch (error.code) {
    case 'PoolNotFound':
      return respond(404, error.message);
    case 'Timeout':
      // No stock within the bound: the pool is exhausted for now, which the SDK shows as "service busy".
      return respond(503, error.message);
    case 'NotReady':
      return respond(500, error.message);
    case 'Aborted':
      return respond(499 as number, error.message);
    default:
      return respond(500, error.message);
  }
}

/** The response for anything a handler threw. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof E2bApiError) return { status: error.status, body: error.toBody() };
  if (error instanceof ClaimError) return fromClaim(error);
  if (error instanceof KubeApiError) return fromKube(error);
  const status = (error as { status?: unknown; type?: unknown }).status;
  // Body-parser errors (express.json): malformed JSON, too large, wrong charset.
  if ((error as { type?: unknown }).type === 'entity.too.large') return respond(413, 'request body is too large');
  if ((error as { type?: unknown }).type === 'entity.parse.failed') {
    return respond(400, `request body: malformed JSON (${(error as Error).message})`);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) return respond(status, (error as Error).message);
  return respond(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
}
