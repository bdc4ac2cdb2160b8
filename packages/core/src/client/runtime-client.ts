/**
 * Calls to a sandbox's agent-runtime, shared by the gateway and the operator: POST /init (the sandbox-wide env vars
 * and the access token the runtime enforces from then on), GET /metrics, and the raw requests the volume mounts use.
 * Plain node:http over a keep-alive agent: a claim's /init is on the create path, so a fresh TCP handshake per call
 * would show in the latency.
 */
import http from 'node:http';
import { runtimeBaseUrl, type RuntimeAddress } from '@kruise-agents/e2b';

export class RuntimeCallError extends Error {
  override readonly name = 'RuntimeCallError';
  constructor(
    message: string,
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface RuntimeResponse {
  status: number;
  body: string;
  bytes: Buffer;
}

export interface InitRequest {
  envVars: Record<string, string>;
  accessToken: string;
}

export interface RuntimeClientOptions {
  /** Per-attempt timeout (default 1 s, as the reference). */
  attemptTimeoutMs?: number;
  /** Attempts for /init (default 5). */
  attempts?: number;
  /**
   * The wait between /init attempts: `initialMs`, doubling, at most `maxMs`. Default 50 ms up to 1 s (the gateway's
   * create path is latency-bound); the reference's controller backoff is 200 ms up to 10 s.
   */
  backoff?: { initialMs: number; maxMs: number };
}

export class RuntimeClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly attemptTimeoutMs: number;
  private readonly attempts: number;
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(options: RuntimeClientOptions = {}) {
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 1000;
    this.attempts = options.attempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 50, maxMs: 1000 };
  }

  request(
    address: RuntimeAddress,
    method: string,
    path: string,
    options: { body?: unknown; raw?: Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<RuntimeResponse> {
    const payload = options.raw ?? (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
    const url = new URL(path, runtimeBaseUrl(address));
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...options.headers,
          },
          timeout: options.timeoutMs ?? this.attemptTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, body: bytes.toString('utf8'), bytes });
          });
          res.on('error', (e) => reject(new RuntimeCallError(e.message, 0)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within the timeout`)));
      req.on('error', (e) => reject(new RuntimeCallError(`${method} ${url.origin}${path}: ${e.message}`, 0)));
      req.end(payload);
    });
  }

  /**
   * POST /init, retried on network errors and 5xx (a pod that just became Ready may still be binding its port). A 4xx
   * is final, except 401/409 on a re-init: the runtime already holds this token (resume of a running runtime).
   */
  async init(address: RuntimeAddress, body: InitRequest, options: { reinit?: boolean } = {}): Promise<void> {
    let delay = this.backoff.initialMs;
    let last: RuntimeCallError | undefined;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      try {
        const res = await this.request(address, 'POST', '/init', {
          body,
          headers: body.accessToken ? { 'x-access-token': body.accessToken } : {},
        });
        if (res.status >= 200 && res.status < 300) return;
        if (options.reinit && (res.status === 401 || res.status === 409)) return;
        last = new RuntimeCallError(`runtime /init answered ${res.status}: ${res.body.slice(0, 200)}`, res.status);
        if (res.status < 500) throw last;
      } catch (error) {
        if (error instanceof RuntimeCallError && error.status >= 400 && error.status < 500) throw error;
        last = error instanceof RuntimeCallError ? error : new RuntimeCallError(String(error), 0);
      }
      if (attempt + 1 >= this.attempts) break; // no point waiting after the last attempt
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, this.backoff.maxMs);
    }
    throw last ?? new RuntimeCallError('runtime /init failed', 0);
  }

  close(): void {
    this.agent.destroy();
  }
}
