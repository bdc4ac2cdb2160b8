/**
 * envd's /files REST endpoint. Uploads (multipart, single or batch, or a raw octet-stream body, optionally gzip) and
 * downloads are streamed between the socket and the disk, so memory stays flat whatever the file size.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
// Must precede busboy: see cjs-require.ts.
import '../util/cjs-require';
import busboy from 'busboy';
import { authorizeFiles } from './auth';
import { RuntimeError } from './errors';
import { makeDirs, chownTo } from './filesystem/ownership';
import { ensureHome } from './home';
import type { RuntimeState } from './state';
import type { SandboxUser } from './users';

interface WrittenEntry {
  path: string;
  name: string;
  type: 'file';
  metadata?: Record<string, string>;
}

interface FilesRequest {
  user: SandboxUser;
  query: URLSearchParams;
}

async function prepare(
  state: RuntimeState,
  req: IncomingMessage,
  url: URL,
  op: 'read' | 'write',
): Promise<FilesRequest> {
  authorizeFiles(state.accessToken, req.headers, url.searchParams, op);
  const name = url.searchParams.get('username') || undefined;
  const user = state.user(name);
  await ensureHome(state, user);
  return { user, query: url.searchParams };
}

export async function handleFilesGet(
  state: RuntimeState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { user, query } = await prepare(state, req, url, 'read');
  const requested = query.get('path');
  if (!requested) throw new RuntimeError('invalid_argument', 'the path query parameter is required');
  const host = state.fs.resolve(requested, user.home);
  const stats = await fsp.stat(host).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? new RuntimeError('not_found', `file ${requested} not found`)
      : error;
  });
  if (stats.isDirectory()) throw new RuntimeError('invalid_argument', `path ${requested} is a directory`);
  // Open before answering so that a permission error is still a clean JSON error.
  const handle = await fsp.open(host, 'r');
  const stream = handle.createReadStream({ highWaterMark: 256 * 1024 });
  // fetch offers gzip on every request, so compress only when gzip is the sole encoding offered: that is the
  // SDK's explicit `gzip: true`. Compressing everything would halve download throughput for nothing on loopback.
  const gzip = (req.headers['accept-encoding'] ?? '').trim().toLowerCase() === 'gzip';
  const filename = path.basename(host).replace(/["\\\r\n]/g, '_');
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${filename}"`,
    ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : { 'content-length': String(stats.size) }),
  });
  await pipeline(gzip ? [stream, zlib.createGzip({ level: 1 }), res] : [stream, res]).catch(() => {
    // The client went away mid-download; nothing to report to it.
    res.destroy();
  });
}

export async function handleFilesPost(
  state: RuntimeState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { user, query } = await prepare(state, req, url, 'write');
  const metadata = metadataHeaders(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  let written: WrittenEntry[];
  if (contentType.startsWith('multipart/form-data')) {
    written = await receiveMultipart(state, user, req, query.get('path'), metadata);
  } else {
    const requested = query.get('path');
    if (!requested) throw new RuntimeError('invalid_argument', 'the path query parameter is required for a raw upload');
    const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
    if (encoding && encoding !== 'gzip' && encoding !== 'identity') {
      throw new RuntimeError('invalid_argument', `unsupported Content-Encoding ${encoding}`);
    }
    const body: Readable = encoding === 'gzip' ? req.pipe(zlib.createGunzip()) : req;
    if (body !== req) req.on('error', (error) => body.destroy(error));
    written = [await writeFile(state, user, requested, body, metadata)];
  }
  if (written.length === 0) throw new RuntimeError('invalid_argument', 'no file in the request');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(written));
}

function metadataHeaders(req: IncomingMessage): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-metadata-') || value === undefined) continue;
    out[name.slice('x-metadata-'.length)] = Array.isArray(value) ? value.join(',') : value;
    any = true;
  }
  return any ? out : undefined;
}

/** Streams one upload to its destination: parents created, existing file truncated, owned by the user. */
async function writeFile(
  state: RuntimeState,
  user: SandboxUser,
  requested: string,
  body: Readable,
  metadata: Record<string, string> | undefined,
): Promise<WrittenEntry> {
  let host: string;
  try {
    host = state.fs.resolve(requested, user.home);
    const existing = await fsp.stat(host).catch(() => undefined);
    if (existing?.isDirectory()) throw new RuntimeError('invalid_argument', `path ${requested} is a directory`);
    await makeDirs(user, path.dirname(host));
  } catch (error) {
    body.resume(); // Drain so that the rest of the request can still be read (and the error answered).
    throw error;
  }
  await pipeline(body, fs.createWriteStream(host, { highWaterMark: 256 * 1024 }));
  await chownTo(user, host);
  if (metadata) state.fileMetadata.set(host, metadata);
  else state.fileMetadata.delete(host);
  const sandboxPath = state.fs.toSandbox(host);
  return { path: sandboxPath, name: path.posix.basename(sandboxPath), type: 'file', ...(metadata ? { metadata } : {}) };
}

/**
 * Multipart: every part named "file" is a file whose filename is its full destination path (the SDK's batch
 * write); a `?path=` query names the destination of a single-file upload. Parts are written one after another.
 */
function receiveMultipart(
  state: RuntimeState,
  user: SandboxUser,
  req: IncomingMessage,
  queryPath: string | null,
  metadata: Record<string, string> | undefined,
): Promise<WrittenEntry[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // preservePath: the filename carries the directories; plain multipart parsers strip them.
      parser = busboy({ headers: req.headers, preservePath: true, limits: { fields: 100, files: 10_000 } });
    } catch (error) {
      reject(new RuntimeError('invalid_argument', `bad multipart request: ${(error as Error).message}`));
      return;
    }
    const written: WrittenEntry[] = [];
    let chain = Promise.resolve();
    let failed = false;
    let index = 0;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      const position = index++;
      if (failed || field !== 'file') {
        stream.resume();
        return;
      }
      const target = position === 0 && queryPath ? queryPath : info.filename;
      // A truncated body errors the part stream, possibly before the write below is listening.
      stream.on('error', (error: Error) =>
        fail(new RuntimeError('invalid_argument', `bad multipart body: ${error.message}`)),
      );
      // Writes are chained so that a batch is written in order; busboy waits for each part to be consumed.
      chain = chain.then(async () => {
        if (failed) return void stream.resume();
        if (!target) {
          stream.resume();
          throw new RuntimeError('invalid_argument', 'a file part has no filename and there is no path');
        }
        written.push(await writeFile(state, user, target, stream, metadata));
      });
      chain.catch(fail);
    });
    parser.on('error', (error: Error) =>
      fail(new RuntimeError('invalid_argument', `bad multipart body: ${error.message}`)),
    );
    parser.on('close', () => {
      chain.then(() => resolve(written), fail);
    });
    req.on('error', fail);
    req.pipe(parser);
  });
}
