import { describe, expect, it } from '@jest/globals';
import { ObjectStore } from './object-store';
import type { KubeObject } from './objects';

const obj = (name: string, pool: string, rv = '1'): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, labels: { pool } },
});

describe('ObjectStore', () => {
  it('indexes objects and moves them between index values on update', () => {
    const store = new ObjectStore<KubeObject>({ pool: (o) => [o.metadata.labels!.pool!] });
    store.upsert(obj('a', 'p1'));
    store.upsert(obj('b', 'p1'));
    store.upsert(obj('c', 'p2'));
    expect(store.byIndex('pool', 'p1').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    store.upsert(obj('a', 'p2', '2'));
    expect(store.byIndex('pool', 'p1').map((o) => o.metadata.name)).toEqual(['b']);
    expect(
      store
        .byIndex('pool', 'p2')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'c']);
    store.remove('ns/c');
    expect(store.byIndex('pool', 'p2').map((o) => o.metadata.name)).toEqual(['a']);
    expect(store.size).toBe(2);
    expect(store.byIndex('pool', 'nope')).toEqual([]);
    expect(() => store.byIndex('missing', 'x')).toThrow('no index named "missing"');
  });
});
