/**
 * The control-plane express app: X-API-Key auth, JSON bodies with a size limit, the E2B routes (also under
 * /kruise/api for clients without wildcard DNS), /health and Prometheus /metrics. It never listens: the server in
 * create-gateway.ts sends data-plane requests to the proxy before they reach it.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  ConnectRequestSchema,
  E2bApiError,
  NewSandboxRequestSchema,
  PauseRequestSchema,
  RefreshRequestSchema,
  ResumeRequestSchema,
  SetTimeoutRequestSchema,
  parseRequest,
} from '@kruise-agents/e2b';
import type { Principal } from './auth/key-store';
import type { GatewayContext } from './context';
import { toErrorResponse } from './errors';
import { createSandbox } from './routes/create';
import { connectSandbox, deleteSandbox, pauseSandbox, refreshSandbox, setTimeoutOf } from './routes/lifecycle';
import { getSandbox, listSandboxes, sandboxMetrics } from './routes/read';

export interface AppOptions {
  /** Largest control-plane JSON body (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
}

type Handler = (req: Request, res: Response, principal: Principal) => Promise<void> | void;

/** An optional body (`{}` when absent), for endpoints the SDK may call with an empty one. */
const bodyOrEmpty = (req: Request): unknown => (req.body === undefined ? {} : req.body);

export function createApp(ctx: GatewayContext, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const send = (res: Response, status: number, body?: unknown) => {
    if (body === undefined) res.status(status).end();
    else res.status(status).json(body);
  };

  /** Authenticates, runs the handler, and turns whatever it throws into the E2B error shape. */
  const route =
    (name: string, handler: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      const end = ctx.metrics.requestSeconds.startTimer({ route: name });
      try {
        const header = req.get('x-api-key');
        const principal = ctx.keys.authenticate(header);
        if (!principal) throw E2bApiError.unauthorized(header ? 'Invalid API Key' : 'missing X-API-Key header');
        await handler(req, res, principal);
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        if (status >= 500) ctx.log.error({ err: error, route: name }, 'request failed');
        if (!res.headersSent) send(res, status, body);
      } finally {
        ctx.metrics.requests.inc({ route: name, status: String(res.statusCode) });
        end();
      }
    };

  /** Aborts when the client goes away, so a create stops waiting for stock nobody will receive. */
  const abortOnClose = (res: Response) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    return abort.signal;
  };

  const api = express.Router();
  const create: Handler = async (req, res, principal) => {
    const body = parseRequest(NewSandboxRequestSchema, req.body);
    send(res, 201, await createSandbox(ctx, principal, body, abortOnClose(res)));
  };
  api.post('/sandboxes', route('create', create));
  api.post('/v2/sandboxes', route('create', create));

  const list =
    (version: 'v1' | 'v2'): Handler =>
    (req, res, principal) => {
      const params = new URL(req.originalUrl, 'http://x').searchParams;
      const { page, nextToken } = listSandboxes(ctx, principal, params, version);
      if (nextToken) res.setHeader('X-Next-Token', nextToken);
      send(res, 200, page);
    };
  api.get('/v2/sandboxes', route('list', list('v2')));
  api.get('/sandboxes', route('list', list('v1')));

  api.get(
    '/sandboxes/:id',
    route('get', async (req, res, principal) =>
      send(res, 200, await getSandbox(ctx, principal, String(req.params.id))),
    ),
  );
  api.delete(
    '/sandboxes/:id',
    route('delete', async (req, res, principal) => {
      await deleteSandbox(ctx, principal, String(req.params.id));
      send(res, 204);
    }),
  );
  api.post(
    '/sandboxes/:id/timeout',
    route('timeout', async (req, res, principal) => {
      const { timeout } = parseRequest(SetTimeoutRequestSchema, req.body);
      await setTimeoutOf(ctx, principal, String(req.params.id), timeout);
      send(res, 204);
    }),
  );
  api.post(
    '/sandboxes/:id/refreshes',
    route('refresh', async (req, res, principal) => {
      const { duration } = parseRequest(RefreshRequestSchema, bodyOrEmpty(req));
      await refreshSandbox(ctx, principal, String(req.params.id), duration || 60);
      send(res, 204);
    }),
  );
  api.post(
    '/sandboxes/:id/pause',
    route('pause', async (req, res, principal) => {
      parseRequest(PauseRequestSchema, bodyOrEmpty(req));
      await pauseSandbox(ctx, principal, String(req.params.id));
      send(res, 204);
    }),
  );
  const connect: Handler = async (req, res, principal) => {
    const { timeout } = parseRequest(ConnectRequestSchema, bodyOrEmpty(req));
    const result = await connectSandbox(ctx, principal, String(req.params.id), timeout);
    send(res, result.resumed ? 201 : 200, result.response);
  };
  api.post('/v2/sandboxes/:id/connect', route('connect', connect));
  api.post('/sandboxes/:id/connect', route('connect', connect));
  api.post(
    '/sandboxes/:id/resume',
    route('resume', async (req, res, principal) => {
      const { timeout, autoPause } = parseRequest(ResumeRequestSchema, bodyOrEmpty(req));
      const result = await connectSandbox(ctx, principal, String(req.params.id), timeout, {
        requirePaused: true,
        autoPause,
      });
      send(res, 201, result.response);
    }),
  );
  api.get(
    '/sandboxes/:id/metrics',
    route('metrics', async (req, res, principal) =>
      send(res, 200, await sandboxMetrics(ctx, principal, String(req.params.id))),
    ),
  );

  app.get('/health', (_req, res) => {
    res.status(200).type('text/plain').send('OK');
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', ctx.metrics.registry.contentType);
    res.end(await ctx.metrics.registry.metrics());
  });

  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  // Any content type is read as JSON: old SDKs and curl users do not always send one.
  const json = express.json({ limit: maxBody, type: () => true, strict: false });
  const parseBody = (req: Request, res: Response, next: NextFunction) =>
    json(req, res, (error?: unknown) => {
      if (!error) return next();
      const { status, body } = toErrorResponse(error);
      send(res, status, body);
    });
  app.use('/kruise/api', parseBody, api);
  app.use(parseBody, api);

  app.use((req: Request, res: Response) => {
    send(res, 404, { code: 404, message: `no such endpoint: ${req.method} ${req.path}` });
  });
  return app;
}
