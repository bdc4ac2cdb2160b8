/**
 * Where a sandbox's runtime listens, from the Sandbox object alone: the data-plane proxy and the runtime client of
 * the gateway both read it from an informer cache, never from an API call per request.
 */
import { Annotations, type Sandbox } from '@kruise-agents/api';
import { ENVD_PORT } from './addressing';

export interface RuntimeAddress {
  /** Host name or IP the sandbox's ports listen on. */
  host: string;
  /** The envd port (49983 unless the runtime-url annotation says otherwise). */
  envdPort: number;
}

/**
 * The runtime-url annotation (its host and port stand for the envd port; other ports are on the same host), else
 * the pod IP (status.podInfo.podIP, then status.sandboxIp). Undefined while the sandbox has no address.
 */
export function runtimeAddressOf(sandbox: Pick<Sandbox, 'metadata' | 'status'>): RuntimeAddress | undefined {
  const annotated = sandbox.metadata.annotations?.[Annotations.RuntimeUrl];
  if (annotated) {
    try {
      const url = new URL(annotated);
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), envdPort: port };
    } catch {
      // An unparsable annotation is ignored: the pod IP is the documented fallback.
    }
  }
  const ip = sandbox.status?.podInfo?.podIP || sandbox.status?.sandboxIp;
  return ip ? { host: ip, envdPort: ENVD_PORT } : undefined;
}

/** host:port of one of the sandbox's ports (the envd port is mapped through the runtime-url annotation). */
export function sandboxPortAddress(address: RuntimeAddress, port: number): { host: string; port: number } {
  return { host: address.host, port: port === ENVD_PORT ? address.envdPort : port };
}

/** The runtime's base URL for control calls (/init, /metrics). */
export function runtimeBaseUrl(address: RuntimeAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `http://${host}:${address.envdPort}`;
}
