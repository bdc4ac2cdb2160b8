/**
 * The data-plane reverse proxy: node:http end to end, both directions piped as they arrive (Connect streams, chunked
 * uploads and downloads), WebSocket and other upgrades spliced at the socket level, upstream connections kept alive.
 * Routes come from the SandboxRegistry (an informer cache); the runtime itself checks the access token.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { sandboxPortAddress, type SandboxTarget } from '@kruise-agents/e2b';
import type { SandboxRegistry } from '../sandbox-registry';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardHeaders(headers: http.IncomingHttpHeaders, remote: string | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  if (remote) {
    const prior = headers['x-forwarded-for'];
    out['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
  }
  return out;
}

function responseHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

export interface ProxyOptions {
  registry: SandboxRegistry;
  /** A sandbox ID not yet in the cache is waited for this long (a create whose watch event is in flight). */
  unknownWaitMs?: number;
  onResult?: (result: 'proxied' | 'unknown' | 'paused' | 'not-running' | 'upstream-error') => void;
}

export interface SandboxProxy {
  handleRequest(req: http.IncomingMessage, res: http.ServerResponse, target: SandboxTarget): void;
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: SandboxTarget): void;
  close(): void;
}

const MESSAGES = {
  unknown: (id: string) => `sandbox not found: ${id}`,
  paused: (id: string) => `sandbox ${id} is paused: connect to it to resume it`,
  'not-running': (id: string) => `healthy sandbox not found: ${id}`,
  'no-address': (id: string) => `healthy sandbox not found: ${id} has no address yet`,
};

export function createSandboxProxy(options: ProxyOptions): SandboxProxy {
  const { registry } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, scheduling: 'lifo' });
  const report = options.onResult ?? (() => {});
  const unknownWaitMs = options.unknownWaitMs ?? 1000;

  const resolve = async (target: SandboxTarget) => {
    let route = registry.route(target.sandboxId);
    if (!route.ok && route.reason === 'unknown' && unknownWaitMs > 0) {
      await registry.awaitId(target.sandboxId, unknownWaitMs);
      route = registry.route(target.sandboxId);
    }
    return route;
  };

  const fail = (res: http.ServerResponse, status: number, message: string) => {
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ code: status, message });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handleRequest: SandboxProxy['handleRequest'] = (req, res, target) => {
    // Hold the request body until the route is known; piping starts it flowing again.
    req.pause();
    void resolve(target).then((route) => {
      if (!route.ok) {
        report(route.reason === 'no-address' ? 'not-running' : route.reason);
        req.resume();
        return fail(res, 502, MESSAGES[route.reason](target.sandboxId));
      }
      const { host, port } = sandboxPortAddress(route.address, target.port);
      const upstream = http.request({
        host,
        port,
        method: req.method,
        path: target.path,
        headers: forwardHeaders(req.headers, req.socket.remoteAddress),
        agent,
      });
      upstream.setNoDelay(true);
      upstream.on('response', (up) => {
        report('proxied');
        res.writeHead(up.statusCode ?? 502, up.statusMessage, responseHeaders(up.headers));
        // Headers first: a Connect stream's client waits for them before the first message.
        res.flushHeaders();
        up.pipe(res);
        up.on('error', () => res.destroy());
      });
      upstream.on('error', (error) => {
        report('upstream-error');
        fail(res, 502, `sandbox ${target.sandboxId} port ${target.port} is unreachable: ${error.message}`);
      });
      // The client went away mid-stream: stop the upstream call too (a command's stream, a download).
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
  };

  const handleUpgrade: SandboxProxy['handleUpgrade'] = (req, socket, head, target) => {
    socket.on('error', () => socket.destroy());
    void resolve(target).then((route) => {
      if (!route.ok) {
        report(route.reason === 'no-address' ? 'not-running' : route.reason);
        const body = JSON.stringify({ code: 502, message: MESSAGES[route.reason](target.sandboxId) });
        socket.end(
          `HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
        return;
      }
      const { host, port } = sandboxPortAddress(route.address, target.port);
      const headers = forwardHeaders(req.headers, req.socket.remoteAddress);
      headers.connection = 'Upgrade';
      headers.upgrade = req.headers.upgrade ?? 'websocket';
      const upstream = http.request({ host, port, method: req.method, path: target.path, headers });
      upstream.on('upgrade', (up, upSocket, upHead) => {
        report('proxied');
        const lines = [`HTTP/1.1 ${up.statusCode ?? 101} ${up.statusMessage ?? 'Switching Protocols'}`];
        for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (upHead.length > 0) socket.write(upHead);
        if (head.length > 0) upSocket.write(head);
        upSocket.on('error', () => socket.destroy());
        socket.on('close', () => upSocket.destroy());
        upSocket.on('close', () => socket.destroy());
        upSocket.pipe(socket);
        socket.pipe(upSocket);
      });
      // The upstream refused the upgrade: relay its plain answer and close.
      upstream.on('response', (up) => {
        const lines = [`HTTP/1.1 ${up.statusCode ?? 502} ${up.statusMessage ?? ''}`];
        for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        up.pipe(socket);
      });
      upstream.on('error', () => {
        report('upstream-error');
        socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      });
      upstream.end();
    });
  };

  return { handleRequest, handleUpgrade, close: () => agent.destroy() };
}
