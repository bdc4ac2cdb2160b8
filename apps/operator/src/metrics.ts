/**
 * Prometheus metrics (prom-client), one registry per operator so several operators in one process (tests) never
 * share counters: reconciles by controller and outcome, reconcile latency, queue depth, pool sizes by state, claim
 * latency (creation of a SandboxClaim to its completion) and per-sandbox lock write latency.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolSizes {
  namespace: string;
  pool: string;
  available: number;
  creating: number;
  desired: number;
}

export interface OperatorMetricsSources {
  queueDepth(): Record<string, number>;
  poolSizes(): PoolSizes[];
  cachedObjects(): Record<string, number>;
}

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles: Counter<'controller' | 'outcome'>;
  readonly reconcileSeconds: Histogram<'controller'>;
  readonly claimSeconds: Histogram<'outcome'>;
  readonly lockSeconds: Histogram<'outcome'>;
  private sources?: OperatorMetricsSources;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.reconciles = new Counter({
      name: 'kruise_agents_reconcile_total',
      help: 'Reconciles by controller and outcome (success, requeue, error, terminal).',
      labelNames: ['controller', 'outcome'],
      registers,
    });
    this.reconcileSeconds = new Histogram({
      name: 'kruise_agents_reconcile_duration_seconds',
      help: 'How long one reconcile took.',
      labelNames: ['controller'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.claimSeconds = new Histogram({
      name: 'kruise_agents_claim_duration_seconds',
      help: 'From a SandboxClaim’s creation to its completion, by outcome (AllClaimed, ClaimTimeout, …).',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.lockSeconds = new Histogram({
      name: 'kruise_agents_claim_lock_duration_seconds',
      help: 'One claim lock (or claimed create) write, by outcome (claimed, created, conflict, error).',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'kruise_agents_workqueue_depth',
      help: 'Keys waiting in each controller’s work queue.',
      labelNames: ['controller'],
      registers,
      collect() {
        this.reset();
        for (const [controller, value] of Object.entries(sources()?.queueDepth() ?? {}))
          this.set({ controller }, value);
      },
    });
    new Gauge({
      name: 'kruise_agents_pool_sandboxes',
      help: 'Unused sandboxes of each SandboxSet by state (available, creating) and the desired count.',
      labelNames: ['namespace', 'pool', 'state'],
      registers,
      collect() {
        this.reset();
        for (const p of sources()?.poolSizes() ?? []) {
          this.set({ namespace: p.namespace, pool: p.pool, state: 'available' }, p.available);
          this.set({ namespace: p.namespace, pool: p.pool, state: 'creating' }, p.creating);
          this.set({ namespace: p.namespace, pool: p.pool, state: 'desired' }, p.desired);
        }
      },
    });
    new Gauge({
      name: 'kruise_agents_cached_objects',
      help: 'Objects in the informer caches by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, value] of Object.entries(sources()?.cachedObjects() ?? {})) this.set({ kind }, value);
      },
    });
  }

  /** Where the gauges read from, once the caches and queues exist. */
  attach(sources: OperatorMetricsSources): void {
    this.sources = sources;
  }

  /** A runController onResult hook for `controller`. */
  reconcileHook(controller: string) {
    return (_key: string, outcome: string, durationMs: number) => {
      this.reconciles.inc({ controller, outcome });
      this.reconcileSeconds.observe({ controller }, durationMs / 1000);
    };
  }
}
