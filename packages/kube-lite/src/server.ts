/**
 * startApiServer: the embeddable API server. One process-local store, a watch hub, the controllers the API's
 * semantics depend on, and an HTTP(S) front that authenticates a bearer token and routes like kube-apiserver.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './discovery/discovery';
import { ApiError, errors } from './errors';
import { Controllers } from './gc/controllers';
import type { HandlerRequest, ServerState } from './handlers/context';
import { handleDelete, handleDeleteCollection } from './handlers/delete';
import { handleList } from './handlers/list';
import { handlePatch } from './handlers/patch';
import { handleGet } from './handlers/read';
import { handleWatch } from './handlers/watch';
import { handleCreate, handleUpdate } from './handlers/write';
import { sendError, sendJson } from './http/io';
import { parseResourcePath } from './http/request-info';
import { buildKubeconfig } from './kubeconfig';
import { groupVersionDocument, openApiIndex } from './openapi/openapi';
import { CRD_TYPE_KEY, Registry } from './registry/registry';
import { createObject, updateObject } from './rest/objects';
import { memoryBackend, type Backend } from './storage/backend';
import { sqliteBackend } from './storage/sqlite';
import { Store } from './storage/store';
import { selfSignedCertificate } from './tls/self-signed';
import type { KubeObject } from './types';
import { isObject } from './util/json';
import { WatchHub } from './watch/hub';

export type StorageOptions = { kind: 'memory' } | { kind: 'sqlite'; dataDir: string };

export interface ApiServerOptions {
  /** Interface to listen on; 127.0.0.1 unless said otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** In memory (the default, for tests) or durable in SQLite under dataDir. */
  storage?: StorageOptions;
  /** The bearer token clients must present; a random one when omitted. */
  token?: string;
  /**
   * HTTPS is the default, with a fresh self-signed certificate (`true`), or a PEM certificate and key; the kubeconfig
   * trusts `ca` (or the certificate itself). `false` serves plain HTTP: kubectl then does not send the bearer token
   * (it only sends it over TLS), and the kubeconfig says insecure-skip-tls-verify, which client-node requires for http.
   */
  tls?: boolean | { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
  /** CustomResourceDefinitions to create (or update) before the server answers. */
  crds?: unknown[];
  /** Watch tuning: events kept per type for watches from a past resourceVersion, per-watcher buffer bound, bookmark period. */
  watch?: { historySize?: number; maxBufferedBytes?: number; bookmarkIntervalMs?: number };
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** A kubeconfig (YAML) for kubectl and @kubernetes/client-node. */
  readonly kubeconfig: string;
  /** The PEM certificate clients should trust, when serving HTTPS. */
  readonly caCertificate: string | undefined;
  /** The latest resourceVersion handed out. */
  readonly revision: number;
  writeKubeconfig(path: string): Promise<void>;
  /** Creates the CRDs, or updates them when they exist; resolves once they are served. */
  installCrds(crds: unknown[]): Promise<void>;
  /** Live watch connections, how many were closed for not reading fast enough, and how many got 410 Expired. */
  stats(): { watchers: number; closedSlowWatchers: number; expiredWatches: number; objects: number };
  /** Resolves once the garbage collector and the namespace controller have nothing left to do. */
  settled(): Promise<void>;
  /** Stops serving: watches end, connections close, storage is closed. */
  close(): Promise<void>;
}

const UNAUTHENTICATED = new Set(['/healthz', '/livez', '/readyz', '/version']);
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function tokenMatches(header: string | undefined, token: Buffer): boolean | undefined {
  if (!header) return undefined;
  const m = header.match(/^Bearer\s+(.+)$/i);
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  return given.length === token.length && timingSafeEqual(given, token);
}

function installCrdsSync(state: ServerState, crds: unknown[]): void {
  const crdType = state.registry.byTypeKey(CRD_TYPE_KEY)!;
  for (const crd of crds) {
    if (!isObject(crd) || !isObject(crd.metadata) || typeof crd.metadata.name !== 'string') {
      throw errors.badRequest('a CRD must have metadata.name');
    }
    const existing = state.store.get(CRD_TYPE_KEY, '', crd.metadata.name);
    if (!existing) createObject(state, crdType, '', crd, {});
    else {
      const next = { ...(crd as KubeObject), metadata: { ...existing.metadata, ...(crd.metadata as object) } };
      next.metadata.resourceVersion = existing.metadata.resourceVersion;
      updateObject(state, crdType, '', crd.metadata.name, next, {});
    }
  }
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const backend: Backend =
    options.storage?.kind === 'sqlite' ? sqliteBackend(options.storage.dataDir) : memoryBackend();
  const store = new Store(backend);
  const registry = new Registry();
  const ctx = { store, registry };
  const controllers = new Controllers(ctx);
  // CRDs already stored are served again after a restart.
  for (const crd of store.list(CRD_TYPE_KEY)) {
    try {
      registry.applyCrd(crd);
    } catch {
      // a clashing CRD stays stored but unserved
    }
  }
  const hub = new WatchHub(store, {
    historySize: options.watch?.historySize ?? 10_000,
    maxBufferedBytes: options.watch?.maxBufferedBytes ?? 16 * 1024 * 1024,
    bookmarkIntervalMs: options.watch?.bookmarkIntervalMs ?? 15_000,
  });
  const state: ServerState = { store, registry, hub, token };
  const nsType = registry.byTypeKey('core/namespaces')!;
  for (const name of DEFAULT_NAMESPACES) {
    if (!store.get('core/namespaces', '', name)) createObject(state, nsType, '', { metadata: { name } }, {});
  }
  if (options.crds?.length) installCrdsSync(state, options.crds);
  // The registry follows CRD events, which a durable store publishes once the batch is on disk.
  await store.durable();

  let openApiCache: { generation: number; index: unknown; docs: Map<string, unknown> } | undefined;
  const openApi = () => {
    if (!openApiCache || openApiCache.generation !== registry.generation) {
      openApiCache = { generation: registry.generation, index: openApiIndex(registry), docs: new Map() };
    }
    return openApiCache;
  };

  let serverAddress = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://kube-lite');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (path === '/version') return sendJson(res, 200, versionInfo());
    const auth = tokenMatches(req.headers.authorization, tokenBytes);
    if (auth === false) throw errors.unauthorized();
    if (auth === undefined && !UNAUTHENTICATED.has(path)) {
      throw errors.forbidden(`forbidden: User "system:anonymous" cannot ${req.method?.toLowerCase()} path "${path}"`);
    }
    if (path === '/api') return sendJson(res, 200, coreVersions(serverAddress));
    if (path === '/apis') return sendJson(res, 200, groupList(registry));
    if (path === '/openapi/v3') return sendJson(res, 200, openApi().index);
    if (path.startsWith('/openapi/v3/')) {
      const key = path.slice('/openapi/v3/'.length);
      const cache = openApi();
      let doc = cache.docs.get(key);
      if (doc === undefined) {
        const parts = key.split('/');
        doc =
          parts[0] === 'api'
            ? groupVersionDocument(registry, '', parts[1] ?? '')
            : groupVersionDocument(registry, parts[1] ?? '', parts[2] ?? '');
        if (doc === undefined) throw errors.pathNotFound();
        cache.docs.set(key, doc);
      }
      return sendJson(res, 200, doc);
    }
    const parts = path.split('/').filter(Boolean);
    if (req.method === 'GET' && parts[0] === 'api' && parts.length === 2) {
      const list = resourceList(registry, '', parts[1]!);
      if (!list) throw errors.pathNotFound();
      return sendJson(res, 200, list);
    }
    if (req.method === 'GET' && parts[0] === 'apis' && parts.length === 2) {
      const g = apiGroup(registry, parts[1]!);
      if (!g) throw errors.pathNotFound();
      return sendJson(res, 200, g);
    }
    if (req.method === 'GET' && parts[0] === 'apis' && parts.length === 3) {
      const list = resourceList(registry, parts[1]!, parts[2]!);
      if (!list) throw errors.pathNotFound();
      return sendJson(res, 200, list);
    }
    const info = parseResourcePath(req.method ?? 'GET', path, url.searchParams);
    if (!info) throw errors.pathNotFound();
    const type = registry.find(info.group, info.version, info.resource);
    if (!type) throw errors.pathNotFound();
    // A cluster-scoped resource has no namespaced path; a namespaced one is only listed and watched across namespaces.
    if (!type.namespaced && info.namespace) throw errors.pathNotFound();
    if (type.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) {
      throw info.name ? errors.pathNotFound() : errors.methodNotAllowed(req.method ?? '');
    }
    const h: HandlerRequest = { state, info, type, query: url.searchParams, req, res };
    switch (info.verb) {
      case 'get':
        return handleGet(h);
      case 'list':
        return handleList(h);
      case 'watch':
        return handleWatch(h);
      case 'create':
        return handleCreate(h);
      case 'update':
        return handleUpdate(h);
      case 'patch':
        return handlePatch(h);
      case 'delete':
        return handleDelete(h);
      case 'deletecollection':
        return handleDeleteCollection(h);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof ApiError)) console.error('kube-lite: internal error', error);
      sendError(res, error);
    });
  };
  const tls =
    options.tls === undefined || options.tls === true ? selfSignedCertificate([host]) : options.tls || undefined;
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  // Watches are long requests: no request timeout, and idle keep-alive connections are kept for a while.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  serverAddress = `${urlHost}:${port}`;
  const url = `${tls ? 'https' : 'http'}://${serverAddress}`;
  const caData = tls ? Buffer.from(('ca' in tls ? tls.ca : undefined) ?? tls.cert).toString('base64') : undefined;
  const kubeconfig = buildKubeconfig({ server: url, token, ...(caData ? { caData } : { insecure: true }) });
  let closed = false;

  return {
    url,
    host,
    port,
    token,
    kubeconfig,
    caCertificate: caData ? Buffer.from(caData, 'base64').toString() : undefined,
    get revision() {
      return store.revision;
    },
    async writeKubeconfig(path: string) {
      await writeFile(path, kubeconfig, { mode: 0o600 });
    },
    async installCrds(crds: unknown[]) {
      installCrdsSync(state, crds);
      await store.durable();
    },
    settled: async () => {
      // Controller writes publish events that may queue more controller work: wait until both are quiet.
      do {
        await store.durable();
        await controllers.settled();
      } while (store.pending || !controllers.idle);
    },
    stats: () => ({
      watchers: hub.watcherCount,
      closedSlowWatchers: hub.closedSlowWatchers,
      expiredWatches: hub.expiredWatches,
      objects: store.typeKeys().reduce((n, k) => n + store.count(k), 0),
    }),
    async close() {
      if (closed) return;
      closed = true;
      controllers.stop();
      hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
