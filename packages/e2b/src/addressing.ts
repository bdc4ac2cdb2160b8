/**
 * Where a data-plane request is going: which sandbox, which port, which path. Three forms, in order of precedence:
 * the `E2b-Sandbox-Id`/`E2b-Sandbox-Port` headers, the Host `<port>-<id>.<domain>`, and the path
 * `/kruise/<id>/<port>/<rest>` for clients without wildcard DNS.
 */
export const ENVD_PORT = 49983;
export const CODE_INTERPRETER_PORT = 49999;

export interface SandboxTarget {
  sandboxId: string;
  port: number;
  /** The path (with query) to send to the sandbox. */
  path: string;
  via: 'header' | 'host' | 'path';
}

export interface RequestLine {
  /** Request header lookup, case-insensitive. */
  header(name: string): string | undefined;
  /** The request's path and query, as received. */
  url: string;
}

const HOST_RE = /^(\d{1,5})-([a-z0-9][a-z0-9-]*)\./i;
const PATH_PREFIX = '/kruise/';

/** The sandbox a request addresses, or undefined when it addresses none (then it is for the control plane). */
export function resolveSandboxTarget(request: RequestLine): SandboxTarget | undefined {
  const headerId = request.header('e2b-sandbox-id');
  if (headerId) {
    const port = parsePort(request.header('e2b-sandbox-port') ?? String(ENVD_PORT));
    if (port !== undefined) return { sandboxId: headerId.toLowerCase(), port, path: request.url, via: 'header' };
  }
  const host = request.header('host');
  const match = host ? HOST_RE.exec(host) : null;
  if (match) {
    const port = parsePort(match[1]!);
    if (port !== undefined) return { sandboxId: match[2]!.toLowerCase(), port, path: request.url, via: 'host' };
  }
  if (request.url.startsWith(PATH_PREFIX) && !request.url.startsWith('/kruise/api/')) {
    const [id, portText, ...rest] = request.url.slice(PATH_PREFIX.length).split('/');
    const port = portText === undefined ? undefined : parsePort(portText.split('?')[0]!);
    if (id && port !== undefined) {
      const tail = rest.join('/');
      const queryInPort = portText!.includes('?') ? portText!.slice(portText!.indexOf('?')) : '';
      return { sandboxId: id.toLowerCase(), port, path: `/${tail}${queryInPort}`, via: 'path' };
    }
  }
  return undefined;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The host name of a sandbox port: `<port>-<id>.<domain>`. */
export function sandboxHost(sandboxId: string, port: number, domain: string): string {
  return `${port}-${sandboxId}.${domain}`;
}

/** The path form of a sandbox port, for clients without wildcard DNS. */
export function sandboxPathPrefix(sandboxId: string, port: number): string {
  return `${PATH_PREFIX}${sandboxId}/${port}`;
}
