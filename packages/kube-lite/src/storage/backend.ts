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
  /** Writes (value) or removes (null) a key together with the new revision; durable when it returns. */
  commit(key: string, value: string | null, revision: number): void;
  close(): void;
}

export function memoryBackend(): Backend {
  return {
    kind: 'memory',
    load: () => ({ revision: 0, entries: [] }),
    commit: () => {},
    close: () => {},
  };
}
