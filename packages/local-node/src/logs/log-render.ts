/**
 * Turning log records into what `kubectl logs` prints, as the kubelet does (kuberuntime's ReadLogs): records before
 * `since` are skipped, `timestamps` prefixes each with its time, a full record ends with a newline and a partial one
 * does not, and the output stops at `limitBytes`. Pure; the reader (log-read.ts) feeds it.
 */
import { parseRecord } from './cri-format';
import type { LogQuery } from './log-query';

export interface Renderer {
  /** The bytes to send for this line of the file (maybe none); sets `done` once limitBytes is reached. */
  line(line: Buffer): Buffer | undefined;
  readonly done: boolean;
}

export function renderer(query: Partial<Pick<LogQuery, 'sinceMs' | 'timestamps' | 'limitBytes'>>): Renderer {
  let left = query.limitBytes ?? Infinity;
  return {
    line(line) {
      if (left <= 0) return undefined;
      const record = parseRecord(line);
      // A line with no recorded time (an older log) cannot be placed: `since` keeps it, as it cannot rule it out.
      if (query.sinceMs !== undefined && record.timeMs < query.sinceMs) return undefined;
      const parts: Buffer[] = [];
      if (query.timestamps) parts.push(Buffer.from(`${record.time || '-'} `));
      parts.push(record.content);
      if (!record.partial) parts.push(Buffer.from('\n'));
      let out = Buffer.concat(parts);
      if (out.length > left) out = out.subarray(0, left);
      left -= out.length;
      return out;
    },
    get done() {
      return left <= 0;
    },
  };
}

/**
 * Where the last `n` lines of a file start, reading blocks backwards from its end (the kubelet's
 * FindTailLineStartIndex): the whole log is never held. `read(position, length)` reads that many bytes.
 */
export async function tailStart(
  size: number,
  n: number,
  read: (position: number, length: number) => Promise<Buffer>,
  blockSize = 64 * 1024,
): Promise<number> {
  if (n <= 0) return size;
  let end = size;
  let newlines = 0;
  // The file's last newline ends its last line; a line is counted at the newline before it.
  let skipLast = true;
  while (end > 0) {
    const start = Math.max(0, end - blockSize);
    const block = await read(start, end - start);
    for (let i = block.length - 1; i >= 0; i--) {
      if (block[i] !== 0x0a) continue;
      if (skipLast && start + i === size - 1) {
        skipLast = false;
        continue;
      }
      skipLast = false;
      if (++newlines === n) return start + i + 1;
    }
    end = start;
  }
  return 0;
}
