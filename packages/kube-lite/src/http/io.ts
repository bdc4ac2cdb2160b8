/** Reading request bodies and writing responses, with kube-apiserver's limits and media types. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from '../errors';
import { decodeProtobufObject } from './protobuf';

/** kube-apiserver refuses request bodies over 3 MiB (and etcd objects over 1.5 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw errors.tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw errors.tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const JSON_TYPES = ['application/json', 'application/yaml'];

/** Decodes a create/update body (JSON, or YAML as kube accepts); protobuf and the rest are 415. */
export function decodeObjectBody(req: IncomingMessage, body: Buffer): unknown {
  const type = mediaType(req) || 'application/json';
  if (type === 'application/json' || type === '*/*') return parseJson(body);
  if (type === 'application/yaml') return parseYamlBody(body);
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  throw errors.unsupportedMediaType(type, JSON_TYPES);
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw errors.badRequest('the body of the request was empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw errors.badRequest(`error decoding body: ${(error as Error).message}`);
  }
}

export function parseYamlBody(body: Buffer): unknown {
  try {
    return parseYaml(body.toString('utf8'), { version: '1.2' });
  } catch (error) {
    throw errors.badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, value: unknown, warnings: string[] = []): void {
  const body = JSON.stringify(value);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(body)),
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError ? error : errors.internal(error instanceof Error ? error.message : String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, apiError.code, apiError.toStatus());
}

export interface Negotiated {
  /** as=Table, as=PartialObjectMetadata[List], or plain. */
  as: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' | undefined;
  tableVersion: 'v1' | 'v1beta1';
}

/** Content negotiation on the Accept header: the first acceptable clause wins, as in apimachinery. */
export function negotiate(req: IncomingMessage): Negotiated {
  const accept = req.headers.accept ?? '';
  if (!accept) return { as: undefined, tableVersion: 'v1' };
  let anyJson = false;
  for (const clause of accept.split(',')) {
    const [type, ...params] = clause.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*' && type !== 'application/yaml')
      continue;
    if (p.as === undefined) {
      anyJson = true;
      return { as: undefined, tableVersion: 'v1' };
    }
    if (p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) {
      if (p.as === 'Table' || p.as === 'PartialObjectMetadata' || p.as === 'PartialObjectMetadataList') {
        return { as: p.as, tableVersion: p.v };
      }
    }
  }
  if (!anyJson) {
    throw new ApiError(
      406,
      'NotAcceptable',
      `only the following media types are accepted: application/json, application/yaml`,
    );
  }
  return { as: undefined, tableVersion: 'v1' };
}
