import { toViolations } from '@kruise-agents/api';
import type { z } from 'zod';
import { E2bApiError } from './errors';

/** Parses a request body; a bad one becomes a 400 naming every field and rule (`timeout: must be ≥ 1 second`). */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw E2bApiError.badRequest('request body: must be a JSON object');
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  throw E2bApiError.badRequest(
    toViolations(result.error)
      .map((v) => `${v.path}: ${v.rule}`)
      .join('; '),
  );
}
