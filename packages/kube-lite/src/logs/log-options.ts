/**
 * pods/log, the pure part: the PodLogOptions of the query (decoded and validated as kube-apiserver does), the
 * container the log is read from (validateContainer in the pod strategy), and where the node that runs the pod serves
 * it (the kubelet's port and an address from the Node's status).
 */
import { ApiError, errors, fieldErrors, type FieldError } from '../errors';
import type { KubeObject } from '../types';
import { isObject } from '../util/json';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

function bool(query: URLSearchParams, key: string): boolean {
  const v = query.get(key);
  if (v === null || v === '') return false;
  // Go's strconv.ParseBool, which the query decoder uses.
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function int(query: URLSearchParams, key: string): number | undefined {
  const v = query.get(key);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Decodes the query (400 when a value does not parse) and validates it (422 Invalid, ValidatePodLogOptions). */
export function parsePodLogOptions(podName: string, query: URLSearchParams): PodLogOptions {
  const opts: PodLogOptions = {
    follow: bool(query, 'follow'),
    previous: bool(query, 'previous'),
    timestamps: bool(query, 'timestamps'),
  };
  const container = query.get('container');
  if (container) opts.container = container;
  const sinceTime = query.get('sinceTime');
  if (sinceTime) {
    if (
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTime) ||
      Number.isNaN(Date.parse(sinceTime))
    )
      throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as RFC3339: cannot parse`);
    opts.sinceTime = sinceTime;
  }
  for (const key of ['sinceSeconds', 'tailLines', 'limitBytes'] as const) {
    const n = int(query, key);
    if (n !== undefined) opts[key] = n;
  }
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0)
    errs.push(fieldErrors.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1)
    errs.push(fieldErrors.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined)
    errs.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1)
    errs.push(fieldErrors.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw errors.invalid('PodLogOptions', '', podName, errs);
  return opts;
}

const names = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter(isObject).map((c) => String(c.name)) : [];

/** The container whose log is asked for: the one named, or the pod's only container (400 otherwise, naming them). */
export function logContainer(pod: KubeObject, container: string | undefined): string {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers = names(spec.containers);
  const inits = names(spec.initContainers);
  const name = pod.metadata.name ?? '';
  if (container) {
    if (![...containers, ...inits].includes(container))
      throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (inits.length) message += ` or one of the init containers: [${inits.join(' ')}]`;
  throw errors.badRequest(message);
}

/** The node's log endpoint: its kubelet port, on its InternalIP (else ExternalIP, else Hostname). */
export function kubeletEndpoint(node: KubeObject): { host: string; port: number } {
  const status = isObject(node.status) ? node.status : {};
  const daemon = isObject(status.daemonEndpoints) ? status.daemonEndpoints : {};
  const kubelet = isObject(daemon.kubeletEndpoint) ? daemon.kubeletEndpoint : {};
  const port = typeof kubelet.Port === 'number' ? kubelet.Port : 0;
  const addresses = Array.isArray(status.addresses) ? status.addresses.filter(isObject) : [];
  const address = ['InternalIP', 'ExternalIP', 'Hostname']
    .map((type) => addresses.find((a) => a.type === type && typeof a.address === 'string')?.address as string)
    .find(Boolean);
  const nodeName = node.metadata.name ?? '';
  if (!port || !address) {
    throw new ApiError(
      503,
      'ServiceUnavailable',
      `node "${nodeName}" publishes no kubelet endpoint (status.daemonEndpoints.kubeletEndpoint.Port and an address), so its pods' logs cannot be reached`,
    );
  }
  return { host: address, port };
}

/** The kubelet's path and query for the log (what kube-apiserver's LogLocation builds). */
export function kubeletLogPath(namespace: string, pod: string, container: string, opts: PodLogOptions): string {
  const q = new URLSearchParams();
  if (opts.follow) q.set('follow', 'true');
  if (opts.previous) q.set('previous', 'true');
  if (opts.timestamps) q.set('timestamps', 'true');
  if (opts.sinceSeconds !== undefined) q.set('sinceSeconds', String(opts.sinceSeconds));
  if (opts.sinceTime !== undefined) q.set('sinceTime', opts.sinceTime);
  if (opts.tailLines !== undefined) q.set('tailLines', String(opts.tailLines));
  if (opts.limitBytes !== undefined) q.set('limitBytes', String(opts.limitBytes));
  const path = [namespace, pod, container].map(encodeURIComponent).join('/');
  const query = q.toString();
  return `/containerLogs/${path}${query ? `?${query}` : ''}`;
}
