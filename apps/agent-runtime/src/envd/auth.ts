/**
 * Request authentication, as envd does it (auth.go):
 * - once an access token is set, X-Access-Token must match it (constant-time compare);
 * - /files may instead carry a v1 signature over "<path>:<op>:<user>:<token>[:<expiration>]";
 * - the user is chosen with `Authorization: Basic base64("<name>:")` on RPCs and `?username=` on /files.
 */
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RuntimeError } from './errors';

export function tokensEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

function headerValue(headers: IncomingHttpHeaders | Headers, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Throws unauthenticated unless the request carries the token (or no token is set yet). */
export function requireAccessToken(expected: string | undefined, headers: IncomingHttpHeaders | Headers): void {
  if (expected === undefined) return;
  const got = headerValue(headers, 'x-access-token');
  if (got === undefined || !tokensEqual(got, expected)) {
    throw new RuntimeError('unauthenticated', got === undefined ? 'missing X-Access-Token' : 'invalid access token');
  }
}

/** The user named by `Authorization: Basic …`, if any. */
export function basicAuthUser(headers: IncomingHttpHeaders | Headers): string | undefined {
  const auth = headerValue(headers, 'authorization');
  if (!auth) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(auth);
  if (!match?.[1]) throw new RuntimeError('unauthenticated', 'unsupported Authorization scheme');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const name = decoded.split(':')[0] ?? '';
  return name === '' ? undefined : name;
}

export function fileSignature(
  path: string,
  operation: 'read' | 'write',
  user: string,
  token: string,
  expiration?: number,
): string {
  const payload = `${path}:${operation}:${user}:${token}${expiration === undefined ? '' : `:${expiration}`}`;
  return 'v1_' + crypto.createHash('sha256').update(payload).digest('base64').replace(/=+$/, '');
}

/** /files authorisation: the header wins when present; otherwise a valid, unexpired signature is required. */
export function authorizeFiles(
  expected: string | undefined,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  operation: 'read' | 'write',
  now = Date.now(),
): void {
  if (expected === undefined) return;
  if (headerValue(headers, 'x-access-token') !== undefined) return requireAccessToken(expected, headers);
  const signature = query.get('signature');
  if (!signature) throw new RuntimeError('unauthenticated', 'missing X-Access-Token or signature');
  const rawExpiration = query.get('signature_expiration');
  let expiration: number | undefined;
  if (rawExpiration !== null) {
    expiration = Number(rawExpiration);
    if (!Number.isInteger(expiration)) throw new RuntimeError('unauthenticated', 'invalid signature_expiration');
    if (expiration * 1000 < now) throw new RuntimeError('unauthenticated', 'signature has expired');
  }
  const wanted = fileSignature(query.get('path') ?? '', operation, query.get('username') ?? '', expected, expiration);
  if (!tokensEqual(signature, wanted)) throw new RuntimeError('unauthenticated', 'invalid signature');
}
