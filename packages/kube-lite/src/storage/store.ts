/**
 * The object store: every object in memory (reads never touch the disk), one global monotonic resourceVersion, and a
 * durable backend written before a write is acknowledged. Every change is published as an event, in revision order:
 * watchers, the garbage collector and the namespace controller all hang off these events.
 *
 * Group commit: on a durable backend, the writes of one event-loop turn go to disk in one transaction (one fsync),
 * and their events are published only after it, so no watcher ever sees a revision a crash could take back. Writers
 * answer their clients after `durable()` resolves. Memory is updated at once, so later writes build on earlier ones.
 */
import type { KubeObject } from '../types';
import type { Backend } from './backend';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  typeKey: string;
  namespace: string;
  name: string;
  object: KubeObject;
  /** The object before this change (MODIFIED, DELETED); selector-filtered watches need it. */
  prev?: KubeObject;
  revision: number;
}

interface Bucket {
  objects: Map<string, KubeObject>;
  sorted: string[] | undefined;
}

export interface ObjectRef {
  typeKey: string;
  namespace: string;
  name: string;
}

const SEP = '/';

function objectKey(namespace: string, name: string): string {
  return namespace + SEP + name;
}

export class Store {
  private buckets = new Map<string, Bucket>();
  private uids = new Map<string, ObjectRef>();
  /** owner uid → dependents: the garbage collector's graph. */
  private dependents = new Map<string, Set<string>>();
  private listeners: Array<(event: StoreEvent) => void> = [];
  private rev: number;
  private batch: { ops: Array<{ key: string; value: string | null }>; events: StoreEvent[] } = { ops: [], events: [] };
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushScheduled = false;
  private failure: unknown;

  constructor(private readonly backend: Backend) {
    const { revision, entries } = backend.load();
    this.rev = revision;
    for (const { key, value } of entries) {
      const [group, plural, namespace, ...rest] = key.split(SEP);
      const typeKey = `${group}${SEP}${plural}`;
      const object = JSON.parse(value) as KubeObject;
      this.put(typeKey, namespace ?? '', rest.join(SEP), object);
      this.rev = Math.max(this.rev, Number(object.metadata.resourceVersion ?? 0));
    }
  }

  get revision(): number {
    return this.rev;
  }

  get backendKind(): Backend['kind'] {
    return this.backend.kind;
  }

  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get(typeKey: string, namespace: string, name: string): KubeObject | undefined {
    return this.buckets.get(typeKey)?.objects.get(objectKey(namespace, name));
  }

  byUid(uid: string): ObjectRef | undefined {
    return this.uids.get(uid);
  }

  dependentsOf(ownerUid: string): ObjectRef[] {
    const set = this.dependents.get(ownerUid);
    if (!set) return [];
    return [...set].map((k) => JSON.parse(k) as ObjectRef);
  }

  count(typeKey: string): number {
    return this.buckets.get(typeKey)?.objects.size ?? 0;
  }

  typeKeys(): string[] {
    return [...this.buckets.keys()];
  }

  /** Objects of a type in key order (namespace, then name), as etcd would return them; optionally after a key. */
  list(typeKey: string, namespace?: string, after?: string): KubeObject[] {
    const bucket = this.buckets.get(typeKey);
    if (!bucket) return [];
    if (!bucket.sorted) bucket.sorted = [...bucket.objects.keys()].sort();
    const keys = bucket.sorted;
    const prefix = namespace ? namespace + SEP : undefined;
    let start = 0;
    const from = after ?? prefix;
    if (from !== undefined) {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid]! < from || (after !== undefined && keys[mid] === after)) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const out: KubeObject[] = [];
    for (let i = start; i < keys.length; i++) {
      const key = keys[i]!;
      if (prefix && !key.startsWith(prefix)) break;
      out.push(bucket.objects.get(key)!);
    }
    return out;
  }

  static keyOf(object: KubeObject): string {
    return objectKey(object.metadata.namespace ?? '', object.metadata.name ?? '');
  }

  /** Stores a new object; the caller has checked that the name is free. Returns the stored object. */
  create(typeKey: string, object: KubeObject): KubeObject {
    return this.write('ADDED', typeKey, object, undefined);
  }

  update(typeKey: string, object: KubeObject, prev: KubeObject): KubeObject {
    return this.write('MODIFIED', typeKey, object, prev);
  }

  remove(typeKey: string, prev: KubeObject): KubeObject {
    this.checkHealthy();
    const revision = this.rev + 1;
    const namespace = prev.metadata.namespace ?? '';
    const name = prev.metadata.name ?? '';
    this.rev = revision;
    this.drop(typeKey, namespace, name, prev);
    // The DELETED event carries the object at the deletion's revision, as etcd's watch does.
    const object: KubeObject = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(revision) } };
    this.commit(`${typeKey}${SEP}${namespace}${SEP}${name}`, null, {
      type: 'DELETED',
      typeKey,
      namespace,
      name,
      object,
      prev,
      revision,
    });
    return object;
  }

  /** Whether writes wait for the next group commit. */
  get pending(): boolean {
    return this.flushScheduled;
  }

  /** Resolves once every write made so far is on disk (and published); rejects if the disk write failed. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.flushScheduled) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  close(): void {
    if (this.flushScheduled) this.flush();
    this.backend.close();
  }

  private checkHealthy(): void {
    if (this.failure) throw this.failure;
  }

  private commit(key: string, value: string | null, event: StoreEvent): void {
    if (!this.backend.batched) {
      this.backend.commit([{ key, value }], event.revision);
      this.emit(event);
      return;
    }
    this.batch.ops.push({ key, value });
    this.batch.events.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    const { ops, events } = this.batch;
    this.batch = { ops: [], events: [] };
    const waiters = this.waiters;
    this.waiters = [];
    this.flushScheduled = false;
    if (ops.length > 0) {
      try {
        this.backend.commit(ops, this.rev);
      } catch (error) {
        // Memory is ahead of the disk now: refuse everything from here on rather than serve what may vanish.
        this.failure = error;
        for (const w of waiters) w.reject(error);
        return;
      }
    }
    for (const e of events) this.emit(e);
    for (const w of waiters) w.resolve();
  }

  private write(type: EventType, typeKey: string, input: KubeObject, prev: KubeObject | undefined): KubeObject {
    this.checkHealthy();
    const revision = this.rev + 1;
    const object: KubeObject = { ...input, metadata: { ...input.metadata, resourceVersion: String(revision) } };
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name ?? '';
    const value = this.backend.kind === 'memory' ? null : JSON.stringify(object);
    this.rev = revision;
    if (prev) this.unindex(typeKey, namespace, name, prev);
    this.put(typeKey, namespace, name, object);
    const event: StoreEvent = { type, typeKey, namespace, name, object, ...(prev ? { prev } : {}), revision };
    this.commit(`${typeKey}${SEP}${namespace}${SEP}${name}`, value ?? '', event);
    return object;
  }

  private put(typeKey: string, namespace: string, name: string, object: KubeObject): void {
    let bucket = this.buckets.get(typeKey);
    if (!bucket) {
      bucket = { objects: new Map(), sorted: undefined };
      this.buckets.set(typeKey, bucket);
    }
    const key = objectKey(namespace, name);
    if (!bucket.objects.has(key)) bucket.sorted = undefined;
    bucket.objects.set(key, object);
    if (object.metadata.uid) this.uids.set(object.metadata.uid, { typeKey, namespace, name });
    const owners = object.metadata.ownerReferences;
    if (!owners || owners.length === 0) return;
    const ref = JSON.stringify({ typeKey, namespace, name });
    for (const owner of owners) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Set()));
      set.add(ref);
    }
  }

  private unindex(typeKey: string, namespace: string, name: string, prev: KubeObject): void {
    const owners = prev.metadata.ownerReferences;
    if (!owners || owners.length === 0) return;
    const ref = JSON.stringify({ typeKey, namespace, name });
    for (const owner of owners) {
      const set = this.dependents.get(owner.uid);
      set?.delete(ref);
      if (set && set.size === 0) this.dependents.delete(owner.uid);
    }
  }

  private drop(typeKey: string, namespace: string, name: string, prev: KubeObject): void {
    const bucket = this.buckets.get(typeKey);
    if (bucket?.objects.delete(objectKey(namespace, name))) bucket.sorted = undefined;
    if (prev.metadata.uid) this.uids.delete(prev.metadata.uid);
    this.unindex(typeKey, namespace, name, prev);
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
