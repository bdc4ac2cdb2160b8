/**
 * The code interpreter's HTTP API (what @e2b/code-interpreter calls on port 49999): POST /execute streams NDJSON;
 * /contexts manages contexts. Errors are plain text with a status, as the reference server answers.
 */
import http from 'node:http';
import { requireAccessToken } from '../envd/auth';
import { RuntimeError, toHttpError } from '../envd/errors';
import { readJson, sendJson } from '../envd/http-util';
import type { RuntimeState } from '../envd/state';
import { normaliseLanguage, type CodeContext, type ContextRegistry } from './contexts';
import { toLine, type KernelEvent, type OutputMessage } from './messages';

function contextJson(context: CodeContext) {
  return { id: context.id, language: context.language, cwd: context.cwd };
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(text);
}

function envVars(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new RuntimeError('invalid_argument', 'env_vars must be an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  return out;
}

async function execute(
  state: RuntimeState,
  contexts: ContextRegistry,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  // The SDK sends X-Access-Token on /execute only, so only /execute can require it.
  requireAccessToken(state.accessToken, req.headers);
  const body = (await readJson(req, 16 * 1024 * 1024)) as Record<string, unknown>;
  if (typeof body.code !== 'string') throw new RuntimeError('invalid_argument', 'code must be a string');
  if (body.context_id && body.language) {
    throw new RuntimeError('invalid_argument', 'only one of context_id and language may be given');
  }
  const context =
    typeof body.context_id === 'string' && body.context_id
      ? contexts.get(body.context_id)
      : contexts.defaultFor(normaliseLanguage(body.language));

  const abort = new AbortController();
  // The client going away (or its timeout) cancels the execution.
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  const write = (message: OutputMessage) => {
    if (!abort.signal.aborted) res.write(toLine(message));
  };
  context.executionCount += 1;
  write({ type: 'number_of_executions', execution_count: context.executionCount });
  const sink = (event: KernelEvent) => {
    if (event.type === 'stdout' || event.type === 'stderr') {
      write({ type: event.type, text: event.text, timestamp: new Date().toISOString() });
    } else if (event.type === 'result' || event.type === 'error') {
      write(event as OutputMessage);
    }
  };
  await context.executor.execute({ code: body.code, env: envVars(body.env_vars) }, sink, abort.signal);
  write({ type: 'end_of_execution' });
  res.end();
}

/** Routes interpreter requests; resolves false for paths that are not the interpreter's. */
export function interpreterRoutes(state: RuntimeState, contexts: ContextRegistry) {
  return async function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path !== '/execute' && path !== '/contexts' && !path.startsWith('/contexts/')) return false;
    try {
      if (path === '/execute' && req.method === 'POST') {
        await execute(state, contexts, req, res);
      } else if (path === '/contexts' && req.method === 'POST') {
        const body = (await readJson(req)) as Record<string, unknown>;
        const cwd = typeof body.cwd === 'string' && body.cwd ? body.cwd : undefined;
        sendJson(res, 200, contextJson(contexts.create(normaliseLanguage(body.language), cwd)));
      } else if (path === '/contexts' && req.method === 'GET') {
        sendJson(res, 200, contexts.list().map(contextJson));
      } else {
        const match = /^\/contexts\/([^/]+)(\/restart)?$/.exec(path);
        const id = match?.[1] ? decodeURIComponent(match[1]) : undefined;
        if (id && match?.[2] && req.method === 'POST') {
          contexts.restart(id);
          sendJson(res, 200, {});
        } else if (id && !match?.[2] && req.method === 'DELETE') {
          contexts.remove(id);
          res.writeHead(204);
          res.end();
        } else {
          sendText(res, 404, 'not found');
        }
      }
    } catch (error) {
      const { status, body } = toHttpError(error);
      sendText(res, status, body.message);
    }
    return true;
  };
}

export function createInterpreterServer(route: ReturnType<typeof interpreterRoutes>): http.Server {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('"OK"');
    }
    if (!(await route(req, res, url))) sendText(res, 404, 'not found');
  });
  server.requestTimeout = 0;
  return server;
}
