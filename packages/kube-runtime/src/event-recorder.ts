/**
 * Records Kubernetes Events the way client-go's recorder does, for a controller that must never wait on them:
 * `recorder.event(...)` returns at once (no promise, never throws); the correlator (event-correlator.ts) folds repeats
 * into one Event's count; writes go out in the background through a bounded queue, at most `qps` per second.
 *
 * The queue holds one entry per Event, not per occurrence: an occurrence of an Event still waiting to be written
 * replaces the waiting state (its count), so a hot loop costs at most one write per Event per turn of the queue. An
 * Event is never written by two requests at once (its patches would race), and when the queue is full, new Events
 * are dropped (as client-go's broadcaster does) rather than holding memory or blocking a reconcile. Failed writes are
 * reported through onError and not retried: the next occurrence writes the Event again (a patch that finds it missing
 * creates it).
 */
import { isAlreadyExists, isNotFound } from './errors';
import { EventCorrelator, TokenBucket, type CorrelatorOptions } from './event-correlator';
import type { CoreEvent, EventType, KubeObject, ObjectReference } from './objects';
import type { ResourceClient } from './resource-client';
import { apiVersionOf, type ResourceType } from './resource-types';

/** Where Events are written: a ResourceClient of Resources.Event, or a fake in tests. */
export type EventSink = Pick<ResourceClient<CoreEvent>, 'create' | 'patch'>;

export interface EventRecorder {
  /** Records that `type`/`reason` happened to `regarding`. Returns at once; never throws. */
  event(regarding: ObjectReference, type: EventType, reason: string, message: string): void;
}

/** A recorder that records nothing (events switched off). */
export const NOOP_EVENT_RECORDER: EventRecorder = { event() {} };

export class EventQueueFullError extends Error {
  override readonly name = 'EventQueueFullError';
}

export interface EventBroadcasterOptions extends CorrelatorOptions {
  sink: EventSink;
  /** reportingInstance and source.host: this replica (a pod name, a hostname). */
  instance: string;
  /** Event writes per second, all objects together; default 25. */
  qps?: number;
  /** Writes allowed at once after a quiet period; default 50. */
  burst?: number;
  /** Concurrent writes; default 4. */
  concurrency?: number;
  /** Events waiting to be written before new ones are dropped; default 1000 (client-go's queue length). */
  maxPending?: number;
  /** A failed write, or (once per full spell) a dropped Event. */
  onError?: (error: unknown, event: CoreEvent) => void;
  now?: () => number;
}

export interface EventBroadcasterStats {
  /** Occurrences recorded. */
  recorded: number;
  /** Create and patch requests that succeeded. */
  written: number;
  failed: number;
  /** Events dropped because the queue was full. */
  dropped: number;
  /** Occurrences the per-object spam filter held back (their count rides on the next write). */
  filtered: number;
  pending: number;
}

interface Pending {
  event: CoreEvent;
  create: boolean;
}

/** The reference to `object` for an Event's involvedObject: kind and apiVersion from its resource type, uid, version. */
export function objectReference(type: ResourceType, object: KubeObject): ObjectReference {
  const { namespace, name, uid, resourceVersion } = object.metadata;
  return { apiVersion: apiVersionOf(type), kind: type.kind, namespace, name: name ?? '', uid, resourceVersion };
}

/** The writing side, shared by every controller's recorder (one queue, one rate limit). */
export class EventBroadcaster {
  private readonly correlator: EventCorrelator;
  private readonly bucket: TokenBucket;
  private readonly concurrency: number;
  private readonly maxPending: number;
  private readonly now: () => number;
  /** The latest unwritten state of each Event, by name; `order` is the turn they get. */
  private readonly pending = new Map<string, Pending>();
  private readonly order: string[] = [];
  private readonly inFlight = new Set<string>();
  private readonly idle: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private full = false;
  private closed = false;
  private readonly counts = { recorded: 0, written: 0, failed: 0, dropped: 0, filtered: 0 };

  constructor(private readonly options: EventBroadcasterOptions) {
    this.now = options.now ?? Date.now;
    this.correlator = new EventCorrelator(options);
    const qps = options.qps ?? 25;
    this.bucket = new TokenBucket(options.burst ?? 50, 1000 / qps, this.now());
    this.concurrency = options.concurrency ?? 4;
    this.maxPending = options.maxPending ?? 1000;
  }

  /** A recorder reporting as `component` (source.component and reportingComponent), e.g. `sandbox-controller`. */
  recorder(component: string): EventRecorder {
    return {
      event: (regarding, type, reason, message) => {
        try {
          this.record({ regarding, type, reason, message, component, instance: this.options.instance });
        } catch (error) {
          // Recording is best-effort: a bug here must not fail the reconcile that reported something.
          this.options.onError?.(error, { involvedObject: regarding, reason, message } as CoreEvent);
        }
      },
    };
  }

  stats(): EventBroadcasterStats {
    return { ...this.counts, pending: this.pending.size };
  }

  /** Resolves when nothing is waiting or being written (tests; shutdown). */
  flush(): Promise<void> {
    if (this.pending.size === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops taking Events and writes what waits, for at most `timeoutMs`; the rest is dropped. */
  async close(timeoutMs = 2000): Promise<void> {
    this.closed = true;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((r) => (timeout = setTimeout(r, timeoutMs)))]);
    clearTimeout(timeout);
    clearTimeout(this.timer);
    this.pending.clear();
    this.order.length = 0;
  }

  private record(occurrence: Parameters<EventCorrelator['correlate']>[0]): void {
    if (this.closed) return;
    this.counts.recorded++;
    const result = this.correlator.correlate(occurrence, this.now());
    if (result.action === 'skip') {
      this.counts.filtered++;
      return;
    }
    const name = result.event.metadata.name!;
    const waiting = this.pending.get(name);
    if (waiting) {
      // Not written yet: this state replaces it. A create still waiting stays a create.
      this.pending.set(name, { event: result.event, create: waiting.create || result.create });
      return;
    }
    if (this.pending.size >= this.maxPending) {
      this.counts.dropped++;
      if (!this.full)
        this.options.onError?.(new EventQueueFullError('event queue full: dropping events'), result.event);
      this.full = true;
      return;
    }
    this.full = false;
    this.pending.set(name, { event: result.event, create: result.create });
    if (!this.inFlight.has(name)) this.order.push(name);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight.size < this.concurrency && this.order.length > 0) {
      const wait = this.bucket.waitMs(this.now());
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        this.timer.unref?.();
        return;
      }
      this.bucket.take(this.now());
      const name = this.order.shift()!;
      const next = this.pending.get(name)!;
      this.pending.delete(name);
      this.inFlight.add(name);
      void this.write(next).finally(() => {
        this.inFlight.delete(name);
        // Occurrences that came while this one was written wait for the next turn.
        if (this.pending.has(name)) this.order.push(name);
        this.pump();
        if (this.pending.size === 0 && this.inFlight.size === 0) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private async write({ event, create }: Pending): Promise<void> {
    try {
      if (create) {
        try {
          await this.options.sink.create(event);
        } catch (error) {
          // Written by an earlier attempt whose answer was lost: bring it up to date instead.
          if (!isAlreadyExists(error)) throw error;
          await this.patch(event);
        }
      } else {
        try {
          await this.patch(event);
        } catch (error) {
          // Deleted meanwhile (events expire): write it anew, as client-go does.
          if (!isNotFound(error)) throw error;
          await this.options.sink.create(event);
        }
      }
      this.counts.written++;
    } catch (error) {
      this.counts.failed++;
      this.options.onError?.(error, event);
    }
  }

  private patch(event: CoreEvent): Promise<unknown> {
    const { count, lastTimestamp, message } = event;
    return this.options.sink.patch(event.metadata.namespace, event.metadata.name!, 'merge', {
      count,
      lastTimestamp,
      message,
    });
  }
}
