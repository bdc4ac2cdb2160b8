import { describe, expect, it } from '@jest/globals';
import { formatLabelSelector, matchesLabels, parseLabelSelector } from './label';

describe('label selectors', () => {
  it('parses every operator', () => {
    expect(parseLabelSelector('a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4')).toEqual([
      { key: 'a', op: 'in', values: ['1'] },
      { key: 'b', op: 'in', values: ['2'] },
      { key: 'c', op: 'notin', values: ['3'] },
      { key: 'd', op: 'in', values: ['x', 'y'] },
      { key: 'e', op: 'notin', values: ['z'] },
      { key: 'f', op: 'exists' },
      { key: 'g', op: 'doesnotexist' },
      { key: 'h', op: 'gt', values: ['4'] },
    ]);
  });

  it('matches like apimachinery (notin and != match a missing label)', () => {
    const s = parseLabelSelector('env!=prod,tier notin (db)');
    expect(matchesLabels(s, {})).toBe(true);
    expect(matchesLabels(s, { env: 'prod' })).toBe(false);
    expect(matchesLabels(parseLabelSelector('example.com/x=y'), { 'example.com/x': 'y' })).toBe(true);
  });

  it('rejects invalid keys and values', () => {
    expect(() => parseLabelSelector('bad key=1')).toThrow();
    expect(() => parseLabelSelector('a=-b-')).toThrow();
  });

  it('formats metav1.LabelSelector', () => {
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }],
      }),
    ).toBe('a=1,b=2,c in (x,y)');
  });
});
