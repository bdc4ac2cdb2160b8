/** Test helpers: a real server on 127.0.0.1:0, a raw HTTP client, temp dirs, and the real kubectl. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../src/index';

/** Raw JSON from the server: tests assert on its shape, so it is deliberately untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const CRDS = buildAllCustomResourceDefinitions();
export const GROUP_PATH = '/apis/agents.kruise.io/v1alpha1';

export async function tempDir(prefix = 'kube-lite-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface Response<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Client {
  server: ApiServer;
  request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response<T>>;
  get<T = Json>(path: string, headers?: Record<string, string>): Promise<Response<T>>;
  post<T = Json>(path: string, body: unknown): Promise<Response<T>>;
  put<T = Json>(path: string, body: unknown): Promise<Response<T>>;
  patch<T = Json>(path: string, body: unknown, contentType?: string): Promise<Response<T>>;
  del<T = Json>(path: string, body?: unknown): Promise<Response<T>>;
  close(): Promise<void>;
}

export async function startClient(options: ApiServerOptions = {}): Promise<Client> {
  const server = await startApiServer({ crds: CRDS, tls: false, ...options });
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        Authorization: `Bearer ${server.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
    };
    if (body !== undefined)
      init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    const res = await fetch(server.url + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (health endpoints)
    }
    return { status: res.status, body: parsed as Json, headers: res.headers };
  };
  return {
    server,
    request,
    get: (path, headers) => request('GET', path, undefined, headers),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body, contentType = 'application/merge-patch+json') =>
      request('PATCH', path, body, { 'Content-Type': contentType }),
    del: (path, body) => request('DELETE', path, body),
    close: () => server.close(),
  };
}

export function sandboxSet(name: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'agents.kruise.io/v1alpha1',
    kind: 'SandboxSet',
    metadata: { name, ...extra },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
  };
}

export function configMap(name: string, data: Record<string, string> = { a: '1' }, meta: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...meta }, data };
}

export const SBS = (ns = 'default') => `${GROUP_PATH}/namespaces/${ns}/sandboxsets`;
export const CM = (ns = 'default') => `/api/v1/namespaces/${ns}/configmaps`;

/** Reads a watch stream, collecting events until `until` says stop (or the timeout). */
export async function collectWatch(
  server: ApiServer,
  path: string,
  until: (events: Json[]) => boolean,
  timeoutMs = 5000,
  headers: Record<string, string> = {},
): Promise<{ events: Json[]; status: number; ended: boolean }> {
  const controller = new AbortController();
  const res = await fetch(server.url + path, {
    headers: { Authorization: `Bearer ${server.token}`, ...headers },
    signal: controller.signal,
  });
  const events: Json[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const reader = res.body!.getReader();
    for (;;) {
      if (until(events)) break;
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) events.push(JSON.parse(line));
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { events, status: res.status, ended };
}

export interface Kubectl {
  (args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  kubeconfig: string;
}

export async function kubectlFor(server: ApiServer, dir: string): Promise<Kubectl> {
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, server.kubeconfig);
  const run = ((args: string[], input?: string) =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin!.end(input);
    })) as Kubectl;
  run.kubeconfig = kubeconfig;
  return run;
}

/** Starts test/fixtures/durable-server.ts in a child process (so it can be killed with SIGKILL). */
export async function spawnDurableServer(dir: string, tls = false): Promise<{ url: string; child: ChildProcess }> {
  // One process (node with the tsx loader, not the tsx CLI, which forks a child) so that SIGKILL hits the server.
  const loader = pathToFileURL(join(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs')).href;
  const fixture = join(import.meta.dirname, 'fixtures/durable-server.ts');
  const child = spawn(process.execPath, ['--import', loader, '--conditions=@kruise-agents/source', fixture, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KUBE_LITE_TLS: tls ? '1' : '0' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, child };
}

export async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  child.stdout?.destroy();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs}ms${last ? `: ${String(last)}` : ''}`);
    await sleep(20);
  }
}
