/**
 * Sandboxes by E2B ID, from the shared Sandbox informer: the lookups of every control-plane handler and the routes of
 * the data-plane proxy. Nothing here calls the API server; writers wait for the cache to show their write
 * (awaitVersion), so a client reads its own writes through any later request.
 */
import { Labels } from '@kruise-agents/api';
import type { SandboxCache, SandboxObject } from '@kruise-agents/core/client';
import {
  e2bStateOf,
  isValidSandboxId,
  runtimeAddressOf,
  sandboxIdOf,
  type E2bState,
  type RuntimeAddress,
} from '@kruise-agents/e2b';
import type { Principal } from './auth/key-store';

export interface VisibleSandbox {
  sandbox: SandboxObject;
  state: E2bState;
}

export type RouteLookup =
  | { ok: true; sandbox: SandboxObject; address: RuntimeAddress }
  | { ok: false; reason: 'unknown' | 'paused' | 'not-running' | 'no-address' };

const keyOf = (s: Pick<SandboxObject, 'metadata'>) => `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`;

/** resourceVersions are opaque, but kube-lite and etcd both hand out increasing integers; compare those. */
function atLeast(current: string | undefined, wanted: string): boolean {
  if (current === undefined) return false;
  if (current === wanted) return true;
  return /^\d+$/.test(current) && /^\d+$/.test(wanted) && BigInt(current) >= BigInt(wanted);
}

export class SandboxRegistry {
  private readonly byId = new Map<string, string>();
  private readonly idOfKey = new Map<string, string>();
  /** IDs whose sandbox this cache saw deleted (id → when): asking for them again need not wait for a create. */
  private readonly deleted = new Map<string, number>();

  constructor(
    private readonly cache: SandboxCache,
    private readonly now: () => number = Date.now,
  ) {
    cache.sandboxes.on({
      add: (s) => this.index(s),
      update: (_old, s) => this.index(s),
      delete: (s) => this.unindex(s),
    });
  }

  private index(sandbox: SandboxObject): void {
    const key = keyOf(sandbox);
    const id = sandboxIdOf(sandbox);
    const previous = this.idOfKey.get(key);
    if (previous !== undefined && previous !== id && this.byId.get(previous) === key) this.byId.delete(previous);
    this.idOfKey.set(key, id);
    this.byId.set(id, key);
  }

  private unindex(sandbox: SandboxObject): void {
    const key = keyOf(sandbox);
    const id = this.idOfKey.get(key);
    this.idOfKey.delete(key);
    if (id !== undefined && this.byId.get(id) === key) {
      this.byId.delete(id);
      const now = this.now();
      this.deleted.set(id, now);
      // Remembered for ten minutes, pruned as new deletions come in.
      for (const [old, at] of this.deleted) {
        if (now - at < 600_000) break;
        this.deleted.delete(old);
      }
    }
  }

  /** True when waiting for `id` to appear makes sense: a well-formed ID this cache has not seen deleted. */
  mayAppear(id: string): boolean {
    return isValidSandboxId(id) && !this.deleted.has(id);
  }

  /** The cached sandbox with this E2B ID, whatever its state. */
  byE2bId(id: string): SandboxObject | undefined {
    const key = this.byId.get(id);
    if (!key) return undefined;
    const at = key.indexOf('/');
    return this.cache.sandboxes.get(key.slice(0, at), key.slice(at + 1));
  }

  /** The sandbox as the E2B API shows it to `principal`: claimed, running or paused, in the key's team. */
  visible(id: string, principal: Principal): VisibleSandbox | undefined {
    const sandbox = this.byE2bId(id.toLowerCase()) ?? this.byE2bId(id);
    if (!sandbox || !inTeam(sandbox, principal)) return undefined;
    const state = e2bStateOf(sandbox, this.now());
    return state ? { sandbox, state } : undefined;
  }

  /**
   * visible(), waiting up to `waitMs` for an ID the cache does not know yet: the watch event of a create this or
   * another replica just answered may still be in flight.
   */
  async find(id: string, principal: Principal, waitMs = 1000): Promise<VisibleSandbox | undefined> {
    const key = id.toLowerCase();
    if (!this.byE2bId(key) && waitMs > 0) await this.awaitId(key, waitMs);
    return this.visible(key, principal);
  }

  /** Every sandbox the E2B API shows to `principal`. */
  listVisible(principal: Principal): VisibleSandbox[] {
    const out: VisibleSandbox[] = [];
    const now = this.now();
    for (const sandbox of this.cache.sandboxes.list(principal.team)) {
      if (sandbox.metadata.labels?.[Labels.SandboxClaimed] !== 'true') continue;
      const state = e2bStateOf(sandbox, now);
      if (state) out.push({ sandbox, state });
    }
    return out;
  }

  /** Where the proxy sends a request for sandbox `id`: only to a running sandbox with an address. */
  route(id: string): RouteLookup {
    const sandbox = this.byE2bId(id);
    if (!sandbox) return { ok: false, reason: 'unknown' };
    const state = e2bStateOf(sandbox, this.now());
    if (state === 'paused') return { ok: false, reason: 'paused' };
    if (state !== 'running' || sandbox.spec.paused) return { ok: false, reason: 'not-running' };
    const address = runtimeAddressOf(sandbox);
    return address ? { ok: true, sandbox, address } : { ok: false, reason: 'no-address' };
  }

  /** Resolves once the cache holds this object at `resourceVersion` or newer (or `timeoutMs` passed). */
  async awaitVersion(namespace: string, name: string, resourceVersion: string | undefined, timeoutMs = 2000) {
    if (!resourceVersion) return;
    const deadline = this.now() + timeoutMs;
    while (!atLeast(this.cache.sandboxes.get(namespace, name)?.metadata.resourceVersion, resourceVersion)) {
      const left = deadline - this.now();
      if (left <= 0) return;
      await this.cache.changes.next(left);
    }
  }

  /** Resolves once the cache shows the object deleted or being deleted (or `timeoutMs` passed). */
  async awaitGone(namespace: string, name: string, timeoutMs = 2000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const cached = this.cache.sandboxes.get(namespace, name);
      if (!cached || cached.metadata.deletionTimestamp) return;
      const left = deadline - this.now();
      if (left <= 0) return;
      await this.cache.changes.next(left);
    }
  }

  /** Waits up to `timeoutMs` for `id` to appear in the cache (a create whose watch event is still in flight). */
  async awaitId(id: string, timeoutMs: number): Promise<void> {
    if (!this.mayAppear(id)) return;
    const deadline = this.now() + timeoutMs;
    while (!this.byE2bId(id)) {
      const left = deadline - this.now();
      if (left <= 0) return;
      await this.cache.changes.next(left);
    }
  }
}

export function inTeam(object: { metadata: { namespace?: string } }, principal: Principal): boolean {
  return principal.team === undefined || object.metadata.namespace === principal.team;
}
