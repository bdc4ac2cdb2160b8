/**
 * Serves a Connect router on node:http, like connect-node's connectNodeAdapter, except that a client that went away
 * mid-stream is not logged as a failure: background commands disconnect by design (handle.disconnect()).
 */
import type http from 'node:http';
import { createConnectRouter, type ConnectRouter, type ConnectRouterOptions } from '@connectrpc/connect';
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';

export function connectHandler(
  options: ConnectRouterOptions,
  routes: (router: ConnectRouter) => void,
  log: (line: string) => void,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const router = createConnectRouter(options);
  routes(router);
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));
  return (req, res) => {
    const handler = handlers.get((req.url ?? '').split('?', 1)[0] ?? '');
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'unimplemented', message: `no such procedure ${req.url ?? ''}` }));
      return;
    }
    handler(universalRequestFromNodeRequest(req, res, undefined, undefined))
      .then((uRes) => universalResponseToNodeResponse(uRes, res))
      .catch((reason: unknown) => {
        if (res.destroyed || req.destroyed) return;
        log(`rpc ${handler.service.typeName}/${handler.method.name} failed: ${String(reason)}`);
      });
  };
}
