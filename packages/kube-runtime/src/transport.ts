/**
 * HTTP to the API server. client-node supplies the cluster address, TLS material and credentials
 * (applyToHTTPSOptions); requests go over node:http(s) with a keep-alive agent, so the hot paths (claim, status
 * writes) pay one round trip and no connection setup.
 */
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { KubeConfig as KubeConfigClass, type KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, type StatusBody } from './errors';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface Transport {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** A streaming GET whose body is newline-delimited JSON (a watch): yields each parsed line. */
  stream<T>(path: string, options?: RequestOptions): AsyncIterable<T>;
  close(): void;
}

const CREDENTIAL_REFRESH_MS = 60_000;

/**
 * client-node refuses to build an agent for a plain-HTTP server unless TLS verification is "skipped"; over plain HTTP
 * there is no TLS to verify, so the flag changes nothing but lets it hand out the credentials.
 */
function forPlainHttp(kc: KubeConfig): KubeConfig {
  const current = kc.getCurrentCluster();
  if (!current || !current.server.startsWith('http:') || current.skipTLSVerify) return kc;
  const copy = new KubeConfigClass();
  copy.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current.name ? { ...c, skipTLSVerify: true } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}

export function createTransport(config: KubeConfig): Transport {
  const kc = forPlainHttp(config);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig names no current cluster');
  const base = new URL(cluster.server);
  const secure = base.protocol === 'https:';
  const lib = secure ? https : http;
  let options: Promise<https.RequestOptions> | undefined;
  let optionsAt = 0;
  const agent = secure
    ? undefined
    : new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000, scheduling: 'lifo' });

  // Credentials may expire (exec plugins, OIDC): they are re-read now and then, not per request.
  const connectionOptions = (): Promise<https.RequestOptions> => {
    if (!options || Date.now() - optionsAt > CREDENTIAL_REFRESH_MS) {
      optionsAt = Date.now();
      const opts: https.RequestOptions = { headers: {} };
      options = kc.applyToHTTPSOptions(opts).then(() => {
        if (secure && opts.agent instanceof https.Agent) {
          (opts.agent as https.Agent & { keepAlive?: boolean }).keepAlive = true;
        }
        return opts;
      });
    }
    return options;
  };

  const send = async (method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> => {
    const conn = await connectionOptions();
    const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: http.OutgoingHttpHeaders = {
      ...(conn.headers as http.OutgoingHttpHeaders),
      accept: 'application/json',
    };
    if (payload) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { ...conn, method, headers, agent: agent ?? conn.agent, signal: opts.signal },
        resolve,
      );
      req.on('error', (err) => reject(KubeApiError.transport(err, `${method} ${url.pathname}`)));
      req.end(payload);
    });
  };

  const readBody = async (res: http.IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const failure = (status: number, text: string, what: string) => {
    let body: StatusBody | undefined;
    try {
      body = JSON.parse(text) as StatusBody;
    } catch {
      body = undefined;
    }
    return KubeApiError.fromStatus(status, body, `${what}: HTTP ${status} ${text.slice(0, 200)}`);
  };

  return {
    async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
      const res = await send(method, path, opts);
      const text = await readBody(res);
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) throw failure(status, text, `${method} ${path}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },

    async *stream<T>(path: string, opts: RequestOptions = {}): AsyncIterable<T> {
      const res = await send('GET', path, opts);
      const status = res.statusCode ?? 0;
      if (status !== 200) throw failure(status, await readBody(res), `GET ${path}`);
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          if (line.trim() !== '') yield JSON.parse(line) as T;
        }
      } finally {
        lines.close();
        res.destroy();
      }
    },

    close() {
      agent?.destroy();
    },
  };
}
