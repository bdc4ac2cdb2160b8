import { describe, expect, it } from '@jest/globals';
import { scaledValue } from './int-or-percent';

describe('scaledValue', () => {
  it.each([
    [undefined, 10, true, 0],
    [3, 10, true, 3],
    ['20%', 10, true, 2],
    ['20%', 3, true, 1],
    ['20%', 3, false, 0],
    ['50%', 5, true, 3],
    ['50%', 5, false, 2],
    ['100%', 7, true, 7],
    ['0%', 7, true, 0],
    ['4', 7, true, 4],
  ])('%j of %d (round up: %s) is %d', (value, total, roundUp, expected) => {
    expect(scaledValue(value, total, roundUp)).toBe(expected);
  });

  it('rejects anything else, saying what to write', () => {
    expect(() => scaledValue('abc', 10, true)).toThrow(/use an integer or a percentage/);
  });
});
