/**
 * Status writes as JSON merge patches of the whole status: keys the new status dropped are sent as null, so a
 * removed field (a cleared message, pausedAt) really goes away. A patch is only sent when something changed.
 */
import { canonicalJson } from '@kruise-agents/core';

export function statusChanged(before: unknown, after: unknown): boolean {
  return canonicalJson(before ?? {}) !== canonicalJson(after ?? {});
}

/** `{ status: after }` with null for every top-level key of `before` that `after` lacks. */
export function statusMergePatch(before: object | undefined, after: object): { status: Record<string, unknown> } {
  const status: Record<string, unknown> = { ...after };
  for (const key of Object.keys(before ?? {})) if (!(key in after)) status[key] = null;
  return { status };
}

/** Numeric resourceVersion comparison (etcd revisions and kube-lite's are integers); unknown order counts as newer. */
export function isNewerVersion(candidate: string | undefined, than: string | undefined): boolean {
  if (!candidate || !than) return false;
  const a = Number(candidate);
  const b = Number(than);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return a > b;
}
