/**
 * Streams one run's log file to a client as the query asks: from the start or the last `tailLines` lines, then, with
 * `follow`, whatever is appended while the file is still being written (the container runs). Reads in blocks and sends
 * each line as it goes, with the writer's back-pressure: the log is never held whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogQuery } from './log-query';
import { renderer, tailStart } from './log-render';

export interface StreamOptions {
  /** Whether lines may still be appended (checked before each read that reaches the end). */
  isWriting(): boolean;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** How often a followed file is checked for growth. */
  pollMs?: number;
}

const BLOCK = 64 * 1024;

/** Resolves once everything asked for was written to `out` (or the client left). A missing file is an empty log. */
export async function streamLog(file: string, query: LogQuery, out: Writable, options: StreamOptions): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    const render = renderer(query);
    let position =
      query.tailLines === undefined ? 0 : await tailStart((await handle.stat()).size, query.tailLines, read);
    let carry = Buffer.alloc(0);
    const send = async (bytes: Buffer | undefined) => {
      if (!bytes?.length || out.write(bytes)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          out.off('drain', done);
          options.signal.removeEventListener('abort', done);
          resolve();
        };
        out.on('drain', done);
        options.signal.addEventListener('abort', done);
      });
    };
    for (;;) {
      // Asked before reading to the end: once the writer has finished, everything it wrote is in the file.
      const writing = query.follow && options.isWriting();
      for (;;) {
        if (options.signal.aborted || render.done) return;
        const chunk = await read(position, BLOCK);
        if (chunk.length === 0) break;
        position += chunk.length;
        let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        let nl: number;
        while ((nl = data.indexOf(0x0a)) >= 0 && !render.done) {
          await send(render.line(data.subarray(0, nl)));
          data = data.subarray(nl + 1);
        }
        carry = Buffer.from(data);
      }
      if (!writing) break;
      await sleep(options.pollMs ?? 100, undefined, { signal: options.signal }).catch(() => undefined);
    }
    // A last line with no newline (a record cut short): sent as it is.
    if (carry.length && !render.done && !options.signal.aborted) await send(render.line(carry));
  } finally {
    await handle.close();
  }
}
