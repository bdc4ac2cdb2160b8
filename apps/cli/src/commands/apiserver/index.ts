/** `kruise-agents apiserver`: kube-lite on its own, durable in a data directory, with a kubeconfig for kubectl. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { selfSignedCertificate, startApiServer, type ApiServerOptions } from '@kruise-agents/kube-lite';
import { UsageError } from '../../errors';
import type { Command } from '../registry';

const USAGE = `Usage: kruise-agents apiserver [options]

Runs kube-lite, the embedded Kubernetes-compatible API server, until interrupted. Objects are kept in SQLite under
the data directory, and <data-dir>/kubeconfig is written for kubectl and @kubernetes/client-node. The token and the
self-signed certificate are kept there too, so the kubeconfig stays valid across restarts.

Options:
  --port <port>        Port to listen on (default 6443; 0 picks a free one)
  --host <address>     Address to listen on (default 127.0.0.1)
  --data-dir <dir>     Where to keep data, token, certificate and kubeconfig (default ~/.kruise-agents/apiserver)
  --memory             Keep objects in memory only (nothing survives a restart)
  --token <token>      The bearer token clients must present (default: generated once, kept in <data-dir>/token)
  --tls-cert <file>    Serve this PEM certificate (with --tls-key) instead of a self-signed one
  --tls-key <file>     The private key of --tls-cert
  --insecure-http      Serve plain HTTP (kubectl will not send the token over it; for client-node tests only)
  --no-crds            Do not install the Kruise Agents CRDs at start
  -h, --help           Show this help`;

function readOrCreate(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = create();
  writeFileSync(path, value + '\n', { mode: 0o600 });
  return value;
}

export function parseOptions(args: string[]): { options: ApiServerOptions; dataDir: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        token: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'insecure-http': { type: 'boolean' },
        'no-crds': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = parsed.port === undefined ? 6443 : Number(parsed.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: not a port number: ${parsed.port}`);
  if (!!parsed['tls-cert'] !== !!parsed['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  if (parsed['insecure-http'] && parsed['tls-cert'])
    throw new UsageError('--insecure-http and --tls-cert exclude each other');
  const host = parsed.host ?? '127.0.0.1';
  const dataDir = resolve(parsed['data-dir'] ?? join(homedir(), '.kruise-agents', 'apiserver'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const token = parsed.token ?? readOrCreate(join(dataDir, 'token'), () => randomBytes(24).toString('base64url'));
  let tls: ApiServerOptions['tls'] = false;
  if (parsed['tls-cert']) {
    tls = { cert: readFileSync(parsed['tls-cert']), key: readFileSync(parsed['tls-key']!) };
  } else if (!parsed['insecure-http']) {
    // One certificate for the life of the data dir, so the kubeconfig written last time keeps working.
    const certPath = join(dataDir, 'tls.crt');
    const keyPath = join(dataDir, 'tls.key');
    if (!existsSync(certPath) || !existsSync(keyPath)) {
      const generated = selfSignedCertificate([host]);
      writeFileSync(keyPath, generated.key, { mode: 0o600 });
      writeFileSync(certPath, generated.cert);
    }
    tls = { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  }
  return {
    dataDir,
    options: {
      host,
      port,
      token,
      tls,
      storage: parsed.memory ? { kind: 'memory' } : { kind: 'sqlite', dataDir: join(dataDir, 'db') },
      ...(parsed['no-crds'] ? {} : { crds: buildAllCustomResourceDefinitions() }),
    },
  };
}

export const command: Command = {
  summary: 'Run kube-lite, the embedded Kubernetes-compatible API server.',
  usage: USAGE,
  async run(args, signal) {
    const { options, dataDir } = parseOptions(args);
    const server = await startApiServer(options).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(`${options.host}:${options.port} is already in use (pick another with --port)`, 1);
      }
      throw error;
    });
    const kubeconfig = join(dataDir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const where = options.storage?.kind === 'sqlite' ? `SQLite in ${options.storage.dataDir}` : 'in memory';
    console.log(`kube-lite API server listening on ${server.url} (${where})`);
    console.log(`kubeconfig: ${kubeconfig}`);
    console.log(`  export KUBECONFIG=${kubeconfig}`);
    if (!signal.aborted)
      await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
    await server.close();
    console.log('kube-lite API server stopped');
    return 0;
  },
};
