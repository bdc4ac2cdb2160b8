/**
 * The informer's cache: objects by namespace/name, plus named indexes (e.g. sandboxes by pool, by claim name), so
 * lookups on hot paths are map reads, never scans or API calls.
 */
import type { KubeObject } from './objects';

export type IndexFunc<T> = (object: T) => readonly string[];

export function keyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function key(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectStore<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexes = new Map<string, { fn: IndexFunc<T>; values: Map<string, Set<string>> }>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    for (const [name, fn] of Object.entries(indexers)) this.indexes.set(name, { fn, values: new Map() });
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  /** Keys of the objects whose index `name` contains `value`. */
  indexKeys(name: string, value: string): ReadonlySet<string> {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named "${name}"`);
    return index.values.get(value) ?? EMPTY;
  }

  byIndex(name: string, value: string): T[] {
    const out: T[] = [];
    for (const k of this.indexKeys(name, value)) {
      const object = this.objects.get(k);
      if (object) out.push(object);
    }
    return out;
  }

  /** Stores the object; returns the one it replaced. */
  upsert(object: T): T | undefined {
    const k = keyOf(object);
    const old = this.objects.get(k);
    if (old) this.unindex(k, old);
    this.objects.set(k, object);
    this.index(k, object);
    return old;
  }

  remove(k: string): T | undefined {
    const old = this.objects.get(k);
    if (!old) return undefined;
    this.unindex(k, old);
    this.objects.delete(k);
    return old;
  }

  private index(k: string, object: T): void {
    for (const { fn, values } of this.indexes.values()) {
      for (const value of fn(object)) {
        let set = values.get(value);
        if (!set) values.set(value, (set = new Set()));
        set.add(k);
      }
    }
  }

  private unindex(k: string, object: T): void {
    for (const { fn, values } of this.indexes.values()) {
      for (const value of fn(object)) {
        const set = values.get(value);
        set?.delete(k);
        if (set?.size === 0) values.delete(value);
      }
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();
