/**
 * A list-then-watch cache of one resource type that heals itself: it resumes a closed watch from the last
 * resourceVersion, relists on 410 Gone, backs off on errors (1 s doubling to 30 s), and restarts a watch that has
 * gone silent. client-node's own ListWatch stops on the first unexpected error; this one never stops until told to.
 */
import { KubeApiError, isGone } from './errors';
import { ObjectStore, key, keyOf, type IndexFunc } from './object-store';
import type { KubeObject, WatchEvent } from './objects';
import type { ResourceClient } from './resource-client';

export interface InformerHandlers<T> {
  add?(object: T): void;
  update?(oldObject: T, newObject: T): void;
  delete?(object: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: ResourceClient<T>;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, IndexFunc<T>>;
  /** Drops what the cache need not keep (e.g. managedFields), to save memory. */
  transform?: (object: T) => T;
  /** The server closes each watch after about this long (jittered); then it is resumed. */
  watchTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface InformerStats {
  lists: number;
  watches: number;
  events: number;
  errors: number;
}

export class Informer<T extends KubeObject> {
  readonly store: ObjectStore<T>;
  readonly stats: InformerStats = { lists: 0, watches: 0, events: 0, errors: 0 };
  private readonly handlers = new Set<InformerHandlers<T>>();
  private resourceVersion: string | undefined;
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];
  private running?: Promise<void>;

  constructor(private readonly options: InformerOptions<T>) {
    this.store = new ObjectStore(options.indexers);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion the cache has caught up with. */
  get lastSyncResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  /** Adds handlers; objects already in the cache are replayed as adds. Returns a function that removes them. */
  on(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.add) for (const object of this.store.list()) this.call(() => handlers.add!(object));
    return () => this.handlers.delete(handlers);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(key(namespace, name));
  }

  list(namespace?: string): T[] {
    const all = this.store.list();
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  byIndex(index: string, value: string): T[] {
    return this.store.byIndex(index, value);
  }

  /** Starts the list/watch loop; it runs until the signal aborts. */
  start(signal: AbortSignal): void {
    this.running ??= this.run(signal);
  }

  /** Resolves once the first list is in the cache (rejects when the signal aborts first). */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true });
    });
  }

  /** Resolves when the loop has ended (after the start signal aborted). */
  async stopped(): Promise<void> {
    await this.running;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    const sleep = this.options.sleep ?? abortableSleep;
    let delay = initialMs;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist(signal);
        await this.watchOnce(signal);
        delay = initialMs;
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error)) {
          this.resourceVersion = undefined; // too old: start over from a fresh list
          continue;
        }
        this.stats.errors++;
        this.options.onError?.(error);
        await sleep(delay, signal).catch(() => undefined);
        delay = Math.min(delay * 2, maxMs);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const { client, namespace, labelSelector, fieldSelector } = this.options;
    const list = await client.list(namespace, { labelSelector, fieldSelector }, signal);
    this.stats.lists++;
    const seen = new Set<string>();
    for (const item of list.items) {
      seen.add(keyOf(item));
      this.apply({ type: 'ADDED', object: item });
    }
    for (const k of [...this.store.keys()]) {
      if (!seen.has(k)) {
        const gone = this.store.remove(k);
        if (gone) this.emit((h) => h.delete?.(gone));
      }
    }
    this.resourceVersion = list.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    const { client, namespace, labelSelector, fieldSelector } = this.options;
    const timeoutSeconds = jitter(this.options.watchTimeoutSeconds ?? 300);
    // A watch that hears nothing (not even a bookmark) well past its timeout is dead: abort and resume it.
    const watchdog = new AbortController();
    const onAbort = () => watchdog.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => watchdog.abort(new Error('watch went silent')), (timeoutSeconds + 30) * 1000);
      timer.unref();
    };
    arm();
    this.stats.watches++;
    try {
      const events = client.watch(namespace, {
        labelSelector,
        fieldSelector,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
        signal: watchdog.signal,
      });
      for await (const event of events) {
        arm();
        if (event.type === 'ERROR') {
          const status = event.object as unknown as { code?: number; reason?: string; message?: string };
          throw KubeApiError.fromStatus(status.code ?? 500, status, 'watch error');
        }
        const rv = event.object.metadata.resourceVersion;
        if (event.type !== 'BOOKMARK') this.apply(event);
        if (rv) this.resourceVersion = rv;
      }
    } catch (error) {
      // A silent watch aborted by the watchdog is resumed like a closed one.
      if (!watchdog.signal.aborted || signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private apply(event: WatchEvent<T>): void {
    this.stats.events++;
    const object = this.options.transform ? this.options.transform(event.object) : event.object;
    if (event.type === 'DELETED') {
      const gone = this.store.remove(keyOf(object));
      if (gone) this.emit((h) => h.delete?.(object));
      return;
    }
    const old = this.store.get(keyOf(object));
    if (old && old.metadata.resourceVersion === object.metadata.resourceVersion) return; // a relist of what we have
    this.store.upsert(object);
    if (old) this.emit((h) => h.update?.(old, object));
    else this.emit((h) => h.add?.(object));
  }

  private emit(fn: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) this.call(() => fn(handlers));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      // One broken handler must not starve the others or the cache.
      this.options.onError?.(error);
    }
  }
}

function jitter(seconds: number): number {
  return Math.max(1, Math.round(seconds * (0.8 + Math.random() * 0.4)));
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
