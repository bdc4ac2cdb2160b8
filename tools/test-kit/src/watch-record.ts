import type { KubeObject, ResourceClient } from '@kruise-agents/kube-runtime';
import { sleep } from './wait-for';

/** What a watch saw, and how to stop it. */
export interface WatchRecord<R> {
  /** What `record` made of each version, in order; it grows until stop(). */
  readonly seen: R[];
  /** Stops the watch, after 200 ms for the last events to arrive. */
  stop(): Promise<void>;
}

/**
 * Watches `from` (by name, in its namespace) from its resourceVersion on, and records what `record` makes of every
 * version the watch delivers: for asserting on each status an object went through, which polling would miss.
 */
export function recordWatch<T extends KubeObject, R>(
  client: ResourceClient<T>,
  from: T,
  record: (object: T) => R,
): WatchRecord<R> {
  const seen: R[] = [];
  const abort = new AbortController();
  const watching = (async () => {
    for await (const event of client.watch(from.metadata.namespace, {
      fieldSelector: `metadata.name=${from.metadata.name}`,
      resourceVersion: from.metadata.resourceVersion,
      signal: abort.signal,
    })) {
      seen.push(record(event.object));
    }
  })().catch(() => undefined);
  return {
    seen,
    async stop() {
      await sleep(200);
      abort.abort();
      await watching;
    },
  };
}
