/**
 * Readiness probes, as the kubelet runs them: httpGet (2xx/3xx), tcpSocket (connects) and exec (exit 0), against
 * the pod's own loopback address. One departure, for latency: until a container is first Ready the probe runs every
 * 100 ms (never slower than periodSeconds) instead of once per period, so a sandbox is Ready as soon as it listens.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface Probe {
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: string;
    httpHeaders?: Array<{ name: string; value: string }>;
  };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ProbeTarget {
  podIP: string;
  /** The container's named ports (container.ports[].name → containerPort). */
  ports: Array<{ name?: string; containerPort: number }>;
  /** Runs an exec probe's command in the container's context; resolves with its exit code. */
  exec(command: string[], timeoutMs: number): Promise<number>;
}

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

export function resolvePort(port: number | string, ports: ProbeTarget['ports']): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = ports.find((p) => p.name === port);
  if (!named) throw new ProbeError(`no container port named "${port}"`);
  return named.containerPort;
}

/** One probe attempt: true on success, false on failure or timeout. */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.httpGet) return await httpProbe(probe.httpGet, target, timeoutMs);
    if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket, target, timeoutMs);
    if (probe.exec?.command?.length) return (await target.exec(probe.exec.command, timeoutMs)) === 0;
  } catch {
    return false;
  }
  return true; // a probe with no handler cannot fail
}

function httpProbe(get: NonNullable<Probe['httpGet']>, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const secure = (get.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/local-node', accept: '*/*' };
  for (const h of get.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  const options = {
    host: get.host ?? target.podIP,
    port: resolvePort(get.port, target.ports),
    path: get.path ?? '/',
    headers,
    timeout: timeoutMs,
    agent: false as const,
    rejectUnauthorized: false,
  };
  return new Promise((resolve) => {
    const req = (secure ? https : http).get(options, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

function tcpProbe(tcp: NonNullable<Probe['tcpSocket']>, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: tcp.host ?? target.podIP, port: resolvePort(tcp.port, target.ports) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a command and resolves with its exit code (non-zero on timeout). */
export function execCommand(
  argv: string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) return resolve(127);
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: 'ignore',
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const FAST_PROBE_MS = 100;

/**
 * Probes one container until stopped, calling onChange when its result flips: successThreshold consecutive successes
 * make it pass, failureThreshold consecutive failures fail. A readiness prober starts failing (not Ready) and probes
 * fast until its first success; a liveness prober starts passing and probes once per period.
 */
export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private paused = false;
  private ready = false;
  private everReady = false;
  private successes = 0;
  private failures = 0;

  constructor(
    private readonly probe: Probe,
    private readonly target: ProbeTarget,
    private readonly onChange: (passing: boolean) => void,
    kind: 'readiness' | 'liveness' = 'readiness',
  ) {
    if (kind === 'liveness') this.ready = this.everReady = true;
  }

  get passing(): boolean {
    return this.ready;
  }

  start(): void {
    this.schedule(Math.max(0, this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  /** A frozen container is not probed (it cannot answer); its readiness is held until it thaws. */
  pause(): void {
    this.paused = true;
    clearTimeout(this.timer);
  }

  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.paused) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const ok = await runProbe(this.probe, this.target);
    if (this.stopped || this.paused) return;
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (!this.ready && this.successes >= Math.max(1, this.probe.successThreshold ?? 1)) this.set(true);
    } else {
      this.successes = 0;
      this.failures++;
      if (this.ready && this.failures >= Math.max(1, this.probe.failureThreshold ?? 3)) this.set(false);
    }
    const periodMs = Math.max(1, this.probe.periodSeconds ?? 10) * 1000;
    this.schedule(this.everReady ? periodMs : Math.min(FAST_PROBE_MS, periodMs));
  }

  private set(ready: boolean): void {
    this.ready = ready;
    if (ready) this.everReady = true;
    this.onChange(ready);
  }
}
