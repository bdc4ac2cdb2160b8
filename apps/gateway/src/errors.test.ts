import { describe, expect, it } from '@jest/globals';
import { ClaimError } from '@kruise-agents/core/client';
import { E2bApiError } from '@kruise-agents/e2b';
import { KubeApiError } from '@kruise-agents/kube-runtime';
import { toErrorResponse } from './errors';

describe('toErrorResponse: every failure as status + {code, message} with code = status', () => {
  it.each([
    ['E2bApiError 400', E2bApiError.badRequest('timeout: bad'), 400],
    ['E2bApiError 401', E2bApiError.unauthorized(), 401],
    ['E2bApiError 404', E2bApiError.notFound('x'), 404],
    ['E2bApiError 409', E2bApiError.conflict('x'), 409],
    ['Kube 404', new KubeApiError(404, 'NotFound', 'gone'), 404],
    ['Kube 409 (lost race)', new KubeApiError(409, 'Conflict', 'stale'), 409],
    ['Kube 422', new KubeApiError(422, 'Invalid', 'bad spec'), 400],
    ['Kube 429', new KubeApiError(429, 'TooManyRequests', 'slow down'), 429],
    ['Kube unreachable', new KubeApiError(0, 'Unknown', 'ECONNREFUSED'), 503],
    ['Kube 500', new KubeApiError(500, 'InternalError', 'boom'), 500],
    ['Claim PoolNotFound', new ClaimError('PoolNotFound', 'no set'), 404],
    ['Claim Timeout', new ClaimError('Timeout', 'no stock'), 503],
    ['Claim NotReady', new ClaimError('NotReady', 'never ready'), 500],
    ['body too large', Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 }), 413],
    ['malformed JSON', Object.assign(new Error('Unexpected end'), { type: 'entity.parse.failed', status: 400 }), 400],
    ['anything else', new Error('bug'), 500],
    ['a thrown string', 'bug', 500],
  ])('%s → %i', (_what, error, status) => {
    const response = toErrorResponse(error);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ code: status, message: expect.any(String) });
    expect(response.body.message.length).toBeGreaterThan(0);
  });
});
