/** Small helpers for the plain-HTTP endpoints: bounded JSON bodies and envd-style error answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RuntimeError, toHttpError } from './errors';

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RuntimeError('invalid_argument', `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new RuntimeError('invalid_argument', 'body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Answers with `{code, message}`, or just ends the response if headers already went out. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = toHttpError(error);
  // A request body we did not read must not be mistaken for the next request on a keep-alive connection.
  res.setHeader('connection', 'close');
  sendJson(res, status, body);
}
