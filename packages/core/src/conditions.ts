import type { Condition } from '@kruise-agents/api';
import { formatTime, type Instant } from './time';

/** A condition to set; lastTransitionTime defaults to now when the status changes. */
export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string };

/**
 * Upserts a condition by type and returns a new list. As in Kubernetes, lastTransitionTime changes only when the
 * status changes; reason and message always follow the update.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  now: Instant,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime =
    previous && previous.status === update.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : (update.lastTransitionTime ?? formatTime(now));
  const next: Condition = dropUndefined({ ...update, lastTransitionTime });
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

/** Returns a list without the condition of that type. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
