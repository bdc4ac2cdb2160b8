/**
 * Wakes waiters when the cache changes: a claimer with no stock, or one waiting for a sandbox to become ready, sleeps
 * until the next informer event (or its deadline) instead of polling the API server.
 */
export class ChangeFeed {
  private waiters = new Set<() => void>();

  /** Something in the cache changed: wake everyone waiting. */
  notify(): void {
    if (this.waiters.size === 0) return;
    const woken = this.waiters;
    this.waiters = new Set();
    for (const wake of woken) wake();
  }

  /** Resolves at the next change, after `timeoutMs`, or when `signal` aborts, whichever is first. Never rejects. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted || timeoutMs <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
