/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: the holder renews the lease every
 * retry period; others take it over once it has not been renewed for the lease duration. Every write carries the
 * lease's resourceVersion, so two candidates can never both win the same term.
 */
import { isAlreadyExists, isConflict, isNotFound } from './errors';
import type { Lease } from './objects';
import type { ResourceClient } from './resource-client';
import { abortableSleep } from './informer';

export interface LeaderElectionOptions {
  client: ResourceClient<Lease>;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  now?: () => number;
}

export interface LeaderCallbacks {
  /** Called when this process becomes leader; `signal` aborts when leadership is lost. */
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading?(): void;
  onNewLeader?(identity: string): void;
}

const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;
  private observedHolder = '';
  private leading = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns until it leads, leads until it loses the lease or the signal aborts, then releases it. */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(callbacks)) break;
      await abortableSleep(this.retryPeriodMs, signal).catch(() => undefined);
    }
    if (signal.aborted) return;
    this.leading = true;
    const term = new AbortController();
    callbacks.onStartedLeading(term.signal);
    let lastRenew = this.now();
    while (!signal.aborted) {
      await abortableSleep(this.retryPeriodMs, signal).catch(() => undefined);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew(callbacks).catch(() => false)) lastRenew = this.now();
      else if (this.now() - lastRenew > this.renewDeadlineMs) break;
    }
    this.leading = false;
    term.abort(new Error('leadership lost'));
    callbacks.onStoppedLeading?.();
    if (signal.aborted) await this.release().catch(() => undefined);
  }

  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<boolean> {
    const { client, namespace, name, identity } = this.options;
    const now = this.now();
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      renewTime: micro(now),
    };
    const current = await client.find(namespace, name);
    try {
      if (!current) {
        await client.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { namespace, name },
          spec: { ...spec, acquireTime: micro(now), leaseTransitions: 0 },
        });
        this.observe(identity, callbacks);
        return true;
      }
      const holder = current.spec.holderIdentity ?? '';
      this.observe(holder, callbacks);
      const renewed = current.spec.renewTime ? Date.parse(current.spec.renewTime) : 0;
      const expired = renewed + (current.spec.leaseDurationSeconds ?? 0) * 1000 < now;
      if (holder !== '' && holder !== identity && !expired) return false;
      const takeover = holder !== identity;
      await client.update({
        ...current,
        spec: {
          ...current.spec,
          ...spec,
          ...(takeover ? { acquireTime: micro(now), leaseTransitions: (current.spec.leaseTransitions ?? 0) + 1 } : {}),
        },
      });
      this.observe(identity, callbacks);
      return true;
    } catch (error) {
      if (isConflict(error) || isAlreadyExists(error) || isNotFound(error)) return false; // someone else wrote first
      throw error;
    }
  }

  private observe(holder: string, callbacks: LeaderCallbacks): void {
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder) callbacks.onNewLeader?.(holder);
    }
  }

  /** Gives the lease up on a clean shutdown, so a successor need not wait for it to expire. */
  private async release(): Promise<void> {
    const { client, namespace, name, identity } = this.options;
    const current = await client.find(namespace, name);
    if (!current || current.spec.holderIdentity !== identity) return;
    await client.update({ ...current, spec: { ...current.spec, holderIdentity: '', renewTime: micro(this.now()) } });
  }
}
