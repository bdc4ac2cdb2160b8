/**
 * The node's log endpoint, the part of the kubelet's API that `kubectl logs` reaches through the API server:
 * GET /containerLogs/<namespace>/<pod>/<container>?follow&previous&timestamps&tailLines&sinceSeconds&sinceTime&limitBytes.
 * It listens on loopback only and wants the bearer token of the node's own kubeconfig — the API server's token, which
 * kube-lite presents when it proxies, so nothing new is shared. Errors are plain text with the kubelet's status codes;
 * the API server turns them into Status objects.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '@kruise-agents/kube-runtime';
import { logRunFor, LogRequestError, parseLogQuery } from './log-query';
import { streamLog } from './log-read';

export interface LogSource {
  /** The pod as this node last knew it, if it is bound here. */
  pod(namespace: string, name: string): Pod | undefined;
  /** The log file of one run of a container; undefined when containers write none here (virtual mode). */
  logFile(pod: Pod, container: string, run: number): string | undefined;
  /** Whether the file is still being appended to. */
  isWriting(file: string): boolean;
}

export interface LogServerOptions {
  /** 0: a free port. */
  port: number;
  token: string;
  source: LogSource;
  log: (line: string) => void;
}

export interface LogServer {
  readonly port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startLogServer(options: LogServerOptions): Promise<LogServer> {
  const token = Buffer.from(`Bearer ${options.token}`);
  const server = createServer((req, res) => {
    handle(req, res, options, token).catch((error: unknown) => {
      if (!(error instanceof LogRequestError)) options.log(`log endpoint: ${String(error)}`);
      if (res.headersSent) res.destroy();
      else plain(res, error instanceof LogRequestError ? error.status : 500, (error as Error).message);
    });
  });
  server.requestTimeout = 0; // follow streams as long as the container runs
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: LogServerOptions, token: Buffer) {
  const given = Buffer.from(req.headers.authorization ?? '');
  if (given.length !== token.length || !timingSafeEqual(given, token)) return plain(res, 401, 'Unauthorized');
  const url = new URL(req.url ?? '/', 'http://node');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'containerLogs' || parts.length !== 4) return plain(res, 404, '404 page not found');
  if (req.method !== 'GET') return plain(res, 405, 'method not allowed');
  const [, namespace, name, container] = parts as [string, string, string, string];
  const query = parseLogQuery(url.searchParams);
  const pod = options.source.pod(namespace, name);
  if (!pod) throw new LogRequestError(404, `pod "${namespace}/${name}" does not exist`);
  const file = options.source.logFile(pod, container, logRunFor(pod, container, query.previous));
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders(); // `kubectl logs -f` shows nothing until the headers come
  if (file) {
    await streamLog(file, query, res, { isWriting: () => options.source.isWriting(file), signal: abort.signal });
  }
  res.end();
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) });
  res.end(message);
}
