import { describe, expect, it } from '@jest/globals';
import type { FieldError } from '../errors';
import type { Schema } from '../types';
import { applyDefaults } from './default';
import { pruneObject } from './prune';
import { validateSchema } from './validate';

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, pattern: '^[a-z]+$' },
        mode: { type: 'string', enum: ['A', 'B'], default: 'A' },
        size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        items: {
          type: 'array',
          maxItems: 2,
          items: { type: 'object', properties: { k: { type: 'string' }, v: { type: 'integer', default: 1 } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
        },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

function errors(value: unknown): string[] {
  const errs: FieldError[] = [];
  validateSchema(value, schema, '', errs);
  return errs.map((e) => `${e.field}: ${e.detail}`);
}

describe('structural schema', () => {
  it('validates with kube-openapi wording', () => {
    expect(
      errors({
        spec: { name: 'Abc', mode: 'C', size: 1.5, items: [{ k: 'a' }, { k: 'a' }, { k: 'b' }], labels: { a: 1 } },
      }),
    ).toEqual([
      `spec.name: Invalid value: "Abc": spec.name in body should match '^[a-z]+$'`,
      'spec.mode: Unsupported value: "C": supported values: "A", "B"',
      'spec.size: Invalid value: "number": spec.size in body must be of type integer-or-string: "number"',
      'spec.items: Too many: 3: must have at most 2 items',
      'spec.items[1]: Duplicate value: {"k":"a"}',
      'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    ]);
    expect(errors({ spec: {} })).toEqual(['spec.name: Required value']);
  });

  it('defaults absent fields, inside list items too', () => {
    const v = { spec: { name: 'a', items: [{ k: 'x' }] } };
    applyDefaults(v, schema);
    expect(v.spec).toEqual({ name: 'a', mode: 'A', items: [{ k: 'x', v: 1 }] });
  });

  it('prunes unknown fields except under preserve-unknown-fields, and reports them', () => {
    const v = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'n', junk: 1 },
      spec: { name: 'a', junk: 1, free: { any: 1 }, items: [{ k: 'x', junk: 2 }] },
      other: 1,
    };
    expect(pruneObject(v, schema)).toEqual(['metadata.junk', 'spec.junk', 'spec.items[0].junk', 'other']);
    expect(v).toEqual({
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'n' },
      spec: { name: 'a', free: { any: 1 }, items: [{ k: 'x' }] },
    });
  });
});
