import { describe, expect, it } from '@jest/globals';
import type { Schema } from '../types';
import { evaluateValidations, parseGoDuration } from './cel';

const rule = (r: string, message?: string): Schema => ({
  'x-kubernetes-validations': [{ rule: r, ...(message ? { message } : {}) }],
});

const check = (r: string, self: unknown, old?: unknown) =>
  evaluateValidations(self, old, rule(r, 'nope'), 'spec').length === 0;

describe('CEL subset', () => {
  it.each([
    ['has(self.a) != has(self.b)', { a: 1 }, true],
    ['has(self.a) != has(self.b)', { a: 1, b: 2 }, false],
    ['self.replicas >= 0 && self.replicas <= 10', { replicas: 3 }, true],
    ["self.name.startsWith('sbx-') || size(self.name) > 10", { name: 'abc' }, false],
    ["duration(self.t) >= duration('1s')", { t: '1m30s' }, true],
    ["duration(self.t) >= duration('1s')", { t: '500ms' }, false],
    ['self.items.all(i, i > 0)', { items: [1, 2] }, true],
    ['self.items.exists(i, i == 2) && !(3 in self.items)', { items: [1, 2] }, true],
    ["self.kind in ['A', 'B'] ? self.n == 1 : self.n == 2", { kind: 'B', n: 1 }, true],
    ['timestamp(self.b) > timestamp(self.a)', { a: '2024-01-01T00:00:00Z', b: '2024-01-02T00:00:00Z' }, true],
    ['self.missing == 1 || true', {}, true],
    ['self.x.matches("^[a-z]+$")', { x: 'abc' }, true],
  ])('%s on %j → %s', (r, self, expected) => {
    expect(check(r, self)).toBe(expected);
  });

  it('transition rules run only when an old value exists', () => {
    expect(check('self == oldSelf', 2)).toBe(true);
    expect(check('self == oldSelf', 2, 2)).toBe(true);
    expect(check('self == oldSelf', 3, 2)).toBe(false);
  });

  it('reports the field, the value type and the message, as kube does', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { replicas: { type: 'integer', ...rule('self == oldSelf', 'replicas is immutable') } },
        },
      },
    };
    const errs = evaluateValidations({ spec: { replicas: 2 } }, { spec: { replicas: 1 } }, schema, '');
    expect(errs).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.replicas', detail: 'Invalid value: "integer": replicas is immutable' },
    ]);
  });

  it('skips rules it cannot parse', () => {
    expect(check('self.a ++ b', {})).toBe(true);
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1h2m3.5s')).toBe(3723.5e9);
    expect(parseGoDuration('-10ms')).toBe(-10e6);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('soon')).toThrow();
  });
});
