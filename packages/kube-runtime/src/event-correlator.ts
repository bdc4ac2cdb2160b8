/**
 * client-go's event correlator (tools/record/events_cache.go), pure: no I/O, time passed in. It turns each
 * occurrence into the state of one Event object, so the recorder writes an existing Event again (count + 1) instead of
 * creating one per occurrence:
 * - aggregation: more than `maxSimilar` different messages for the same object, type and reason within
 *   `aggregateWindowMs` become one Event "(combined from similar events): <latest message>";
 * - de-duplication: an occurrence identical to one seen (object, type, reason, message) is the same Event with its
 *   count raised and lastTimestamp moved;
 * - spam filter: a token bucket per object (burst 25, one more every 5 minutes, as client-go), so one object in a hot
 *   loop cannot write without bound. A filtered occurrence still counts: the next write carries the total.
 * Caches are LRUs of bounded size, so a long-running controller over many objects keeps a fixed footprint.
 */
import type { CoreEvent, EventType, ObjectReference } from './objects';

export interface EventOccurrence {
  regarding: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  /** source.component and reportingComponent, e.g. `sandbox-controller`. */
  component: string;
  /** source.host and reportingInstance: which replica wrote it. */
  instance: string;
}

export interface CorrelatorOptions {
  /** Distinct messages per (object, type, reason) before they are combined; client-go: 10. */
  maxSimilar?: number;
  /** How long similar messages are remembered for combining; client-go: 10 minutes. */
  aggregateWindowMs?: number;
  /** Writes one object may burst; client-go: 25. */
  spamBurst?: number;
  /** One more write per object every this often; client-go: 5 minutes. */
  spamRefillMs?: number;
  /** Entries per cache; client-go: 4096. */
  cacheSize?: number;
}

export type Correlation =
  /** Write this state of the Event: create it, or (create false) patch count, lastTimestamp and message. */
  | { action: 'write'; event: CoreEvent; create: boolean }
  /** Rate-limited for its object: nothing to write now; the count is kept for the next write. */
  | { action: 'skip' };

export const COMBINED_PREFIX = '(combined from similar events): ';

/** A Map kept in recency order, evicting the least recently used beyond `capacity`. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }
}

/** A token bucket: `capacity` tokens, one more every `refillMs`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes a token when there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there (0 when one is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.refillMs);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + elapsed / this.refillMs);
    this.updatedAt = now;
  }
}

/** Kubernetes Time: RFC 3339 in whole seconds. */
export const eventTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

interface Similar {
  messages: Set<string>;
  lastMs: number;
}

interface Seen {
  name: string;
  count: number;
  firstTimestamp: string;
  /** A write was handed out: later ones patch. One filtered before its first write is still to be created. */
  written: boolean;
}

const objectKey = (o: EventOccurrence) => {
  const r = o.regarding;
  return [o.component, o.instance, r.kind, r.namespace, r.name, r.uid, r.apiVersion].join('\u0000');
};

export class EventCorrelator {
  private readonly maxSimilar: number;
  private readonly aggregateWindowMs: number;
  private readonly spamBurst: number;
  private readonly spamRefillMs: number;
  private readonly similar: Lru<string, Similar>;
  private readonly seen: Lru<string, Seen>;
  private readonly spam: Lru<string, TokenBucket>;
  /** Tells apart Events named in the same millisecond. */
  private sequence = 0;

  constructor(options: CorrelatorOptions = {}) {
    this.maxSimilar = options.maxSimilar ?? 10;
    this.aggregateWindowMs = options.aggregateWindowMs ?? 10 * 60_000;
    this.spamBurst = options.spamBurst ?? 25;
    this.spamRefillMs = options.spamRefillMs ?? 5 * 60_000;
    const size = options.cacheSize ?? 4096;
    this.similar = new Lru(size);
    this.seen = new Lru(size);
    this.spam = new Lru(size);
  }

  correlate(occurrence: EventOccurrence, now: number): Correlation {
    const object = objectKey(occurrence);
    const aggregateKey = [object, occurrence.type, occurrence.reason].join('\u0000');
    let message = occurrence.message;
    let key = [aggregateKey, message].join('\u0000');

    let similar = this.similar.get(aggregateKey);
    if (!similar || now - similar.lastMs > this.aggregateWindowMs) similar = { messages: new Set(), lastMs: now };
    similar.messages.add(message);
    similar.lastMs = now;
    this.similar.set(aggregateKey, similar);
    if (similar.messages.size > this.maxSimilar) {
      // Too many variants of one reason: from now on they are one Event, counted, showing the latest message.
      message = COMBINED_PREFIX + message;
      key = aggregateKey;
    }

    const timestamp = eventTimestamp(now);
    const before = this.seen.get(key);
    const seen: Seen = before
      ? { ...before, count: before.count + 1 }
      : { name: this.nameFor(occurrence.regarding.name, now), count: 1, firstTimestamp: timestamp, written: false };
    this.seen.set(key, seen);

    let bucket = this.spam.get(object);
    if (!bucket) this.spam.set(object, (bucket = new TokenBucket(this.spamBurst, this.spamRefillMs, now)));
    if (!bucket.take(now)) return { action: 'skip' };
    const create = !seen.written;
    seen.written = true;

    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: seen.name, namespace: occurrence.regarding.namespace || 'default' },
      involvedObject: occurrence.regarding,
      reason: occurrence.reason,
      message,
      type: occurrence.type,
      source: { component: occurrence.component, host: occurrence.instance },
      firstTimestamp: seen.firstTimestamp,
      lastTimestamp: timestamp,
      count: seen.count,
      reportingComponent: occurrence.component,
      reportingInstance: occurrence.instance,
    };
    return { action: 'write', event, create };
  }

  /** client-go's `<object>.<unix nanoseconds in hex>`, unique per correlator. */
  private nameFor(object: string, now: number): string {
    const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return `${object}.${nanos.toString(16)}`;
  }
}
