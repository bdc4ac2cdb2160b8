/**
 * GET pods/{name}/log, as kube-apiserver serves it: the options validated, the container chosen, and the request
 * passed on to the node that runs the pod (its kubelet endpoint, from the Node object), whose answer is streamed back
 * as it comes — `follow` lasts as long as the node keeps the stream open, and nothing is buffered whole. The node's
 * errors become Status objects.
 */
import { request, type IncomingMessage } from 'node:http';
import { ApiError, errors } from '../errors';
import { kubeletEndpoint, kubeletLogPath, logContainer, parsePodLogOptions } from '../logs/log-options';
import { getObject } from '../rest/objects';
import type { HandlerRequest } from './context';

const NODE_TYPE_KEY = 'core/nodes';
const MAX_ERROR_BODY = 64 * 1024;

export async function handleLog(h: HandlerRequest): Promise<void> {
  const { info, state } = h;
  const opts = parsePodLogOptions(info.name, h.query);
  const pod = getObject(state, h.type, info.namespace, info.name);
  const container = logContainer(pod, opts.container);
  const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  // Not scheduled yet: no node has a log for it, and kube-apiserver answers with an empty one.
  if (typeof nodeName !== 'string' || !nodeName) return sendText(h, '');
  const node = state.store.get(NODE_TYPE_KEY, '', nodeName);
  if (!node) throw errors.notFound('', 'nodes', nodeName);
  const { host, port } = kubeletEndpoint(node);
  const path = kubeletLogPath(info.namespace, info.name, container, opts);
  const target = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(target, { headers: { Authorization: `Bearer ${state.token}` } }, resolve);
    req.on('error', (error) => reject(new ApiError(500, 'InternalError', `Get "${target}": ${error.message}`)));
    // The client went away (Ctrl-C on `kubectl logs -f`): stop asking the node.
    h.res.on('close', () => req.destroy());
    req.end();
  });
  if (upstream.statusCode !== 200) throw nodeError(upstream.statusCode ?? 500, await readSome(upstream), nodeName);
  h.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  h.res.flushHeaders();
  upstream.on('data', (chunk: Buffer) => {
    if (!h.res.write(chunk)) upstream.pause();
  });
  h.res.on('drain', () => upstream.resume());
  await new Promise<void>((resolve) => {
    upstream.on('end', () => {
      h.res.end();
      resolve();
    });
    // The node went away mid-stream: the client sees the stream cut, as with a kubelet that died.
    upstream.on('error', () => {
      h.res.destroy();
      resolve();
    });
    h.res.on('close', () => resolve());
  });
}

function sendText(h: HandlerRequest, text: string): void {
  h.res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  h.res.end(text);
}

async function readSome(stream: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size < MAX_ERROR_BODY) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY).trim();
}

/** A node's plain-text error as the Status kube-apiserver makes of a kubelet's (its generic response checker). */
export function nodeError(code: number, body: string, nodeName: string): ApiError {
  if (code === 400) return errors.badRequest(body);
  if (code === 404) return new ApiError(404, 'NotFound', body || 'the server could not find the requested resource');
  if (code === 401 || code === 403) {
    return new ApiError(
      500,
      'InternalError',
      `node "${nodeName}" refused the API server's credentials (${code}): ${body}`,
    );
  }
  return new ApiError(500, 'InternalError', body || `node "${nodeName}" answered ${code}`);
}
