import { describe, expect, it } from '@jest/globals';
import { renderer, tailStart } from './log-render';

const T1 = '2026-01-02T03:04:05.000000000Z';
const T2 = '2026-01-02T03:04:07.500000000Z';
const lines = [`${T1} stdout F one`, `${T1} stderr P tw`, `${T2} stderr F o`, `${T2} stdout F three`];

function render(query: Parameters<typeof renderer>[0], input = lines): string {
  const r = renderer(query);
  return input.map((l) => r.line(Buffer.from(l))?.toString() ?? '').join('');
}

describe('renderer', () => {
  it('joins partial records and ends full ones with a newline', () => {
    expect(render({})).toBe('one\ntwo\nthree\n');
  });

  it('--timestamps prefixes every record with its time', () => {
    expect(render({ timestamps: true })).toBe(`${T1} one\n${T1} tw${T2} o\n${T2} three\n`);
  });

  it('since keeps records at or after the time', () => {
    expect(render({ sinceMs: Date.parse(T2) })).toBe('o\nthree\n');
    expect(render({ sinceMs: Date.parse(T2) + 1 })).toBe('');
    // A line without a time (older log) cannot be ruled out.
    expect(render({ sinceMs: Date.parse(T2) }, ['old line'])).toBe('old line\n');
  });

  it('limitBytes cuts the output, mid-line if need be', () => {
    const r = renderer({ limitBytes: 6 });
    expect(r.line(Buffer.from(lines[0]!))?.toString()).toBe('one\n');
    expect(r.line(Buffer.from(lines[3]!))?.toString()).toBe('th');
    expect(r.done).toBe(true);
    expect(r.line(Buffer.from(lines[3]!))).toBeUndefined();
  });
});

describe('tailStart', () => {
  const at = (text: string, n: number, block = 3) => {
    const buf = Buffer.from(text);
    return tailStart(buf.length, n, (p, len) => Promise.resolve(buf.subarray(p, p + len)), block).then((start) =>
      text.slice(start),
    );
  };

  it('finds the start of the last n lines, reading backwards in blocks', async () => {
    expect(await at('a\nbb\nccc\n', 1)).toBe('ccc\n');
    expect(await at('a\nbb\nccc\n', 2)).toBe('bb\nccc\n');
    expect(await at('a\nbb\nccc\n', 3)).toBe('a\nbb\nccc\n');
    expect(await at('a\nbb\nccc\n', 10)).toBe('a\nbb\nccc\n');
    expect(await at('a\nbb\nccc\n', 0)).toBe('');
    expect(await at('', 2)).toBe('');
  });

  it('counts an unterminated last line as a line', async () => {
    expect(await at('a\nbb\ncc', 1)).toBe('cc');
    expect(await at('a\nbb\ncc', 2)).toBe('bb\ncc');
  });
});
