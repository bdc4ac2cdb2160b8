/**
 * A long-lived language process that keeps one context's state. The driver (Python or Node) reads JSON commands
 * from fd 4 and writes JSON events to fd 3; anything the user's code or its subprocesses write to fd 1/2 is
 * forwarded as stdout/stderr of the running execution. Executions are serialised.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { KernelEvent } from './messages';

export interface KernelSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

type Sink = (event: KernelEvent) => void;

/** How long an interrupted execution may take to stop before the kernel is killed (and its state lost). */
const INTERRUPT_GRACE_MS = 2000;

export class Kernel {
  private child: ChildProcess | undefined;
  private sink: Sink | undefined;
  private queue: Promise<void> = Promise.resolve();
  private finishCurrent: (() => void) | undefined;
  private exitReason: string | undefined;

  constructor(private readonly spec: () => KernelSpec) {}

  /** Runs one execution; events go to `sink` until the driver says done (or the kernel dies). */
  execute(command: Record<string, unknown>, sink: Sink, signal: AbortSignal): Promise<void> {
    const run = this.queue.then(() => this.runOne(command, sink, signal));
    this.queue = run.catch(() => {});
    return run;
  }

  private ensureStarted(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const spec = this.spec();
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      uid: spec.uid,
      gid: spec.gid,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitReason = undefined;
    const events = child.stdio[3] as Readable;
    events.on('error', () => {});
    readline.createInterface({ input: events }).on('line', (line) => {
      let event: KernelEvent;
      try {
        event = JSON.parse(line) as KernelEvent;
      } catch {
        return;
      }
      if (this.child !== child) return;
      if (event.type === 'done') this.finishCurrent?.();
      else if (event.type !== 'ready') this.sink?.(event);
    });
    child.stdout?.on('data', (data: Buffer) => {
      if (this.child === child) this.sink?.({ type: 'stdout', text: data.toString('utf8') });
    });
    child.stderr?.on('data', (data: Buffer) => {
      if (this.child === child) this.sink?.({ type: 'stderr', text: data.toString('utf8') });
    });
    // A replaced kernel (restart) may report its death while its successor runs: only the current one counts.
    child.on('error', (error) => {
      if (this.child !== child) return;
      this.exitReason = `kernel failed to start: ${error.message}`;
      this.child = undefined;
      this.finishCurrent?.();
    });
    child.on('exit', (code, sig) => {
      if (this.child !== child) return;
      this.exitReason ??= `kernel exited (${sig ?? `code ${code}`})`;
      this.child = undefined;
      this.finishCurrent?.();
    });
    (child.stdio[4] as Writable).on('error', () => {});
    return child;
  }

  private async runOne(command: Record<string, unknown>, sink: Sink, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const child = this.ensureStarted();
    this.sink = sink;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      // Interrupt like Jupyter does (KeyboardInterrupt / breakOnSigint); kill if the code ignores it.
      this.sink = undefined;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), INTERRUPT_GRACE_MS);
    };
    try {
      await new Promise<void>((resolve) => {
        this.finishCurrent = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
        (child.stdio[4] as Writable).write(JSON.stringify(command) + '\n');
      });
      if (this.child !== child && !signal.aborted) {
        // The kernel died mid-execution (crash, os._exit, OOM): say so, the next execution gets a fresh one.
        sink({
          type: 'error',
          name: 'KernelDied',
          value: this.exitReason ?? 'kernel exited',
          traceback: this.exitReason ?? '',
        });
      }
      // Output written to fd 1/2 just before "done" may still be in flight on the other pipes.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      this.finishCurrent = undefined;
      this.sink = undefined;
    }
  }

  /** Stops the process; the next execution starts a fresh one (restartCodeContext). */
  shutdown(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    this.finishCurrent?.();
  }
}
