/** startLocalNode's options, and turning them into what the node runs with. */
import { createHash } from 'node:crypto';
import { accessSync, constants, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import {
  agentRuntimeMapping,
  ImageMap,
  ImageMapError,
  loadImageMapFile,
  parseImageMap,
  type ImageMapConfig,
} from './image-map';
import { DEFAULT_IP_RANGE, ipToNumber, numberToIp, type IpRange } from './ip-allocator';
import type { IsolationChoice } from './process/bubblewrap';
import type { Backoff } from './restart';

export interface LocalNodeOptions {
  /** The API server: a kubeconfig's YAML or its path; the usual defaults (KUBECONFIG, ~/.kube/config) otherwise. */
  kubeconfig?: { yaml: string } | { path: string };
  /** The node's name (spec.nodeName of its pods); `local-<hostname>` by default. */
  nodeName?: string;
  /** 'process' (default) runs containers as processes; 'virtual' runs nothing and reports pods Running and Ready. */
  mode?: 'process' | 'virtual';
  /** Sandbox roots, logs and state files go under <dataDir>/pods/; default <tmpdir>/kruise-agents-local-node/<name>. */
  dataDir?: string;
  /**
   * The image table: inline, a JSON file's path, or a ConfigMap (key `images.json` unless said otherwise). See
   * image-map.ts for the format.
   */
  imageMap?: ImageMapConfig | string | { configMap: { namespace: string; name: string; key?: string } };
  /** The default entry's command (images the table does not list); the agent-runtime found on PATH otherwise. */
  defaultCommand?: string[];
  /** 'auto' (default): bubblewrap when it works here, plain processes otherwise. */
  isolation?: IsolationChoice;
  /** Pods reconciled at once (API writes in flight); default 16. */
  concurrency?: number;
  /**
   * Pod IPs come from this loopback range. Default: all of 127.64.0.0/10 in virtual mode; in process mode a /18 of it
   * picked by node name and data directory, so nodes on one machine rarely share addresses (see defaultIpRange).
   */
  ipRange?: IpRange;
  /** Crash-loop back-off; kubelet's 10 s doubling to 300 s by default. */
  restartBackoff?: Backoff;
  /** Bind unscheduled pods whose nodeSelector matches (default true); false runs only pods bound to this node. */
  bindUnscheduled?: boolean;
  /** Extra labels of this node (nodeSelector matches them; they go on the Node object where nodes are served). */
  labels?: Record<string, string>;
  /**
   * The port of the node's log endpoint (`kubectl logs` through the API server) on 127.0.0.1; 0 (default) picks a
   * free one. The Node object publishes it as status.daemonEndpoints.kubeletEndpoint.Port.
   */
  kubeletPort?: number;
  /** At close, containers get at most this long after SIGTERM before SIGKILL (default 5000 ms). */
  shutdownGraceMs?: number;
  /** Diagnostics; silent by default. */
  log?: (line: string) => void;
}

export function defaultNodeName(): string {
  const host =
    os
      .hostname()
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'host';
  return `local-${host}`.slice(0, 63);
}

/**
 * The default pod IP range. Virtual pods bind nothing, so they share all of 127.64.0.0/10. Process-mode nodes on one
 * machine must not hand out the same address (their pods would fight over 127.x.y.z:49983), so each takes a /18 of
 * it (16k pods) chosen by its name and data directory: stable across restarts, and distinct for nodes that differ in
 * either (1 in 256 clash; give `ipRange` explicitly to rule it out).
 */
export function defaultIpRange(mode: 'process' | 'virtual', nodeName: string, dataDir: string): IpRange {
  if (mode === 'virtual') return DEFAULT_IP_RANGE;
  const block = createHash('sha256')
    .update(`${nodeName}\0${path.resolve(dataDir)}`)
    .digest()
    .readUInt8(0);
  return { base: numberToIp(ipToNumber(DEFAULT_IP_RANGE.base)! + block * 2 ** 14), prefix: 18 };
}

export function defaultDataDir(nodeName: string): string {
  return path.join(os.tmpdir(), 'kruise-agents-local-node', nodeName);
}

/**
 * The agent-runtime's command: its binary from PATH (node_modules/.bin under npm/npx), run on this node binary when it
 * is a script, since its shebang would pick whatever `node` is first on PATH.
 */
export function agentRuntimeCommand(pathEnv = process.env.PATH ?? ''): string[] {
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'agent-runtime');
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      return /\.[cm]?js$/.test(real) ? [process.execPath, real] : [real];
    } catch {
      continue;
    }
  }
  return ['agent-runtime'];
}

export async function loadImageMap(options: LocalNodeOptions, client: KubeClient): Promise<ImageMap> {
  const fallback = agentRuntimeMapping(options.defaultCommand ?? agentRuntimeCommand());
  const source = options.imageMap;
  let config: ImageMapConfig = {};
  if (typeof source === 'string') config = loadImageMapFile(source);
  else if (source && 'configMap' in source) {
    const { namespace, name, key = 'images.json' } = source.configMap;
    const cm = (await client.resource(Resources.ConfigMap).get(namespace, name)) as { data?: Record<string, string> };
    const text = cm.data?.[key];
    if (text === undefined) throw new ImageMapError(`ConfigMap ${namespace}/${name} has no key ${key}`);
    config = parseImageMap(text, `ConfigMap ${namespace}/${name}[${key}]`);
  } else if (source) config = parseImageMap(source);
  return new ImageMap(config, fallback);
}
