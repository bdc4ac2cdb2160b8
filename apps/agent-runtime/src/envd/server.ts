/**
 * The envd HTTP server: plain routes (/health, /init, /envs, /metrics, /files), the code interpreter's routes when it
 * shares the port, and everything else to the Connect router (process.Process, filesystem.Filesystem). HTTP/1.1,
 * which is what the SDK speaks over http://.
 */
import http from 'node:http';
import type { Interceptor } from '@connectrpc/connect';
import { Filesystem } from '../gen/filesystem/filesystem_pb';
import { Process } from '../gen/process/process_pb';
import { requireAccessToken } from './auth';
import { toConnectError } from './errors';
import { handleFilesGet, handleFilesPost } from './files-http';
import { filesystemService } from './filesystem/service';
import { WatcherRegistry } from './filesystem/watchers';
import { sendError } from './http-util';
import { processService } from './process/service';
import { connectHandler } from './rpc-adapter';
import type { ProcessTable } from './process/table';
import type { RuntimeState } from './state';
import { handleEnvs, handleHealth, handleInit, handleMetrics } from './system';

/** Handles a request if it belongs to another service sharing this port; resolves false otherwise. */
export type ExtraRoutes = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

async function* mapStreamErrors<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw toConnectError(error);
  }
}

/** Token check on every RPC, and the one place domain errors become Connect errors. */
function boundary(state: RuntimeState): Interceptor {
  return (next) => async (req) => {
    try {
      requireAccessToken(state.accessToken, req.header);
      const res = await next(req);
      if (res.stream) return { ...res, message: mapStreamErrors(res.message) };
      return res;
    } catch (error) {
      throw toConnectError(error);
    }
  };
}

export function createEnvdServer(
  state: RuntimeState,
  processes: ProcessTable,
  watchers: WatcherRegistry,
  extra?: ExtraRoutes,
): http.Server {
  const rpc = connectHandler(
    // Connect only: the SDK speaks Connect JSON; gRPC(-Web) would need HTTP/2 trailers we do not promise.
    // readMaxBytes: unary bodies are buffered whole, so bound them (the SDK's largest is a SendInput chunk).
    { connect: true, grpc: false, grpcWeb: false, interceptors: [boundary(state)], readMaxBytes: 32 * 1024 * 1024 },
    (router) => {
      router.service(Process, processService(state, processes));
      router.service(Filesystem, filesystemService(state, watchers));
    },
    (line) => state.log(line),
  );

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return handleHealth(res);
      if (url.pathname === '/files') {
        if (req.method === 'GET') return await handleFilesGet(state, req, res, url);
        if (req.method === 'POST') return await handleFilesPost(state, req, res, url);
      }
      if (url.pathname === '/init' && req.method === 'POST') return await handleInit(state, req, res);
      if (url.pathname === '/envs' && req.method === 'GET') return handleEnvs(state, req, res);
      if (url.pathname === '/metrics' && req.method === 'GET') return await handleMetrics(state, req, res);
      if (extra && (await extra(req, res, url))) return;
      rpc(req, res);
    } catch (error) {
      sendError(res, error);
    }
  });
  // Streams (and 1 GiB uploads) legitimately outlive node's default request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  return server;
}

export { WatcherRegistry };
