/**
 * Runs a reconciler over a work queue with N workers. The reconciler's result drives the queue, never the
 * reconciler itself: a throw retries with back-off, `requeueAfterMs` is a timer, a TerminalError is reported and
 * not retried.
 */
import type { WorkQueue } from './work-queue';

export interface ReconcileResult {
  /** Reconcile this key again after this long (a timer such as a sandbox's shutdownTime). */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string, signal: AbortSignal) => Promise<ReconcileResult | void>;

/** A failure that retrying cannot fix (bad spec); reported once, not retried. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

export interface ControllerHooks {
  onResult?(
    key: string,
    outcome: 'success' | 'requeue' | 'error' | 'terminal',
    durationMs: number,
    error?: unknown,
  ): void;
}

export interface RunControllerOptions extends ControllerHooks {
  name: string;
  queue: WorkQueue<string>;
  reconcile: Reconcile;
  workers?: number;
  signal: AbortSignal;
}

/** Runs until the signal aborts; then shuts the queue down and waits for in-flight reconciles. */
export async function runController(options: RunControllerOptions): Promise<void> {
  const { queue, reconcile, signal } = options;
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const started = performance.now();
      try {
        const result = await reconcile(key, signal);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) {
          queue.addAfter(key, Math.max(0, result.requeueAfterMs));
          options.onResult?.(key, 'requeue', performance.now() - started);
        } else {
          options.onResult?.(key, 'success', performance.now() - started);
        }
      } catch (error) {
        if (error instanceof TerminalError) {
          queue.forget(key);
          options.onResult?.(key, 'terminal', performance.now() - started, error);
        } else {
          if (!signal.aborted) queue.addRateLimited(key);
          options.onResult?.(key, 'error', performance.now() - started, error);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers ?? 1 }, worker));
}
