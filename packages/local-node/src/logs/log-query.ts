/**
 * What a request to the node's log endpoint asks for, and which run's log file answers it: the parameters kube-apiserver
 * passes on to the kubelet (`/containerLogs/<ns>/<pod>/<container>?…`), and the kubelet's rules for picking the
 * container instance from the pod's status (validateContainerLogStatus). Pure.
 */
import type { Pod } from '@kruise-agents/kube-runtime';

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Lines from the end; undefined for all. */
  tailLines?: number;
  /** Epoch ms: only lines recorded at or after it. */
  sinceMs?: number;
  limitBytes?: number;
}

/** A request the node cannot answer as asked; `status` is the HTTP status the kubelet would use. */
export class LogRequestError extends Error {
  override readonly name = 'LogRequestError';
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

function bool(query: URLSearchParams, key: string): boolean {
  const value = query.get(key);
  if (value === null || value === '') return false;
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new LogRequestError(400, `invalid value for ${key}: ${JSON.stringify(value)}: not a boolean`);
}

function int(query: URLSearchParams, key: string, min: number): number | undefined {
  const value = query.get(key);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new LogRequestError(400, `invalid value for ${key}: ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min) throw new LogRequestError(400, `${key} must be at least ${min}, not ${n}`);
  return n;
}

export function parseLogQuery(query: URLSearchParams, nowMs = Date.now()): LogQuery {
  const sinceSeconds = int(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) {
    throw new LogRequestError(400, 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  }
  let sinceMs = sinceSeconds === undefined ? undefined : nowMs - sinceSeconds * 1000;
  if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new LogRequestError(400, `invalid value for sinceTime: ${sinceTime}`);
  }
  const out: LogQuery = {
    follow: bool(query, 'follow'),
    previous: bool(query, 'previous'),
    timestamps: bool(query, 'timestamps'),
  };
  const tailLines = int(query, 'tailLines', 0);
  const limitBytes = int(query, 'limitBytes', 1);
  if (tailLines !== undefined) out.tailLines = tailLines;
  if (limitBytes !== undefined) out.limitBytes = limitBytes;
  if (sinceMs !== undefined) out.sinceMs = sinceMs;
  return out;
}

interface State {
  running?: unknown;
  terminated?: { containerID?: string };
  waiting?: { reason?: string };
}

interface Status {
  name: string;
  containerID?: string;
  state?: State;
  lastState?: State;
}

/** The restart count a local-node containerID (`local-node://<uid>/<container>/<restartCount>`) names. */
export function runOfContainerID(containerID: string | undefined): number | undefined {
  const m = containerID?.match(/^local-node:\/\/[^/]*\/[^/]+\/(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

/**
 * Which run of the container the log is read from (its restart count, which names its file), by the kubelet's rules:
 * `previous` is the last terminated instance; otherwise the running one, else the last one that ran.
 */
export function logRunFor(pod: Pod, container: string, previous: boolean): number {
  const podName = pod.metadata.name ?? '';
  const status = pod.status as { containerStatuses?: Status[]; initContainerStatuses?: Status[] } | undefined;
  const all = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])];
  const c = all.find((s) => s.name === container);
  if (!c) throw new LogRequestError(400, `container "${container}" in pod "${podName}" is not available`);
  const last = c.lastState?.terminated;
  const id = (containerID: string | undefined, what: string): number => {
    const run = runOfContainerID(containerID);
    if (run === undefined) throw new LogRequestError(400, what);
    return run;
  };
  const terminatedMessage = `container "${container}" in pod "${podName}" is terminated`;
  if (previous) {
    return id(last?.containerID, `previous terminated container "${container}" in pod "${podName}" not found`);
  }
  if (c.state?.running) return id(c.containerID, `container "${container}" in pod "${podName}" has no logs`);
  if (c.state?.terminated) {
    // The next run never started: its terminated state has no containerID, and the last one is read instead.
    return id(c.state.terminated.containerID ?? last?.containerID, terminatedMessage);
  }
  if (last) return id(last.containerID, terminatedMessage);
  const reason = c.state?.waiting?.reason;
  if (reason)
    throw new LogRequestError(400, `container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw new LogRequestError(400, `container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}
