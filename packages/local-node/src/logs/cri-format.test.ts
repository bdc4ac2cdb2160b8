import { describe, expect, it } from '@jest/globals';
import { formatRecord, formatTimestamp, LineSplitter, MAX_RECORD_CONTENT, parseRecord } from './cri-format';

describe('CRI log records', () => {
  it('formats times with nine fractional digits in UTC', () => {
    expect(formatTimestamp(1_767_323_045_678_901_234n)).toBe('2026-01-02T03:04:05.678901234Z');
    expect(formatTimestamp(1_767_323_045_000_000_001n)).toBe('2026-01-02T03:04:05.000000001Z');
  });

  it('round-trips a record', () => {
    const line = formatRecord('2026-01-02T03:04:05.678901234Z', 'stderr', false, Buffer.from('a b  c'));
    expect(line.toString()).toBe('2026-01-02T03:04:05.678901234Z stderr F a b  c\n');
    const r = parseRecord(line.subarray(0, -1));
    expect(r).toMatchObject({ time: '2026-01-02T03:04:05.678901234Z', stream: 'stderr', partial: false });
    expect(r.timeMs).toBe(Date.parse('2026-01-02T03:04:05.678Z'));
    expect(r.content.toString()).toBe('a b  c');
    expect(parseRecord(Buffer.from('2026-01-02T03:04:05.1Z stdout P ')).partial).toBe(true);
  });

  it('passes a line that is not a record through as stdout with no time (a log from before timestamps)', () => {
    for (const text of ['plain old line', 'not-a-time stdout F x', '2026-01-02T03:04:05Z stdin F x', '']) {
      const r = parseRecord(Buffer.from(text));
      expect(r).toMatchObject({ time: '', stream: 'stdout', partial: false });
      expect(r.content.toString()).toBe(text);
    }
  });
});

describe('LineSplitter', () => {
  const split = (chunks: Array<string | Buffer>) => {
    const out: Array<[string, boolean]> = [];
    const s = new LineSplitter((c, p) => out.push([c.toString(), p]));
    for (const c of chunks) s.push(Buffer.from(c));
    s.flush();
    return out;
  };

  it('cuts lines across chunks and flushes an unterminated last line', () => {
    expect(split(['a\nb', 'c\n\nd'])).toEqual([
      ['a', false],
      ['bc', false],
      ['', false],
      ['d', false],
    ]);
  });

  it('cuts a line longer than the buffer into partial records', () => {
    const long = 'x'.repeat(MAX_RECORD_CONTENT + 10);
    const out = split([long.slice(0, 100), long.slice(100) + '\n']);
    expect(out.map(([c, p]) => [c.length, p])).toEqual([
      [MAX_RECORD_CONTENT, true],
      [10, false],
    ]);
  });
});
