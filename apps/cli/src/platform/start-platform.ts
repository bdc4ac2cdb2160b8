/**
 * The whole platform in this process, as `kruise-agents up` runs it: kube-lite (SQLite in the data dir) with the
 * project's CRDs, the local node (every sandbox pod is agent-runtime processes on its own loopback IP, children of
 * this process), the operator and the gateway, each started through its own exported start function. Tests call
 * startPlatform directly; the `up` command adds the pid file, the progress output and the signal handling.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { startGateway, type Gateway } from '@kruise-agents/gateway';
import { startApiServer, type ApiServer } from '@kruise-agents/kube-lite';
import { KubeClient } from '@kruise-agents/kube-runtime';
import { startLocalNode, type IpRange, type LocalNode } from '@kruise-agents/local-node';
import { startOperator, type Operator } from '@kruise-agents/operator';
import { ensureApiKey } from './api-key';
import { ensureDefaultPools } from './default-pools';
import { readEnvFile, writeEnvFile, type E2bEnv } from './env-file';
import { PortBusyError, partFailed, type PlatformError, type PartName } from './errors';
import { ensurePortFree, isAddressInUse, prepareDataDir } from './preflight';
import { startWatchdog } from './watchdog';
import { waitForSandboxesBack } from './restore';

export const DEFAULT_API_PORT = 6443;
export const DEFAULT_GATEWAY_PORT = 3000;
/** The local node's name: fixed rather than per hostname, so a restart finds its pods whatever the machine is called. */
export const NODE_NAME = 'kruise-agents-local';

/**
 * Each data dir gets its own /16 of 127.64.0.0/10 (the local node's default range), the same on every start so that
 * a restart keeps the sandboxes' addresses. Two `up`s on different data dirs (or `up` next to a test suite) then do
 * not hand out the same address: a sandbox of the other one would answer for ours.
 */
export function ipRangeFor(dataDir: string): IpRange {
  const byte = createHash('sha256').update(path.resolve(dataDir)).digest()[0]!;
  return { base: `127.${64 + (byte % 64)}.0.0`, prefix: 16 };
}

export interface PlatformOptions {
  dataDir: string;
  /** Where both listeners bind; 127.0.0.1 by default (nothing is exposed beyond this machine). */
  host?: string;
  /** kube-lite's port (default 6443; 0 picks a free one). */
  apiPort?: number;
  /** The gateway's one port for the E2B API and the sandbox traffic (default 3000; 0 picks a free one). */
  gatewayPort?: number;
  /** Replicas of each default pool; unset keeps existing pools as they are and creates new ones with 2. */
  poolSize?: number;
  /** The sandboxes' loopback addresses (default: a /16 chosen by the data dir, see ipRangeFor). */
  ipRange?: IpRange;
  /** The sandboxes' command (default: the agent-runtime found on PATH, as the local node does). */
  runtimeCommand?: string[];
  /** Each part starting and ready. */
  onProgress?: (event: ProgressEvent) => void;
  /** The parts' own diagnostics (the local node's log, the gateway's and operator's at info); off by default. */
  log?: (part: PartName, line: string) => void;
}

export type ProgressEvent =
  { part: PartName; phase: 'starting' } | { part: PartName; phase: 'ready'; ms: number; detail?: string };

export interface Platform {
  readonly dataDir: string;
  readonly kubeconfigPath: string;
  readonly envFile: string;
  /** What e2b.env says: the SDK configuration. */
  readonly env: E2bEnv;
  readonly apiServerUrl: string;
  /** Whether this start created the API key (false: the one from e2b.env was still valid). */
  readonly keyCreated: boolean;
  readonly kube: KubeClient;
  /** Resolves when a part stops answering; never rejects. */
  readonly failure: Promise<PlatformError>;
  /** Stops the gateway, the operator, the local node (and its sandbox processes) and the API server, in that order. */
  close(): Promise<void>;
}

interface Started {
  part: PartName;
  close(): Promise<void> | void;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const apiPort = options.apiPort ?? DEFAULT_API_PORT;
  const gatewayPort = options.gatewayPort ?? DEFAULT_GATEWAY_PORT;
  const dataDir = path.resolve(options.dataDir);
  const progress = options.onProgress ?? (() => undefined);
  const started: Started[] = [];
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) {
      await Promise.resolve(part.close()).catch(() => undefined);
    }
  };
  /** Runs one part's start, reporting it, and turns its failure into a PlatformError after stopping the others. */
  const step = async <T>(part: PartName, start: () => Promise<T>, detail?: (value: T) => string): Promise<T> => {
    progress({ part, phase: 'starting' });
    const began = performance.now();
    try {
      const value = await start();
      progress({ part, phase: 'ready', ms: Math.round(performance.now() - began), detail: detail?.(value) });
      return value;
    } catch (error) {
      await stopAll();
      throw partFailed(part, error);
    }
  };

  prepareDataDir(dataDir);
  await ensurePortFree('api server', host, apiPort, '--api-port');
  await ensurePortFree('gateway', host, gatewayPort, '--port');

  const kubeconfigPath = path.join(dataDir, 'kubeconfig');
  const crds = buildAllCustomResourceDefinitions();
  const server: ApiServer = await step(
    'api server',
    async () => {
      const s = await startApiServer({
        host,
        port: apiPort,
        storage: { kind: 'sqlite', dataDir: path.join(dataDir, 'apiserver') },
        crds,
      }).catch((error: unknown) => {
        throw isAddressInUse(error) ? new PortBusyError('api server', host, apiPort, '--api-port') : error;
      });
      started.push({ part: 'api server', close: () => s.close() });
      await s.writeKubeconfig(kubeconfigPath);
      return s;
    },
    (s) => `${s.url}, ${crds.length} CRDs, kubeconfig ${kubeconfigPath}`,
  );
  const kubeconfigYaml = server.kubeconfig;
  const kube = KubeClient.fromSource({ kubeconfigYaml }, 'kruise-agents-up');
  started.push({ part: 'api server', close: () => kube.close() });

  const log = options.log;
  const node: LocalNode = await step(
    'local node',
    async () => {
      const n = await startLocalNode({
        kubeconfig: { yaml: kubeconfigYaml },
        mode: 'process',
        nodeName: NODE_NAME,
        dataDir: path.join(dataDir, 'node'),
        ipRange: options.ipRange ?? ipRangeFor(dataDir),
        ...(options.runtimeCommand ? { defaultCommand: options.runtimeCommand } : {}),
        ...(log ? { log: (line: string) => log('local node', line) } : {}),
      });
      started.push({ part: 'local node', close: () => n.close() });
      return n;
    },
    (n) => `process mode, isolation ${n.isolation}, sandboxes in ${n.dataDir}`,
  );
  void node;

  await step('operator', async () => {
    const o: Operator = await startOperator({ kubeconfigYaml });
    started.push({ part: 'operator', close: () => o.close() });
    return o;
  });

  // E2B_DOMAIN localhost:<port>: sandbox.getHost(port) then names `<port>-<id>.localhost:<port>`, which resolves to
  // this machine and which the gateway routes by its Host pattern.
  const domainFor = (port: number) => `localhost:${port}`;
  const gateway: Gateway = await step(
    'gateway',
    async () => {
      const g = await startGateway({
        kubeconfigYaml,
        host,
        port: gatewayPort,
        domain: gatewayPort === 0 ? null : domainFor(gatewayPort),
        defaultMetrics: true,
        ...(log ? { logger: 'info' } : {}),
      }).catch((error: unknown) => {
        throw isAddressInUse(error) ? new PortBusyError('gateway', host, gatewayPort, '--port') : error;
      });
      started.push({ part: 'gateway', close: () => g.close() });
      return g;
    },
    (g) => g.url,
  );

  const saved = readEnvFile(dataDir);
  const apiKey = await step(
    'API key',
    () => ensureApiKey(kube, gateway, saved.E2B_API_KEY),
    (k) => (k.created ? 'created' : 'kept from e2b.env'),
  );
  const env: E2bEnv = {
    E2B_API_URL: gateway.url,
    E2B_SANDBOX_URL: gateway.url,
    E2B_DOMAIN: domainFor(gateway.port),
    E2B_API_KEY: apiKey.key,
  };
  const envFile = writeEnvFile(dataDir, env);

  await step(
    'pools',
    () => ensureDefaultPools(kube, options.poolSize),
    (created) => (created.length ? `created ${created.join(', ')}` : 'already there'),
  );

  await step(
    'sandboxes',
    () => waitForSandboxesBack(kube, NODE_NAME),
    ({ back, missing }) =>
      (back ? `${back} running again` : 'none to bring back') +
      (missing.length ? `; not answering yet: ${missing.join(', ')}` : ''),
  );

  const watchdog = startWatchdog(kube, gateway.url);
  let closing: Promise<void> | undefined;
  return {
    dataDir,
    kubeconfigPath,
    envFile,
    env,
    apiServerUrl: server.url,
    keyCreated: apiKey.created,
    kube,
    failure: watchdog.failure,
    close() {
      closing ??= (async () => {
        watchdog.stop();
        await stopAll();
      })();
      return closing;
    },
  };
}
