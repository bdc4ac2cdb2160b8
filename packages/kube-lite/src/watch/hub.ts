/**
 * Watches. Every store event goes to a bounded history of its resource type (so a watch can start from a past resourceVersion, or get
 * 410 Expired when it is too old) and to the live watchers of its type. Delivery never waits on a client: a watcher
 * whose unsent bytes pass a bound is closed, and its client re-watches from the last resourceVersion it saw.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors';
import { matchesFields, type FieldRequirement } from '../selectors/field';
import { matchesLabels, type LabelSelector } from '../selectors/label';
import type { StoreEvent, Store } from '../storage/store';
import type { KubeObject } from '../types';

export interface WatchSpec {
  typeKey: string;
  namespace?: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Serializes one event's object (plain JSON, Table, PartialObjectMetadata...). */
  encode: (object: KubeObject) => unknown;
  /** Watchers sharing this key share serialized events. */
  encodingKey: string;
  /** Builds the BOOKMARK object (kind and apiVersion of the watched type). */
  bookmark: (revision: number, annotations?: Record<string, string>) => unknown;
}

interface Watcher {
  spec: WatchSpec;
  res: ServerResponse;
  timer?: NodeJS.Timeout;
  closed: boolean;
  /** Lines not yet handed to the socket: flushed once per event-loop turn, one write for many events. */
  pending: string[];
  pendingBytes: number;
}

interface History {
  events: StoreEvent[];
  start: number;
  /** Watches of this type may start from any revision ≥ this one. */
  oldest: number;
}

export interface HubOptions {
  /** Events kept per resource type for watches that start in the past (kube's watch cache is per resource too). */
  historySize: number;
  /** Unsent bytes a watcher may have before it is closed. */
  maxBufferedBytes: number;
  bookmarkIntervalMs: number;
}

export class WatchHub {
  private histories = new Map<string, History>();
  /** Where every type's history starts: the revision the hub started at. */
  private readonly startRevision: number;
  private watchers = new Map<string, Set<Watcher>>();
  private bookmarkTimer: NodeJS.Timeout;
  private unsubscribe: () => void;
  private dirty = new Set<Watcher>();
  private flushScheduled = false;
  closedSlowWatchers = 0;
  /** Watches refused with 410 Expired (asked for a resourceVersion the history no longer covers). */
  expiredWatches = 0;

  constructor(
    private readonly store: Store,
    private readonly options: HubOptions,
  ) {
    this.startRevision = store.revision;
    this.unsubscribe = store.onEvent((e) => this.publish(e));
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), options.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
  }

  get watcherCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  close(): void {
    clearInterval(this.bookmarkTimer);
    this.unsubscribe();
    for (const set of this.watchers.values()) for (const w of set) this.end(w);
  }

  private historyOf(typeKey: string): History {
    let h = this.histories.get(typeKey);
    if (!h) this.histories.set(typeKey, (h = { events: [], start: 0, oldest: this.startRevision }));
    return h;
  }

  /** Events after `revision` of a type, or undefined when the history no longer reaches back that far. */
  eventsSince(revision: number, typeKey: string): StoreEvent[] | undefined {
    const h = this.historyOf(typeKey);
    if (revision < h.oldest) return undefined;
    const out: StoreEvent[] = [];
    // Binary search for the first event after `revision`: histories are in revision order.
    let lo = h.start;
    let hi = h.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h.events[mid]!.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < h.events.length; i++) out.push(h.events[i]!);
    return out;
  }

  watch(spec: WatchSpec, res: ServerResponse): void {
    const rvText = spec.resourceVersion ?? '';
    let from: number | undefined;
    if (rvText !== '' && rvText !== '0') {
      if (!/^\d+$/.test(rvText)) throw errors.badRequest(`invalid resource version: ${rvText}`);
      from = Number(rvText);
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const w: Watcher = { spec, res, closed: false, pending: [], pendingBytes: 0 };
    res.on('close', () => this.end(w));

    if (from !== undefined) {
      const replay = this.eventsSince(from, spec.typeKey);
      if (!replay) {
        const status = new ApiError(
          410,
          'Expired',
          `too old resource version: ${from} (${this.historyOf(spec.typeKey).oldest + 1})`,
        ).toStatus();
        w.closed = true;
        this.expiredWatches++;
        res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
        return;
      }
      for (const e of replay) this.deliver(w, e, new Map());
    } else if (spec.sendInitialEvents !== false) {
      for (const obj of this.store.list(spec.typeKey, spec.namespace)) {
        if (this.matches(spec, obj)) this.send(w, 'ADDED', spec.encode(obj));
      }
      if (spec.sendInitialEvents === true && spec.allowBookmarks) {
        this.send(w, 'BOOKMARK', spec.bookmark(this.store.revision, { 'k8s.io/initial-events-end': 'true' }));
      }
    }
    if (w.closed) return;
    let set = this.watchers.get(spec.typeKey);
    if (!set) this.watchers.set(spec.typeKey, (set = new Set()));
    set.add(w);
    // kube picks a random timeout between the min request timeout and twice it, so watchers do not reconnect in herds.
    const seconds = spec.timeoutSeconds ?? 1800 * (1 + Math.random());
    w.timer = setTimeout(() => this.end(w), seconds * 1000);
    w.timer.unref();
  }

  private matches(spec: WatchSpec, obj: KubeObject | undefined): boolean {
    if (!obj) return false;
    if (spec.namespace && obj.metadata.namespace !== spec.namespace) return false;
    return matchesLabels(spec.labelSelector, obj.metadata.labels) && matchesFields(spec.fieldSelector, obj);
  }

  private publish(event: StoreEvent): void {
    const h = this.historyOf(event.typeKey);
    h.events.push(event);
    if (h.events.length - h.start > this.options.historySize) {
      h.oldest = h.events[h.start]!.revision;
      h.start++;
      // Compact the array now and then instead of shifting on every event.
      if (h.start > this.options.historySize) {
        h.events = h.events.slice(h.start);
        h.start = 0;
      }
    }
    const set = this.watchers.get(event.typeKey);
    if (!set || set.size === 0) return;
    const cache = new Map<string, string>();
    for (const w of set) this.deliver(w, event, cache);
  }

  private deliver(w: Watcher, event: StoreEvent, cache: Map<string, string>): void {
    const spec = w.spec;
    const now = event.type === 'DELETED' ? false : this.matches(spec, event.object);
    const before = event.type === 'ADDED' ? false : this.matches(spec, event.prev);
    let type: string;
    if (event.type === 'DELETED') {
      if (!before) return;
      type = 'DELETED';
    } else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    else return;
    // An object leaving a selector's scope is reported as DELETED with its new state, as kube's cacher does.
    const cacheKey = `${type}|${spec.encodingKey}`;
    let line = cache.get(cacheKey);
    if (line === undefined) {
      line = JSON.stringify({ type, object: spec.encode(event.object) }) + '\n';
      cache.set(cacheKey, line);
    }
    this.write(w, line);
  }

  private send(w: Watcher, type: string, object: unknown): void {
    this.write(w, JSON.stringify({ type, object }) + '\n');
  }

  private write(w: Watcher, line: string): void {
    if (w.closed) return;
    w.pending.push(line);
    w.pendingBytes += line.length;
    // Unsent bytes: what the socket still holds plus what waits for the next flush.
    if (w.res.writableLength + w.pendingBytes > this.options.maxBufferedBytes) {
      this.closedSlowWatchers++;
      this.end(w, true);
      return;
    }
    this.dirty.add(w);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** One socket write per watcher per turn of the event loop, however many events it got: writes are syscalls. */
  private flush(): void {
    this.flushScheduled = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    for (const w of dirty) this.flushOne(w);
  }

  private flushOne(w: Watcher): void {
    if (w.closed || w.pending.length === 0) return;
    const data = w.pending.length === 1 ? w.pending[0]! : w.pending.join('');
    w.pending = [];
    w.pendingBytes = 0;
    w.res.write(data);
  }

  private sendBookmarks(): void {
    const rev = this.store.revision;
    for (const set of this.watchers.values()) {
      for (const w of set) if (w.spec.allowBookmarks) this.send(w, 'BOOKMARK', w.spec.bookmark(rev));
    }
  }

  private end(w: Watcher, abort = false): void {
    if (w.closed) return;
    if (!abort) this.flushOne(w);
    w.closed = true;
    if (w.timer) clearTimeout(w.timer);
    this.watchers.get(w.spec.typeKey)?.delete(w);
    this.dirty.delete(w);
    w.pending = [];
    if (abort) w.res.destroy();
    else w.res.end();
  }
}
