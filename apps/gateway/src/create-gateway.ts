/**
 * Assembles one gateway: a Kubernetes client, the shared Sandbox/SandboxSet cache (core's, feeding the pool index the
 * claimer picks from), the key store, the express control plane and the data-plane proxy behind ONE port. The CLI and
 * the tests both start it through startGateway(), so they run the same thing. Stateless: run as many as you like.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RuntimeClient, createSandboxCache, createSandboxClaimer } from '@kruise-agents/core/client';
import { resolveSandboxTarget } from '@kruise-agents/e2b';
import { KubeClient, Resources, type KubeConfigSource } from '@kruise-agents/kube-runtime';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import {
  createApiKey,
  DEFAULT_KEY_SECRET,
  DEFAULT_SYSTEM_NAMESPACE,
  hashApiKey,
  type CreatedApiKey,
} from './auth/api-keys';
import { KeyStore } from './auth/key-store';
import type { GatewayContext, GatewaySettings } from './context';
import { GatewayMetrics } from './metrics';
import { createSandboxProxy } from './proxy/proxy';
import { SandboxRegistry } from './sandbox-registry';

/** The envd version the agent-runtime reports (apps/agent-runtime/src/version.ts); a test keeps them equal. */
export const DEFAULT_ENVD_VERSION = '0.6.4';

export interface GatewayOptions extends KubeConfigSource {
  /** Listen address (default 127.0.0.1; 0.0.0.0 in a pod). */
  host?: string;
  /** Port for both planes; 0 (the default) picks a free one. */
  port?: number;
  /** Returned as `domain` to the SDKs; default null (the SDK keeps E2B_DOMAIN / E2B_SANDBOX_URL). */
  domain?: string | null;
  /** The admin key: sees and claims in every namespace. Never stored. */
  adminKey?: string;
  /** Where the API-key Secret lives (default kruise-agents-system / kruise-agents-api-keys). */
  systemNamespace?: string;
  keySecretName?: string;
  /** Watch and serve one namespace only; all when omitted. */
  namespace?: string;
  /** How long a create waits for an empty pool to be replenished (default 60 s). */
  claimTimeoutMs?: number;
  /** How long a created/resumed/in-place-updated sandbox may take to get ready (default 60 s). */
  waitReadyTimeoutMs?: number;
  /** Create on no stock when neither the request nor the SandboxSet's annotation says (default false: wait). */
  createOnNoStock?: boolean;
  /** Largest control-plane JSON body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  maxTimeoutSeconds?: number;
  envdVersion?: string;
  /** A pino logger, or a level for a new one (default 'silent'). */
  logger?: Logger | string;
  /** Collect process metrics (default false; the CLI turns it on). */
  defaultMetrics?: boolean;
}

export interface Gateway {
  /** http://host:port — both E2B_API_URL and E2B_SANDBOX_URL. */
  url: string;
  port: number;
  /** Adds an API key for `team` (a namespace) to the key Secret; usable at once on this replica. */
  createApiKey(team: string, name?: string): Promise<CreatedApiKey>;
  /** Internal graph, for tests and the benchmark. */
  context: GatewayContext;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const log =
    typeof options.logger === 'object' ? options.logger : pino({ level: options.logger ?? 'silent', name: 'gateway' });
  const kube = KubeClient.fromSource(options, 'kruise-agents-gateway');
  const abort = new AbortController();
  const onError = (error: unknown) => log.warn({ err: error }, 'informer error');
  const cache = createSandboxCache({ kube, namespace: options.namespace, onError });
  const registry = new SandboxRegistry(cache);
  const keyRef = {
    namespace: options.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE,
    name: options.keySecretName ?? DEFAULT_KEY_SECRET,
  };
  const keys = new KeyStore(kube, keyRef, options.adminKey, onError);
  const metrics = new GatewayMetrics({ defaultMetrics: options.defaultMetrics });
  const claimer = createSandboxClaimer({
    kube,
    cache,
    onAttempt: (outcome) => metrics.claimAttempts.inc({ outcome }),
  });
  const settings: GatewaySettings = {
    domain: options.domain ?? null,
    envdVersion: options.envdVersion ?? DEFAULT_ENVD_VERSION,
    claimTimeoutMs: options.claimTimeoutMs ?? 60_000,
    waitReadyTimeoutMs: options.waitReadyTimeoutMs ?? 60_000,
    createOnNoStock: options.createOnNoStock ?? false,
    maxTimeoutSeconds: options.maxTimeoutSeconds ?? 30 * 24 * 3600,
  };
  const runtime = new RuntimeClient();
  const ctx: GatewayContext = {
    kube,
    sandboxes: kube.resource(Resources.Sandbox),
    cache,
    registry,
    claimer,
    runtime,
    keys,
    metrics,
    settings,
    log,
    now: Date.now,
    random: Math.random,
  };

  try {
    await Promise.all([cache.start(abort.signal), keys.start(abort.signal)]);
  } catch (error) {
    abort.abort();
    kube.close();
    throw error;
  }

  const app = createApp(ctx, { maxBodyBytes: options.maxBodyBytes });
  const proxy = createSandboxProxy({ registry, onResult: (result) => metrics.proxied.inc({ result }) });
  const header = (req: http.IncomingMessage) => (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  // Data plane first: a request that names a sandbox (header, host or /kruise/<id>/<port>/ path) is proxied.
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const target = resolveSandboxTarget({ header: header(req), url: req.url ?? '/' });
    if (target) return proxy.handleRequest(req, res, target);
    app(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const target = resolveSandboxTarget({ header: header(req), url: req.url ?? '/' });
    if (target) return proxy.handleUpgrade(req, socket, head, target);
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  log.info({ port, host }, 'gateway listening');

  let closed: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    context: ctx,
    async createApiKey(team, name) {
      const created = await createApiKey(kube, keyRef, { team, name });
      keys.remember({
        id: created.id,
        name: created.name,
        team,
        hash: hashApiKey(created.key),
        createdAt: new Date().toISOString(),
      });
      return created;
    },
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        abort.abort();
        await Promise.all([cache.sandboxes.stopped(), cache.sets.stopped(), keys.stopped()]);
        proxy.close();
        runtime.close();
        kube.close();
      })();
      return closed;
    },
  };
}
