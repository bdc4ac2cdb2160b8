/**
 * The warm-pool planner: from a SandboxSet, the sandboxes in its namespace and the expectations in flight, the status
 * to write and the actions to take. It decides; the caller executes (creates, lock-then-deletes, deletes).
 *
 * Rules (the reference SandboxSet controller's, §5):
 * - Members are the sandboxes whose controller ownerReference is this set. Claimed sandboxes have none and are never
 *   counted, updated or deleted.
 * - replicas = creating + available + creations in flight; the scale target is spec.replicas.
 * - Scale up by the difference, capped by scaleStrategy.maxUnavailable (percentages of spec.replicas, rounded up) minus
 *   the members not yet available. Scale-up never waits for expectations: creations in flight count as replicas.
 * - Scale down only when no creation or deletion is in flight, in this order: old revision, then Pending, then
 *   recycled (most recycled first), then running but not ready, then available; older first within a tier.
 * - Dead members (deleting aside) are always deleted.
 * - Rolling update only when the pool is at its size and nothing is in flight: every old-revision creating member,
 *   then the oldest old-revision available members within updateStrategy.maxUnavailable (default "20%", rounded up)
 *   minus the updated members still creating.
 * - A SandboxSet being deleted creates nothing and shrinks nothing (garbage collection removes its members).
 * - A member locked by someone else (a claim in progress) is never chosen for a delete; it is skipped, not replaced,
 *   since it is about to leave the pool anyway.
 */
import {
  DEFAULT_UPDATE_MAX_UNAVAILABLE,
  Labels,
  ScaleDownOwner,
  Annotations,
  SandboxConditions,
  getSandboxState,
  isConditionTrue,
  sandboxSetOwner,
  type Sandbox,
  type SandboxSet,
  type SandboxSetStatus,
  type SandboxState,
  type SandboxTemplate,
} from '@kruise-agents/api';
import { scaledValue } from '../int-or-percent';
import { sandboxSetRevision } from '../revision';
import { parseTime, toMs, type Instant } from '../time';
import type { ExpectationsSnapshot } from './expectations';

export interface PlanSandboxSetOptions {
  now: Instant;
  /** From ScaleExpectations.snapshot(objectKey(set), now). Absent means nothing in flight. */
  expectations?: ExpectationsSnapshot;
  /** The set's updateRevision if already computed. */
  revision?: string;
  /** The SandboxTemplate a templateRef set references; needed to compute its revision when `revision` is absent. */
  referencedTemplate?: SandboxTemplate;
}

export interface SandboxSetPlan {
  /** The status to write (the whole status subresource). */
  status: SandboxSetStatus;
  /** How many sandboxes to create now (buildPoolSandbox). */
  create: number;
  /** Dead members to delete right away (no lock needed). */
  deleteDead: Sandbox[];
  /** Members to remove to shrink the pool: lock them (buildDeleteLock) with an RV-conditional update, then delete. */
  scaleDown: Sandbox[];
  /** Old-revision members to replace: lock then delete, like scaleDown. */
  rollingUpdate: Sandbox[];
  /** When to reconcile again even without events (expectations waiting). */
  requeueAfterMs?: number;
}

/** `agents.kruise.io/sandbox-claimed=false,agents.kruise.io/sandbox-pool=<name>`: the scale subresource's selector. */
export function sandboxSetSelector(setName: string): string {
  return `${Labels.SandboxClaimed}=false,${Labels.SandboxPool}=${setName}`;
}

/** True when `sandbox` is an unclaimed member of `set`'s pool (controller ownerReference to it, not labelled claimed). */
export function isPoolMember(set: SandboxSet, sandbox: Sandbox): boolean {
  const owner = sandboxSetOwner(sandbox);
  if (!owner || sandbox.metadata.labels?.[Labels.SandboxClaimed] === 'true') return false;
  return set.metadata.uid ? owner.uid === set.metadata.uid : owner.name === set.metadata.name;
}

/** True when a delete may lock `sandbox`: unlocked, or locked by an earlier scale-down that did not finish. */
export function isLockableForDelete(sandbox: Sandbox): boolean {
  const lock = sandbox.metadata.annotations?.[Annotations.Lock];
  return !lock || sandbox.metadata.annotations?.[Annotations.Owner] === ScaleDownOwner;
}

/**
 * Plans one reconcile of `set`. Pass every sandbox of the namespace (or every one labelled with this pool): members are
 * filtered here, and creations are observed by name even when the new sandbox was claimed before the set saw it.
 */
export function planSandboxSet(
  set: SandboxSet,
  sandboxes: readonly Sandbox[],
  options: PlanSandboxSetOptions,
): SandboxSetPlan {
  const now = toMs(options.now);
  const revision = options.revision ?? sandboxSetRevision(set, options.referencedTemplate);
  const listed = new Set(sandboxes.map((s) => s.metadata.name));
  const live = new Set(sandboxes.filter((s) => !s.metadata.deletionTimestamp).map((s) => s.metadata.name));
  const creationsInFlight = (options.expectations?.pendingCreations ?? []).filter((n) => !listed.has(n)).length;
  const deletionsInFlight = (options.expectations?.pendingDeletions ?? []).filter((n) => live.has(n)).length;
  const settled = creationsInFlight === 0 && deletionsInFlight === 0;

  const groups: Record<SandboxState, Sandbox[]> = { creating: [], available: [], running: [], paused: [], dead: [] };
  for (const sandbox of sandboxes) {
    if (isPoolMember(set, sandbox)) groups[getSandboxState(sandbox, now)].push(sandbox);
  }
  const { creating, available, dead } = groups;
  const isUpdated = (s: Sandbox) => s.metadata.labels?.[Labels.TemplateHash] === revision;
  const updatedCreating = creating.filter(isUpdated);
  const updatedAvailable = available.filter(isUpdated);

  const desired = set.spec.replicas;
  const replicas = creating.length + available.length + creationsInFlight;
  const status: SandboxSetStatus = {
    ...set.status,
    observedGeneration: set.metadata.generation,
    replicas,
    availableReplicas: available.length,
    updatedReplicas: updatedCreating.length + updatedAvailable.length,
    updatedAvailableReplicas: updatedAvailable.length,
    updateRevision: revision,
    currentRevision: set.spec.templateRef?.name ?? revision,
    selector: sandboxSetSelector(set.metadata.name ?? ''),
  };

  const plan: SandboxSetPlan = {
    status,
    create: 0,
    deleteDead: dead.filter((s) => !s.metadata.deletionTimestamp),
    scaleDown: [],
    rollingUpdate: [],
  };
  if (!settled) plan.requeueAfterMs = options.expectations?.requeueAfterMs;
  else if (options.expectations?.timedOut) plan.requeueAfterMs = options.expectations.requeueAfterMs;

  const delta = desired - replicas;
  if (set.metadata.deletionTimestamp) {
    // Going away: garbage collection removes the members; only the dead ones are cleaned up meanwhile.
  } else if (delta > 0) {
    let create = delta;
    const limit = set.spec.scaleStrategy?.maxUnavailable;
    if (limit !== undefined) {
      const cap = Math.max(scaledValue(limit, desired, true) - (replicas - available.length), 0);
      create = Math.min(create, cap);
    }
    plan.create = create;
  } else if (delta < 0 && settled) {
    plan.scaleDown = scaleDownOrder([...creating, ...available], isUpdated)
      .slice(0, -delta)
      .filter(isLockableForDelete);
  } else if (delta === 0 && settled) {
    const oldCreating = creating.filter((s) => !isUpdated(s));
    const oldAvailable = byAge(available.filter((s) => !isUpdated(s)));
    const budget = scaledValue(
      set.spec.updateStrategy?.maxUnavailable ?? DEFAULT_UPDATE_MAX_UNAVAILABLE,
      desired,
      true,
    );
    const allowed = Math.max(budget - updatedCreating.length, 0);
    plan.rollingUpdate = [...byAge(oldCreating), ...oldAvailable.slice(0, allowed)].filter(isLockableForDelete);
  }
  return plan;
}

/**
 * The order in which members are removed when the pool shrinks: old revision first, then Pending, then recycled (most
 * recycled first), then running but not ready, then available; older first within a tier (name breaks ties).
 */
export function scaleDownOrder(candidates: readonly Sandbox[], isUpdated: (s: Sandbox) => boolean): Sandbox[] {
  const tier = (s: Sandbox): number => {
    if ((s.status?.phase ?? 'Pending') === 'Pending') return 0;
    if ((s.status?.recycledCount ?? 0) > 0) return 1;
    if (!isConditionTrue(s.status?.conditions, SandboxConditions.Ready)) return 2;
    return 3;
  };
  return [...candidates].sort(
    (a, b) =>
      Number(isUpdated(a)) - Number(isUpdated(b)) ||
      tier(a) - tier(b) ||
      (b.status?.recycledCount ?? 0) - (a.status?.recycledCount ?? 0) ||
      compareAge(a, b),
  );
}

function byAge(list: readonly Sandbox[]): Sandbox[] {
  return [...list].sort(compareAge);
}

function compareAge(a: Sandbox, b: Sandbox): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? Number.POSITIVE_INFINITY;
  const tb = parseTime(b.metadata.creationTimestamp) ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
