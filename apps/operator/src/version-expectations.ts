/**
 * Resource-version expectations: after a controller writes an object, its cache is stale until the watch delivers the
 * write. A reconcile that ran on the stale copy would act twice (extend a timeout twice, claim twice), so it waits
 * until the cache holds at least the version written. Dropped after a minute so a lost event never wedges a key.
 */
import { isNewerVersion } from './status-patch';

const TIMEOUT_MS = 60_000;
/** How soon to look again when the cache is behind (the watch event usually requeues first). */
export const STALE_CACHE_REQUEUE_MS = 250;

export class VersionExpectations {
  private readonly expected = new Map<string, { version: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  expect(key: string, version: string | undefined): void {
    if (version) this.expected.set(key, { version, at: this.now() });
  }

  /** True when the cached copy is at least as new as what was written (or nothing is expected). */
  satisfied(key: string, cachedVersion: string | undefined): boolean {
    const entry = this.expected.get(key);
    if (!entry) return true;
    if (cachedVersion === entry.version || isNewerVersion(cachedVersion, entry.version)) {
      this.expected.delete(key);
      return true;
    }
    if (this.now() - entry.at > TIMEOUT_MS) {
      this.expected.delete(key);
      return true;
    }
    return false;
  }

  forget(key: string): void {
    this.expected.delete(key);
  }
}
