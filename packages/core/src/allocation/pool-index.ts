/**
 * The allocator's cache: an in-memory index of the sandboxes a process has seen (fed by the informer's upserts and
 * deletes), with the AVAILABLE ones grouped by (namespace, template) and by revision for O(1) random picks.
 *
 * Double allocation is guarded in three layers; this index is the first two:
 * 1. a per-process in-flight set: a picked sandbox is not handed to another worker until released;
 * 2. stale-cache holds: after a lock was written (or lost with 409), the cached copy is stale, so the sandbox stays out
 *    of the pickable set until the cache shows a different resourceVersion;
 * 3. the API server's resourceVersion check on the lock update (buildClaimLock) is the final word.
 * The index is rebuildable: after a restart, upserting the listing restores it.
 */
import { Annotations, Labels, getSandboxState, type Sandbox } from '@kruise-agents/api';
import { toMs, type Instant } from '../time';
import { isClaimable } from './claim-lock';
import { RandomSet } from './random-set';

export interface PickOptions {
  now: Instant;
  /** A number in [0, 1), e.g. Math.random; the start of the search. */
  random: () => number;
  /** Try sandboxes whose template-hash label equals this first (the pool's updateRevision). */
  preferRevision?: string;
  /** Sandboxes to leave alone for this pick (e.g. ones this process is waiting to see updated). */
  exclude?: (sandbox: Sandbox) => boolean;
}

/** How a pick ended, for release(). */
export type PickOutcome =
  /** The lock update succeeded: the cached copy is stale until the cache catches up. */
  | 'claimed'
  /** The lock update lost a race (409): the cached copy is stale too. */
  | 'conflict'
  /** Nothing was written: the sandbox may be picked again. */
  | 'abandoned';

/** The E2B sandbox ID of a sandbox: its sandbox-id label, else `<namespace>--<name>`. */
export function sandboxIdOf(sandbox: Pick<Sandbox, 'metadata'>): string {
  return (
    sandbox.metadata.labels?.[Labels.SandboxId] ?? `${sandbox.metadata.namespace ?? ''}--${sandbox.metadata.name ?? ''}`
  );
}

/** The pool a sandbox is indexed under: its sandbox-template label, else its sandbox-pool label. */
export function poolTemplateOf(sandbox: Pick<Sandbox, 'metadata'>): string | undefined {
  return sandbox.metadata.labels?.[Labels.SandboxTemplate] ?? sandbox.metadata.labels?.[Labels.SandboxPool];
}

interface Placement {
  pool: string;
  revision: string;
}

const keyOf = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

export class PoolIndex {
  private readonly objects = new Map<string, Sandbox>();
  private readonly pools = new Map<string, Map<string, RandomSet>>();
  private readonly placements = new Map<string, Placement>();
  /** key → the resourceVersion it was picked at. */
  private readonly inFlight = new Map<string, string | undefined>();
  /** key → the resourceVersion known to be stale. */
  private readonly staleVersions = new Map<string, string | undefined>();
  private readonly byId = new Map<string, string>();
  private readonly byClaim = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();

  /** Adds or replaces a sandbox (informer add/update). */
  upsert(sandbox: Sandbox, now: Instant): void {
    const key = keyOf(sandbox.metadata.namespace, sandbox.metadata.name);
    const previous = this.objects.get(key);
    if (previous) this.unindexSecondary(key, previous);
    this.objects.set(key, sandbox);
    if (this.staleVersions.has(key) && this.staleVersions.get(key) !== sandbox.metadata.resourceVersion) {
      this.staleVersions.delete(key);
    }
    this.indexSecondary(key, sandbox);
    this.place(key, now);
  }

  /** Removes a sandbox (informer delete). */
  delete(sandbox: Pick<Sandbox, 'metadata'>): void {
    const key = keyOf(sandbox.metadata.namespace, sandbox.metadata.name);
    const previous = this.objects.get(key);
    if (previous) this.unindexSecondary(key, previous);
    this.objects.delete(key);
    this.unplace(key);
    this.inFlight.delete(key);
    this.staleVersions.delete(key);
  }

  get(namespace: string, name: string): Sandbox | undefined {
    return this.objects.get(keyOf(namespace, name));
  }

  /** Picks an available sandbox of (namespace, template) and marks it in flight; undefined when there is none. */
  pick(namespace: string, template: string, options: PickOptions): Sandbox | undefined {
    const revisions = this.pools.get(keyOf(namespace, template));
    if (!revisions) return undefined;
    const order = [...revisions.keys()].sort((a, b) =>
      a === options.preferRevision ? -1 : b === options.preferRevision ? 1 : a.localeCompare(b),
    );
    for (const revision of order) {
      const set = revisions.get(revision);
      if (!set) continue;
      const skipped: string[] = [];
      let picked: Sandbox | undefined;
      // Each draw either returns or takes one key out of the set, so this ends; stale keys leave for good and
      // excluded ones come back after this pick.
      while (set.size > 0) {
        const key = set.at(Math.min(Math.floor(options.random() * set.size), set.size - 1))!;
        const sandbox = this.objects.get(key);
        this.unplace(key);
        if (!sandbox || !isClaimable(sandbox, options.now)) continue;
        if (options.exclude?.(sandbox)) {
          skipped.push(key);
          continue;
        }
        this.inFlight.set(key, sandbox.metadata.resourceVersion);
        picked = sandbox;
        break;
      }
      for (const key of skipped) this.place(key, options.now);
      if (picked) return picked;
    }
    return undefined;
  }

  /** Ends a pick: the sandbox leaves the in-flight set; after 'claimed' or 'conflict' it waits for a fresh copy. */
  release(sandbox: Pick<Sandbox, 'metadata'>, outcome: PickOutcome, now: Instant): void {
    const key = keyOf(sandbox.metadata.namespace, sandbox.metadata.name);
    const pickedVersion = this.inFlight.get(key);
    const wasInFlight = this.inFlight.delete(key);
    const cached = this.objects.get(key);
    if (!cached) return;
    // The copy we picked is stale now; if the cache has already moved past it, there is nothing to wait for.
    if (outcome !== 'abandoned' && wasInFlight && cached.metadata.resourceVersion === pickedVersion) {
      this.staleVersions.set(key, pickedVersion);
    }
    this.place(key, now);
  }

  /** How many sandboxes could be picked now from (namespace, template). */
  stock(namespace: string, template: string): number {
    let total = 0;
    for (const set of this.pools.get(keyOf(namespace, template))?.values() ?? []) total += set.size;
    return total;
  }

  /** The sandbox with this E2B sandbox ID (sandboxIdOf). */
  findBySandboxId(id: string): Sandbox | undefined {
    const key = this.byId.get(id);
    return key === undefined ? undefined : this.objects.get(key);
  }

  /** The sandboxes labelled with this claim's name. */
  findByClaimName(namespace: string, claimName: string): Sandbox[] {
    return [...(this.byClaim.get(keyOf(namespace, claimName)) ?? [])].flatMap((k) => this.objects.get(k) ?? []);
  }

  /**
   * How many sandboxes an owner (a claim's UID) holds: owner annotation equal to it, not reserved-failed, not dead.
   * A claim counts max(status.claimedReplicas, this), which survives a crash between a lock and a status write.
   */
  countClaimedBy(namespace: string, ownerUid: string, now: Instant): number {
    let count = 0;
    for (const key of this.byOwner.get(keyOf(namespace, ownerUid)) ?? []) {
      const sandbox = this.objects.get(key);
      if (!sandbox || sandbox.metadata.labels?.[Labels.ReservedFailedSandbox] === 'true') continue;
      if (getSandboxState(sandbox, toMs(now)) !== 'dead') count++;
    }
    return count;
  }

  private place(key: string, now: Instant): void {
    const sandbox = this.objects.get(key);
    const pool = sandbox && poolTemplateOf(sandbox);
    const pickable =
      sandbox !== undefined &&
      pool !== undefined &&
      !this.inFlight.has(key) &&
      !this.staleVersions.has(key) &&
      isClaimable(sandbox, now);
    const revision = sandbox?.metadata.labels?.[Labels.TemplateHash] ?? '';
    const current = this.placements.get(key);
    if (
      current &&
      (!pickable || current.pool !== keyOf(sandbox?.metadata.namespace, pool) || current.revision !== revision)
    ) {
      this.unplace(key);
    }
    if (!pickable || this.placements.has(key)) return;
    const poolKey = keyOf(sandbox.metadata.namespace, pool);
    let revisions = this.pools.get(poolKey);
    if (!revisions) this.pools.set(poolKey, (revisions = new Map()));
    let set = revisions.get(revision);
    if (!set) revisions.set(revision, (set = new RandomSet()));
    set.add(key);
    this.placements.set(key, { pool: poolKey, revision });
  }

  private unplace(key: string): void {
    const placement = this.placements.get(key);
    if (!placement) return;
    this.placements.delete(key);
    const revisions = this.pools.get(placement.pool);
    const set = revisions?.get(placement.revision);
    set?.delete(key);
    if (set && set.size === 0) revisions?.delete(placement.revision);
    if (revisions && revisions.size === 0) this.pools.delete(placement.pool);
  }

  private indexSecondary(key: string, sandbox: Sandbox): void {
    const { namespace, labels, annotations } = sandbox.metadata;
    this.byId.set(sandboxIdOf(sandbox), key);
    const claim = labels?.[Labels.ClaimName];
    if (claim) addTo(this.byClaim, keyOf(namespace, claim), key);
    const owner = annotations?.[Annotations.Owner];
    if (owner) addTo(this.byOwner, keyOf(namespace, owner), key);
  }

  private unindexSecondary(key: string, sandbox: Sandbox): void {
    const { namespace, labels, annotations } = sandbox.metadata;
    const id = sandboxIdOf(sandbox);
    if (this.byId.get(id) === key) this.byId.delete(id);
    const claim = labels?.[Labels.ClaimName];
    if (claim) removeFrom(this.byClaim, keyOf(namespace, claim), key);
    const owner = annotations?.[Annotations.Owner];
    if (owner) removeFrom(this.byOwner, keyOf(namespace, owner), key);
  }
}

function addTo(map: Map<string, Set<string>>, group: string, key: string): void {
  let set = map.get(group);
  if (!set) map.set(group, (set = new Set()));
  set.add(key);
}

function removeFrom(map: Map<string, Set<string>>, group: string, key: string): void {
  const set = map.get(group);
  set?.delete(key);
  if (set && set.size === 0) map.delete(group);
}
