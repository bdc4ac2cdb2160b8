/**
 * One process started through Process.Start: a child with pipes, or a PTY. It outlives the RPC that started it
 * (background commands, handle.disconnect()); any number of Start/Connect streams subscribe to its events.
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { IPty } from '@lydell/node-pty';
import { RuntimeError } from '../errors';

export type OutputKind = 'stdout' | 'stderr' | 'pty';

export type ProcessOutput =
  | { kind: 'data'; stream: OutputKind; data: Uint8Array }
  | { kind: 'end'; exitCode: number; status: string; error?: string };

export interface ProcessSpec {
  cmd: string;
  args: string[];
  /** Request envs, as the client sent them (what List reports). */
  envs: Record<string, string>;
  /** Sandbox cwd as reported by List. */
  cwd: string;
  hostCwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  tag?: string;
  stdin: boolean;
  pty?: { cols: number; rows: number };
}

type Listener = (event: ProcessOutput) => void;

export class ManagedProcess {
  readonly pid: number;
  private readonly listeners = new Set<Listener>();
  private child: ChildProcess | undefined;
  private terminal: IPty | undefined;
  private ended: ProcessOutput | undefined;
  readonly exited: Promise<void>;
  private markExited!: () => void;

  private constructor(
    readonly spec: ProcessSpec,
    pid: number,
  ) {
    this.pid = pid;
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  /** Spawns the process; rejects (not_found / permission_denied / invalid_argument) if it cannot start. */
  static async start(spec: ProcessSpec): Promise<ManagedProcess> {
    if (spec.pty) return ManagedProcess.startPty(spec);
    const child = spawnChild(spec.cmd, spec.args, {
      cwd: spec.hostCwd,
      env: spec.env,
      uid: spec.uid,
      gid: spec.gid,
      // Own process group, so a kill reaches everything the shell started.
      detached: true,
      stdio: [spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const proc = new ManagedProcess(spec, child.pid ?? 0);
    proc.child = child;
    proc.wireChild(child);
    return proc;
  }

  private static async startPty(spec: ProcessSpec): Promise<ManagedProcess> {
    const pty = await import('@lydell/node-pty');
    const terminal = pty.spawn(spec.cmd, spec.args, {
      name: spec.env.TERM ?? 'xterm-256color',
      cols: spec.pty?.cols || 80,
      rows: spec.pty?.rows || 24,
      cwd: spec.hostCwd,
      env: spec.env,
      uid: spec.uid,
      gid: spec.gid,
      // Raw bytes: the client decodes UTF-8 itself and a split multi-byte character must survive.
      encoding: null,
    });
    const proc = new ManagedProcess(spec, terminal.pid);
    proc.terminal = terminal;
    terminal.onData((data: string | Buffer) => {
      proc.emit({ kind: 'data', stream: 'pty', data: typeof data === 'string' ? Buffer.from(data) : data });
    });
    terminal.onExit(({ exitCode, signal }) =>
      proc.finish(signal ? null : exitCode, signal ? signalName(signal) : null),
    );
    return proc;
  }

  private wireChild(child: ChildProcess): void {
    // After a successful spawn, 'error' only reports a failed kill/send; it must not take the daemon down.
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    let openStreams = 0;
    let lastData = Date.now();
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const maybeFinish = () => {
      if (exit && openStreams === 0) this.finish(exit.code, exit.signal);
    };
    for (const [stream, name] of [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const) {
      if (!stream) continue;
      openStreams++;
      stream.on('data', (data: Buffer) => {
        lastData = Date.now();
        this.emit({ kind: 'data', stream: name, data });
      });
      stream.once('close', () => {
        openStreams--;
        maybeFinish();
      });
    }
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      maybeFinish();
      // A background grandchild (`sleep 100 &`) can hold the pipes open forever; envd reports the exit anyway.
      // Cut them once they have been quiet for a moment, but never while paused with output still unread.
      if (openStreams > 0) {
        const timer = setInterval(() => {
          if (openStreams === 0) return clearInterval(timer);
          if (this.pauses > 0 || Date.now() - lastData < 100) return;
          clearInterval(timer);
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 50);
        timer.unref();
      }
    });
  }

  private pauses = 0;

  /**
   * Flow control: a subscriber that cannot keep up (slow client) pauses reading the process's output, so the kernel
   * pipe fills and the process blocks, instead of the daemon buffering without bound. Counted per subscriber.
   */
  pause(): void {
    if (this.pauses++ > 0) return;
    this.child?.stdout?.pause();
    this.child?.stderr?.pause();
    this.terminal?.pause();
  }

  resume(): void {
    if (this.pauses === 0 || --this.pauses > 0) return;
    this.child?.stdout?.resume();
    this.child?.stderr?.resume();
    this.terminal?.resume();
  }

  private emit(event: ProcessOutput): void {
    for (const listener of this.listeners) listener(event);
  }

  private finish(code: number | null, signal: string | null): void {
    if (this.ended) return;
    // Go's ProcessState: exit code -1 and "signal: killed" when a signal ended the process.
    const exitCode = code ?? -1;
    const status = code !== null ? `exit status ${code}` : `signal: ${describeSignal(signal)}`;
    this.ended = { kind: 'end', exitCode, status, ...(exitCode !== 0 ? { error: status } : {}) };
    this.emit(this.ended);
    this.listeners.clear();
    this.markExited();
  }

  get done(): boolean {
    return this.ended !== undefined;
  }

  /** Subscribes to future events; if the process already ended, the listener gets the end event at once. */
  subscribe(listener: Listener): () => void {
    if (this.ended) {
      listener(this.ended);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  writeStdin(data: Uint8Array): void {
    if (this.terminal) return this.terminal.write(Buffer.from(data) as unknown as string);
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || stdin.writableEnded) {
      throw new RuntimeError('failed_precondition', `stdin of process ${this.pid} is not open`);
    }
    stdin.write(data);
  }

  writePty(data: Uint8Array): void {
    if (!this.terminal) throw new RuntimeError('failed_precondition', `process ${this.pid} has no PTY`);
    this.terminal.write(Buffer.from(data) as unknown as string);
  }

  closeStdin(): void {
    if (this.terminal) {
      // A terminal has no separate stdin to close; EOF is Ctrl-D.
      this.terminal.write('\x04');
      return;
    }
    this.child?.stdin?.end();
  }

  resize(cols: number, rows: number): void {
    if (!this.terminal) throw new RuntimeError('failed_precondition', `process ${this.pid} has no PTY`);
    this.terminal.resize(Math.max(1, cols), Math.max(1, rows));
  }

  /** Signals the whole process group (falls back to the process alone if the group is gone). */
  signal(signal: NodeJS.Signals): void {
    if (this.ended) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      try {
        process.kill(this.pid, signal);
      } catch {
        // Already gone: the exit event will follow.
      }
    }
  }
}

function signalName(signal: number): string {
  const entry = Object.entries(osConstants.signals).find(([, n]) => n === signal);
  return entry?.[0] ?? String(signal);
}

/** Go's wording for the common signals ("signal: killed"), so clients see what envd would say. */
function describeSignal(signal: string | null): string {
  const words: Record<string, string> = {
    SIGKILL: 'killed',
    SIGTERM: 'terminated',
    SIGINT: 'interrupt',
    SIGHUP: 'hangup',
    SIGPIPE: 'broken pipe',
  };
  return (signal && words[signal]) ?? signal ?? 'unknown';
}
