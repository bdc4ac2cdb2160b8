/**
 * The CRI log format a container runtime writes and the kubelet reads: one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <content>`, where P marks a piece of a line longer than the runtime's
 * buffer and F the piece that ends it. Timestamps are recorded as a line arrives, which is what `--timestamps` and
 * `--since` read back.
 */

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** As written: RFC3339 with nine fractional digits, UTC. Empty for a line not in the CRI format. */
  time: string;
  /** Epoch milliseconds of `time` (NaN when there is none). */
  timeMs: number;
  stream: LogStream;
  /** A piece of a longer line: written without a newline. */
  partial: boolean;
  content: Buffer;
}

/** containerd's buffer: a line longer than this is cut into P records. */
export const MAX_RECORD_CONTENT = 16 * 1024;

/** RFC3339 with nanoseconds fixed at nine digits (kubelet's RFC3339NanoFixed), from epoch nanoseconds. */
export function formatTimestamp(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.678Z
  const nanos = (epochNs % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${nanos}Z`;
}

/** Epoch nanoseconds now, to the precision the platform gives (microseconds here). */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

export function formatRecord(time: string, stream: LogStream, partial: boolean, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${time} ${stream} ${partial ? 'P' : 'F'} `), content, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');
const SPACE = 0x20;

/**
 * One line of a log file, without its newline. A line not in the CRI format (a log written before the node recorded
 * timestamps, by a process adopted from such a node) is passed through as a full stdout line with no time.
 */
export function parseRecord(line: Buffer): LogRecord {
  const a = line.indexOf(SPACE);
  const b = a < 0 ? -1 : line.indexOf(SPACE, a + 1);
  const c = b < 0 ? -1 : line.indexOf(SPACE, b + 1);
  if (c > 0) {
    const time = line.subarray(0, a).toString('latin1');
    const stream = line.subarray(a + 1, b).toString('latin1');
    const tags = line.subarray(b + 1, c).toString('latin1');
    const timeMs = Date.parse(time);
    if ((stream === 'stdout' || stream === 'stderr') && /^[FP](:|$)/.test(tags) && !Number.isNaN(timeMs)) {
      return { time, timeMs, stream, partial: tags.startsWith('P'), content: line.subarray(c + 1) };
    }
  }
  return { time: '', timeMs: Number.NaN, stream: 'stdout', partial: false, content: line };
}

/**
 * Cuts a byte stream into log records' contents: each complete line, and pieces of MAX_RECORD_CONTENT of a line that
 * grows past it. What is left at the end of the stream is a last, unterminated line (`flush`).
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly emit: (content: Buffer, partial: boolean) => void) {}

  push(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const nl = data.indexOf(0x0a);
      if (nl >= 0 && nl <= MAX_RECORD_CONTENT) {
        this.emit(data.subarray(0, nl), false);
        data = data.subarray(nl + 1);
      } else if (data.length > MAX_RECORD_CONTENT) {
        this.emit(data.subarray(0, MAX_RECORD_CONTENT), true);
        data = data.subarray(MAX_RECORD_CONTENT);
      } else break;
    }
    this.pending = Buffer.from(data);
  }

  flush(): void {
    if (this.pending.length) this.emit(this.pending, false);
    this.pending = Buffer.alloc(0);
  }
}
