import { describe, expect, it } from '@jest/globals';
import { applyJsonPatch } from './json-patch';
import { mergePatch } from './merge';
import { strategicMergePatch } from './strategic';

describe('merge patch (RFC 7386)', () => {
  it('follows the RFC examples', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({
      a: 'z',
      c: { d: 'e' },
    });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: 'b' }, ['c'])).toEqual(['c']);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies operations in order', () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/-', value: 3 },
        { op: 'add', path: '/a/0', value: 0 },
        { op: 'move', from: '/b/c', path: '/d' },
        { op: 'copy', from: '/d', path: '/e' },
        { op: 'test', path: '/e', value: 1 },
        { op: 'replace', path: '/b', value: 'x~/' },
        { op: 'add', path: '/f~1g', value: true },
      ]),
    ).toEqual({ a: [0, 1, 2, 3], b: 'x~/', d: 1, e: 1, 'f/g': true });
    expect(doc).toEqual({ a: [1, 2], b: { c: 1 } });
  });

  it('fails with 422 when an operation does not apply', () => {
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/x', value: 1 }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
    expect(() => applyJsonPatch({ x: 1 }, [{ op: 'test', path: '/x', value: 2 }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
  });
});

describe('strategic merge patch', () => {
  const keys = { 'spec.containers': 'name', 'spec.containers[].env': 'name' };
  const pod = {
    spec: {
      containers: [
        { name: 'a', image: '1', env: [{ name: 'X', value: '1' }] },
        { name: 'b', image: '1' },
      ],
    },
  };

  it('merges lists by key, deletes with $patch: delete, keeps order with $setElementOrder', () => {
    const out = strategicMergePatch(
      pod,
      {
        spec: {
          $setElementOrder: undefined,
          '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
          containers: [
            { name: 'a', env: [{ name: 'Y', value: '2' }] },
            { name: 'b', $patch: 'delete' },
          ],
        },
      },
      keys,
    ) as typeof pod;
    expect(out.spec.containers).toEqual([
      {
        name: 'a',
        image: '1',
        env: [
          { name: 'X', value: '1' },
          { name: 'Y', value: '2' },
        ],
      },
    ]);
  });

  it('replaces lists without a merge key and honours $patch: replace on maps', () => {
    expect(strategicMergePatch({ spec: { args: ['a'] } }, { spec: { args: ['b'] } }, {})).toEqual({
      spec: { args: ['b'] },
    });
    expect(strategicMergePatch({ spec: { x: 1, y: 2 } }, { spec: { $patch: 'replace', z: 3 } }, {})).toEqual({
      spec: { z: 3 },
    });
  });
});
