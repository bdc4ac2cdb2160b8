import { describe, expect, it } from '@jest/globals';
import { DurationError, formatDuration, isDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['1m', 60_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['2h45m30s', 9_930_000],
    ['1m0s', 60_000],
    ['+5s', 5000],
    ['-1m', -60_000],
    ['0', 0],
    ['-1', -1],
    ['1500us', 1.5],
    ['.5s', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', /empty duration/],
    ['5', /missing unit in duration "5" \(use e\.g\. "5s"/],
    ['1x', /invalid duration "1x"/],
    ['m', /invalid duration/],
    ['1h 30m', /invalid duration/],
    ['1d', /invalid duration "1d"/],
  ])('rejects %j with a message that says what to write', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });

  it('isDuration mirrors parseDuration', () => {
    expect(isDuration('1m')).toBe(true);
    expect(isDuration('1 minute')).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m0s'],
    [1500, '1.5s'],
    [250, '250ms'],
    [0.5, '500µs'],
    [-60_000, '-1m0s'],
    [3_600_000 * 100, '100h0m0s'],
  ])('%d ms is %s, as Go prints it', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 61_000, 3_661_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('refuses a non-finite value', () => {
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(DurationError);
  });
});
