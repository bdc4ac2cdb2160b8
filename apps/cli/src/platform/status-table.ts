/** The at-a-glance view of `kruise-agents status`: pools with their stock, claims, and sandboxes counted by state. */
import { SANDBOX_STATES, getSandboxState, sandboxSetOwner, type SandboxState } from '@kruise-agents/api';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export async function statusLines(kube: KubeClient, now = Date.now()): Promise<string[]> {
  const [sets, claims, sandboxes] = await Promise.all([
    kube.resource(Resources.SandboxSet).list(),
    kube.resource(Resources.SandboxClaim).list(),
    kube.resource(Resources.Sandbox).list(),
  ]);
  const lines: string[] = [];
  const poolRows = [['POOL', 'NAMESPACE', 'AVAILABLE', 'DESIRED', 'IN POOL']];
  for (const set of sets.items) {
    poolRows.push([
      set.metadata.name ?? '',
      set.metadata.namespace ?? '',
      String(set.status?.availableReplicas ?? 0),
      String(set.spec.replicas),
      String(set.status?.replicas ?? 0),
    ]);
  }
  lines.push(...(sets.items.length ? table(poolRows) : ['no pools (SandboxSets)']), '');

  const claimRows = [['CLAIM', 'NAMESPACE', 'PHASE', 'TEMPLATE', 'DESIRED', 'CLAIMED']];
  for (const claim of claims.items) {
    claimRows.push([
      claim.metadata.name ?? '',
      claim.metadata.namespace ?? '',
      claim.status?.phase ?? '',
      claim.spec.templateName,
      String(claim.spec.replicas ?? 1),
      String(claim.status?.claimedReplicas ?? 0),
    ]);
  }
  lines.push(...(claims.items.length ? table(claimRows) : ['no claims (SandboxClaims)']), '');

  const counts = Object.fromEntries(SANDBOX_STATES.map((s) => [s, 0])) as Record<SandboxState, number>;
  let claimed = 0;
  for (const sbx of sandboxes.items) {
    counts[getSandboxState(sbx, now)]++;
    if (!sandboxSetOwner(sbx)) claimed++;
  }
  const byState = SANDBOX_STATES.map((s) => `${s} ${counts[s]}`).join(', ');
  lines.push(`sandboxes: ${sandboxes.items.length} (${byState}; ${claimed} handed out)`);
  return lines;
}
