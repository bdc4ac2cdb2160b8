/**
 * Durable storage under the in-memory store. The store keeps every object in memory and serves all reads from there;
 * a backend only has to make each acknowledged write survive a crash and give everything back at start.
 */
export interface StoredEntry {
  key: string;
  value: string;
}

export interface Backend {
  readonly kind: 'memory' | 'sqlite';
  /** Everything stored, and the last resourceVersion handed out (never goes backwards across restarts). */
  load(): { revision: number; entries: StoredEntry[] };
  /** Writes (value) or removes (null) keys, in order, with the new revision, in one transaction; durable on return. */
  commit(ops: Array<{ key: string; value: string | null }>, revision: number): void;
  /** Whether commits are worth batching (each one costs an fsync). */
  readonly batched: boolean;
  close(): void;
}

export function memoryBackend(): Backend {
  return {
    kind: 'memory',
    batched: false,
    load: () => ({ revision: 0, entries: [] }),
    commit: () => {},
    close: () => {},
  };
}
