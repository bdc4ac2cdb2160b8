/**
 * Where a container's output goes: stdout and stderr are named pipes (FIFOs) beside its log file, and the node reads
 * them and appends each line to the log file with the time it arrived, in the CRI format (the part a containerd shim
 * plays for the kubelet). Named, not anonymous, pipes so that a container outlives a crash of the node as before: the
 * container holds its pipe open for reading and writing, so it never gets EPIPE while no node reads (it blocks once
 * the pipe's 64 KiB fill), and the next node, adopting the process, opens the same FIFOs again and carries on.
 */
import { closeSync, constants, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { formatRecord, formatTimestamp, LineSplitter, nowNs, type LogStream } from './cri-format';
import type { FifoStock } from './fifo-stock';

const STREAMS: LogStream[] = ['stdout', 'stderr'];

export class LogPipeError extends Error {
  override readonly name = 'LogPipeError';
}

/** The FIFO of one stream of the run whose log is logFile (`…/logs/<container>/<n>.log` → `<n>.stdout.fifo`). */
export function fifoPath(logFile: string, stream: LogStream): string {
  return logFile.replace(/\.log$/, '') + `.${stream}.fifo`;
}

/** The write ends a new container gets as its stdout and stderr; the node closes its copies once it has spawned. */
export interface ChildOutput {
  stdout: number;
  stderr: number;
  /** Closes the node's copies of the write ends (after the spawn, or when it failed). */
  release(): void;
}

/** The log files being written now, each until both of its pipes reach end of file (every writer has exited). */
export class LogWriters {
  private readonly live = new Map<string, Promise<void>>();

  constructor(private readonly fifos: FifoStock) {}

  /** Whether lines may still be appended to this log file (its container's processes still hold the pipes). */
  isWriting(logFile: string): boolean {
    return this.live.has(logFile);
  }

  /** Resolves once the file's writer has appended everything and closed (at once when none runs). */
  finished(logFile: string): Promise<void> {
    return this.live.get(logFile) ?? Promise.resolve();
  }

  /** Makes the run's FIFOs, starts appending what comes through them to logFile, and hands out the write ends. */
  async create(logFile: string): Promise<ChildOutput> {
    mkdirSync(path.dirname(logFile), { recursive: true });
    const fifos = STREAMS.map((s) => fifoPath(logFile, s));
    try {
      await this.fifos.placeAt(fifos);
    } catch (error) {
      throw new LogPipeError(`cannot make the log pipes of ${logFile}: ${(error as Error).message}`);
    }
    // Read-write: the node's own copy keeps a writer on each pipe until the child has its, so the reader opened next
    // does not see end of file before the container starts.
    const [stdout, stderr] = fifos.map((f) => openSync(f, constants.O_RDWR)) as [number, number];
    this.attach(logFile);
    let released = false;
    return {
      stdout,
      stderr,
      release: () => {
        if (released) return;
        released = true;
        closeSync(stdout);
        closeSync(stderr);
      },
    };
  }

  /** Reads the FIFOs of a run found alive after a node restart; a run from before log pipes has none (no-op). */
  attach(logFile: string): void {
    if (this.live.has(logFile)) return;
    const fifos = STREAMS.map((s) => fifoPath(logFile, s));
    if (!fifos.every((f) => existsSync(f))) return;
    // Appended synchronously as each chunk is read: a node killed outright must not take lines it already took out of
    // the pipe with it in a stream's buffer (the next node reads on from the pipe, not from our memory).
    let file: number | undefined = openSync(logFile, 'a');
    const append = (record: Buffer) => {
      if (file === undefined) return;
      try {
        writeSync(file, record);
      } catch {
        // The pod's directory removed under a late line: nothing left to write to.
        closeSync(file);
        file = undefined;
      }
    };
    const ended = STREAMS.map(
      (stream, i) =>
        new Promise<void>((resolve) => {
          // Non-blocking: opening a FIFO for reading alone would otherwise wait for a writer.
          const socket = new Socket({ fd: openSync(fifos[i]!, constants.O_RDONLY | constants.O_NONBLOCK) });
          socket.unref(); // the node may exit while its containers run, as it always could
          const splitter = new LineSplitter((content, partial) => {
            append(formatRecord(formatTimestamp(nowNs()), stream, partial, content));
          });
          socket.on('data', (chunk: Buffer) => splitter.push(chunk));
          socket.on('error', () => socket.destroy());
          socket.on('close', () => {
            splitter.flush();
            resolve();
          });
        }),
    );
    const done = Promise.all(ended)
      .then(() => {
        if (file !== undefined) closeSync(file);
        file = undefined;
      })
      .finally(() => {
        rmFifos(fifos);
        this.live.delete(logFile);
      });
    this.live.set(logFile, done);
  }
}

function rmFifos(fifos: string[]): void {
  for (const f of fifos) rmSync(f, { force: true });
}
