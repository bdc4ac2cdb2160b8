/**
 * Scale expectations: the creations and deletions a controller has sent for a key (a SandboxSet's `namespace/name`)
 * and not yet seen in its cache. While any is in flight, a lagging cache cannot make the planner create twice or delete
 * twice. The state is plain and in memory: after a restart it starts empty, which is safe because a fresh cache has
 * just been listed.
 *
 * Observation rules: a creation is observed once an object of that name is listed (or a create event arrives); a
 * deletion is observed once the name is no longer listed, or is listed with a deletionTimestamp.
 * If expectations stay unsatisfied for `timeoutMs` (default 60s) they are dropped, so a lost event never wedges a key.
 */
import { toMs, type Instant } from '../time';

export const DEFAULT_EXPECTATIONS_TIMEOUT_MS = 60_000;
/** Requeue delay after expectations were dropped on timeout (the reference controller's 3s). */
export const EXPECTATIONS_DROPPED_REQUEUE_MS = 3_000;

/** What a planner needs to know about one key, at one instant. */
export interface ExpectationsSnapshot {
  /** Names created but not yet observed. */
  readonly pendingCreations: readonly string[];
  /** Names deleted but not yet observed gone. */
  readonly pendingDeletions: readonly string[];
  /** True when nothing is in flight. */
  readonly satisfied: boolean;
  /** True when this snapshot dropped expectations that had been unsatisfied for longer than the timeout. */
  readonly timedOut: boolean;
  /** When to look again: the time left before the timeout, or a short delay after a timeout drop. */
  readonly requeueAfterMs?: number;
}

/** An object as the observation rules see it. */
export interface ObservedObject {
  readonly metadata: { readonly name?: string; readonly deletionTimestamp?: string };
}

interface KeyState {
  creations: Set<string>;
  deletions: Set<string>;
  /** When the key last went from satisfied to unsatisfied. */
  unsatisfiedSinceMs?: number;
}

export class ScaleExpectations {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly timeoutMs: number = DEFAULT_EXPECTATIONS_TIMEOUT_MS) {}

  /** Records a creation sent for `key` (call it with the name the API server returned). */
  expectCreation(key: string, name: string, now: Instant): void {
    const state = this.state(key, now);
    state.creations.add(name);
  }

  /** Records a deletion sent for `key`. */
  expectDeletion(key: string, name: string, now: Instant): void {
    const state = this.state(key, now);
    state.deletions.add(name);
  }

  /** A create event (or a listing) showed `name`. */
  observeCreation(key: string, name: string): void {
    this.keys.get(key)?.creations.delete(name);
    this.settle(key);
  }

  /** A delete event (or a deletionTimestamp) showed `name` going. */
  observeDeletion(key: string, name: string): void {
    this.keys.get(key)?.deletions.delete(name);
    this.settle(key);
  }

  /** Observes a full listing: pass every object that could carry an expected name. */
  observeListing(key: string, objects: Iterable<ObservedObject>): void {
    const state = this.keys.get(key);
    if (!state) return;
    const live = new Set<string>();
    for (const object of objects) {
      const name = object.metadata.name;
      if (!name) continue;
      state.creations.delete(name);
      if (!object.metadata.deletionTimestamp) live.add(name);
    }
    for (const name of [...state.deletions]) if (!live.has(name)) state.deletions.delete(name);
    this.settle(key);
  }

  /** The key's expectations at `now`; drops them when they have been unsatisfied for longer than the timeout. */
  snapshot(key: string, now: Instant): ExpectationsSnapshot {
    const state = this.keys.get(key);
    if (!state || (state.creations.size === 0 && state.deletions.size === 0)) {
      return { pendingCreations: [], pendingDeletions: [], satisfied: true, timedOut: false };
    }
    const elapsed = toMs(now) - (state.unsatisfiedSinceMs ?? toMs(now));
    if (elapsed >= this.timeoutMs) {
      this.keys.delete(key);
      return {
        pendingCreations: [],
        pendingDeletions: [],
        satisfied: true,
        timedOut: true,
        requeueAfterMs: EXPECTATIONS_DROPPED_REQUEUE_MS,
      };
    }
    return {
      pendingCreations: [...state.creations].sort(),
      pendingDeletions: [...state.deletions].sort(),
      satisfied: false,
      timedOut: false,
      requeueAfterMs: this.timeoutMs - elapsed,
    };
  }

  /** Forgets a key (its owner was deleted). */
  forget(key: string): void {
    this.keys.delete(key);
  }

  private state(key: string, now: Instant): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { creations: new Set(), deletions: new Set() };
      this.keys.set(key, state);
    }
    if (state.creations.size === 0 && state.deletions.size === 0) state.unsatisfiedSinceMs = toMs(now);
    return state;
  }

  private settle(key: string): void {
    const state = this.keys.get(key);
    if (state && state.creations.size === 0 && state.deletions.size === 0) this.keys.delete(key);
  }
}

/** The expectations key of an object: `namespace/name`. */
export function objectKey(object: { metadata: { namespace?: string; name?: string } }): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}
