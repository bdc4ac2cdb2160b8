/**
 * What `up` prints while it starts: one line per part (starting → ready, with how long it took), then the pools
 * filling up, and, when a pool does not fill, why (the messages of its sandboxes that are not ready).
 */
import { getSandboxState, sandboxSetOwner } from '@kruise-agents/api';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import { POOL_NAMESPACE, poolStock, type PoolStock } from './default-pools';
import type { ProgressEvent } from './start-platform';

export type Print = (line: string) => void;

export function progressPrinter(print: Print): (event: ProgressEvent) => void {
  return (event) => {
    const label = event.part.padEnd(11);
    if (event.phase === 'starting') print(`  ${label} starting…`);
    else print(`  ${label} ready in ${event.ms} ms${event.detail ? ` — ${event.detail}` : ''}`);
  };
}

const describeStock = (stock: PoolStock[]) => stock.map((p) => `${p.name} ${p.available}/${p.desired}`).join(', ');

/**
 * Resolves once every default pool has its desired number of available sandboxes, printing each change. Rejects
 * with the reasons after `timeoutMs`; resolves early (false) when the signal aborts.
 */
export async function waitForPools(
  kube: KubeClient,
  print: Print,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const began = performance.now();
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last = '';
  for (;;) {
    if (options.signal?.aborted) return false;
    const stock = await poolStock(kube);
    const line = describeStock(stock);
    if (line !== last) {
      print(`  ${'pools'.padEnd(11)} ${line}`);
      last = line;
    }
    if (stock.every((p) => p.available >= p.desired)) {
      print(`  ${'pools'.padEnd(11)} filled in ${((performance.now() - began) / 1000).toFixed(1)} s`);
      return true;
    }
    if (Date.now() > deadline) throw new Error(`the pools did not fill up (${line}): ${await whyNotReady(kube)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The status messages of pool sandboxes that are not available, to say why a pool does not fill. */
export async function whyNotReady(kube: KubeClient): Promise<string> {
  const sandboxes = (await kube.resource(Resources.Sandbox).list(POOL_NAMESPACE)).items;
  const reasons = new Set<string>();
  for (const sbx of sandboxes) {
    if (!sandboxSetOwner(sbx) || getSandboxState(sbx) === 'available') continue;
    const failing = sbx.status?.conditions?.find((c) => c.status !== 'True' && (c.message || c.reason));
    const why = sbx.status?.message ?? failing?.message ?? failing?.reason ?? sbx.status?.phase ?? 'no status yet';
    reasons.add(`${sbx.metadata.name}: ${why}`);
    if (reasons.size >= 3) break;
  }
  return reasons.size ? [...reasons].join('; ') : 'no sandbox reports a problem yet';
}
