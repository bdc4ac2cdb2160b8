/**
 * Writes nobody waits for (the sandbox-ID label after a claim), run a few at a time so that under a burst they queue
 * behind the claims instead of competing with them for the API server.
 */
export class BackgroundWrites {
  private readonly queue: Array<() => Promise<unknown>> = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly concurrency = 4,
    private readonly maxQueued = 50_000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Queues `write`; dropped (and reported) when the queue is full or the gateway is closing. */
  add(write: () => Promise<unknown>): void {
    if (this.closed || this.queue.length >= this.maxQueued) {
      this.onError(new Error('background write dropped: queue full or closing'));
      return;
    }
    this.queue.push(write);
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.running;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const write = this.queue.shift()!;
      this.running++;
      void write()
        .catch(this.onError)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  /** Stops taking writes; queued ones are abandoned (they are conveniences, not state). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }
}
