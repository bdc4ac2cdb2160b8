/**
 * A keyed work queue with client-go's guarantees: a key waiting in the queue is held once however often it is
 * added (events coalesce), a key is never processed by two workers at once (an add during processing re-queues it
 * when done), and failures back off per key (exponentially, capped). Keys are level-triggered: a reconcile reads
 * the current state, so coalescing loses nothing.
 */
/** setTimeout's largest delay (about 24.8 days); a longer one fires at once. Level-triggered keys re-arm anyway. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

export interface RateLimit {
  baseDelayMs: number;
  maxDelayMs: number;
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: Array<(key: K | undefined) => void> = [];
  private shuttingDown = false;

  constructor(private readonly rateLimit: RateLimit = { baseDelayMs: 5, maxDelayMs: 60_000 }) {}

  /** Keys waiting to be processed. */
  get length(): number {
    return this.queue.length;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Adds the key after `delayMs`; an earlier pending add for the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    // A timer far away (a paused sandbox kept "forever") is capped: the reconcile then simply schedules the rest.
    delayMs = Math.min(delayMs, MAX_DELAY_MS);
    const at = Date.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Adds the key after its back-off: base × 2^failures, capped. */
  addRateLimited(key: K): void {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    this.addAfter(key, Math.min(this.rateLimit.baseDelayMs * 2 ** failures, this.rateLimit.maxDelayMs));
  }

  /** Clears the key's back-off after a success. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process (marked as processing), or undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the key processed; if it was added meanwhile, it goes back in the queue. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
