/**
 * Assembles the operator: one KubeClient, the shared informer cache, the claim executor, the client of the sandboxes'
 * agent-runtimes, three controllers on rate-limited work queues, optional Lease leader election, and the
 * health/metrics server. main.ts wires config into it; tests start the very same graph in-process.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { RuntimeClient, createSandboxClaimer, type RuntimeClientOptions } from '@kruise-agents/core/client';
import {
  KubeClient,
  LeaderElector,
  Resources,
  WorkQueue,
  runController,
  type EventBroadcaster,
  type KubeConfigSource,
  type Reconcile,
} from '@kruise-agents/kube-runtime';
import { pino, type Logger } from 'pino';
import { createOperatorCache, type OperatorCache } from './cache';
import { createSandboxClaimReconciler } from './controllers/sandboxclaim/reconciler';
import { watchSandboxClaims } from './controllers/sandboxclaim/watches';
import { createSandboxReconciler } from './controllers/sandbox/reconciler';
import { watchSandboxes } from './controllers/sandbox/watches';
import { createSandboxSetReconciler } from './controllers/sandboxset/reconciler';
import { watchSandboxSets } from './controllers/sandboxset/watches';
import { createOperatorEvents, watchTransitions } from './events/recorders';
import { startHealthServer, type HealthServer } from './health-server';
import { OperatorMetrics } from './metrics';
import { createRuntimeInitializer } from './runtime/initializer';

/** The reference controller's /init: 1 s per attempt, 5 attempts, 200 ms backoff doubling up to 10 s. */
export const RUNTIME_CLIENT_DEFAULTS: RuntimeClientOptions = {
  attemptTimeoutMs: 1000,
  attempts: 5,
  backoff: { initialMs: 200, maxMs: 10_000 },
};

export interface StartOperatorOptions extends KubeConfigSource {
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  /** A pino logger; silent when omitted. */
  logger?: Logger;
  /** Serve /healthz, /readyz and /metrics (port 0 picks one); no server when omitted. */
  health?: { host?: string; port: number };
  /** Run the controllers only while holding this Lease; always run them when omitted. */
  leaderElection?: {
    namespace: string;
    name?: string;
    identity?: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  workers?: { sandbox?: number; sandboxSet?: number; sandboxClaim?: number };
  /** Process metrics (CPU, memory, event loop) in /metrics; on in main. */
  defaultMetrics?: boolean;
  /** How the sandboxes' runtimes are called (/init, mounts); RUNTIME_CLIENT_DEFAULTS when omitted. */
  runtimeClient?: RuntimeClientOptions;
  /**
   * No Events from the SandboxClaim controller (the reference's --disable-claim-events): for claim rates where even
   * background Event writes compete with the claims' own writes.
   */
  disableClaimEvents?: boolean;
  now?: () => number;
}

export interface Operator {
  /** The health/metrics server's base URL, when one was asked for. */
  readonly healthUrl: string | undefined;
  readonly metrics: OperatorMetrics;
  readonly cache: OperatorCache;
  /** The Event writer: stats(), flush() for tests. */
  readonly events: EventBroadcaster;
  /** True while this replica runs the controllers. */
  isLeader(): boolean;
  /** Stops the controllers (in-flight reconciles finish), the informers and the server; releases the Lease. */
  close(): Promise<void>;
}

const CONTROLLERS = ['sandbox', 'sandboxset', 'sandboxclaim'] as const;
type ControllerName = (typeof CONTROLLERS)[number];

export async function startOperator(options: StartOperatorOptions = {}): Promise<Operator> {
  const log = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? Date.now;
  const kube = KubeClient.fromSource(options, 'kruise-agents-operator');
  const abort = new AbortController();
  const metrics = new OperatorMetrics({ defaultMetrics: options.defaultMetrics });
  const cache = createOperatorCache({
    kube,
    namespace: options.namespace,
    now,
    onError: (kind, err) => log.warn({ kind, err }, 'informer error; retrying'),
  });
  const queues = new Map<ControllerName, WorkQueue<string>>();
  metrics.attach({
    queueDepth: () => Object.fromEntries([...queues].map(([name, q]) => [name, q.length])),
    poolSizes: () =>
      cache.sets.list().map((s) => ({
        namespace: s.metadata.namespace ?? '',
        pool: s.metadata.name ?? '',
        available: s.status?.availableReplicas ?? 0,
        creating: Math.max(0, (s.status?.replicas ?? 0) - (s.status?.availableReplicas ?? 0)),
        desired: s.spec.replicas,
      })),
    cachedObjects: () => ({
      Sandbox: cache.sandboxes.store.size,
      SandboxSet: cache.sets.store.size,
      SandboxClaim: cache.claims.store.size,
      Pod: cache.pods.store.size,
    }),
  });

  let health: HealthServer | undefined;
  let leading = false;
  const tasks: Promise<unknown>[] = [];
  try {
    cache.start(abort.signal);
    if (options.health) {
      health = await startHealthServer({
        host: options.health.host ?? '127.0.0.1',
        port: options.health.port,
        registry: metrics.registry,
        ready: () => cache.synced,
      });
    }
    await cache.waitForSync(abort.signal);
  } catch (error) {
    abort.abort();
    await health?.close();
    kube.close();
    throw error;
  }
  log.info({ namespace: options.namespace ?? '(all)' }, 'caches synced');

  const claimer = createSandboxClaimer({
    kube,
    cache,
    now,
    onAttempt: (outcome, ms) => {
      if (outcome !== 'no-stock') metrics.lockSeconds.observe({ outcome }, ms / 1000);
    },
  });

  const runtime = new RuntimeClient({ ...RUNTIME_CLIENT_DEFAULTS, ...options.runtimeClient });
  const initializer = createRuntimeInitializer({ kube, runtime });
  const identity = options.leaderElection?.identity ?? `${os.hostname()}-${randomUUID().slice(0, 8)}`;
  const events = createOperatorEvents({
    kube,
    instance: identity,
    log: log.child({ component: 'events' }),
    disableClaimEvents: options.disableClaimEvents,
    now,
  });
  const { recorders } = events;

  /** Runs the three controllers until `signal` aborts (leadership lost or shutdown). */
  const runControllers = async (signal: AbortSignal) => {
    const waiting = new Map<string, Set<string>>();
    const deps = { kube, cache, now, log };
    const reconcilers: Record<ControllerName, Reconcile> = {
      sandbox: createSandboxReconciler({
        ...deps,
        log: log.child({ controller: 'sandbox' }),
        initializer,
        recorder: recorders.sandbox,
      }),
      sandboxset: createSandboxSetReconciler({
        ...deps,
        log: log.child({ controller: 'sandboxset' }),
        recorder: recorders.sandboxSet,
      }),
      sandboxclaim: createSandboxClaimReconciler({
        ...deps,
        log: log.child({ controller: 'sandboxclaim' }),
        claimer,
        initializer,
        metrics,
        waiting,
        recorder: recorders.sandboxClaim,
      }),
    };
    const workers: Record<ControllerName, number> = {
      sandbox: options.workers?.sandbox ?? 64,
      sandboxset: options.workers?.sandboxSet ?? 3,
      sandboxclaim: options.workers?.sandboxClaim ?? 64,
    };
    for (const name of CONTROLLERS) queues.set(name, new WorkQueue<string>({ baseDelayMs: 5, maxDelayMs: 30_000 }));
    const detach = [
      ...watchSandboxes(cache, queues.get('sandbox')!),
      ...watchSandboxSets(cache, queues.get('sandboxset')!, now),
      ...watchSandboxClaims(cache, queues.get('sandboxclaim')!, waiting, now),
      ...watchTransitions(cache, recorders),
    ];
    try {
      await Promise.all(
        CONTROLLERS.map((name) =>
          runController({
            name,
            queue: queues.get(name)!,
            reconcile: reconcilers[name],
            workers: workers[name],
            signal,
            onResult: (key, outcome, durationMs, error) => {
              metrics.reconcileHook(name)(key, outcome, durationMs);
              if (outcome === 'error' || outcome === 'terminal') {
                log.warn({ controller: name, key, err: error }, 'reconcile failed');
              }
            },
          }),
        ),
      );
    } finally {
      for (const off of detach) off();
    }
  };

  if (options.leaderElection) {
    const election = options.leaderElection;
    const elector = new LeaderElector({
      client: kube.resource(Resources.Lease),
      namespace: election.namespace,
      name: election.name ?? 'kruise-agents-operator',
      identity,
      leaseDurationMs: election.leaseDurationMs,
      renewDeadlineMs: election.renewDeadlineMs,
      retryPeriodMs: election.retryPeriodMs,
    });
    tasks.push(
      elector.run(abort.signal, {
        onStartedLeading: (signal) => {
          leading = true;
          log.info('leading: controllers started');
          tasks.push(
            runControllers(signal).finally(() => {
              leading = false;
            }),
          );
        },
        onStoppedLeading: () => log.info('no longer leading: controllers stopped'),
        onNewLeader: (identity) => log.info({ leader: identity }, 'leader observed'),
      }),
    );
  } else {
    leading = true;
    tasks.push(runControllers(abort.signal));
  }

  let closing: Promise<void> | undefined;
  return {
    get healthUrl() {
      return health?.url;
    },
    metrics,
    cache,
    events: events.broadcaster,
    isLeader: () => leading,
    close() {
      closing ??= (async () => {
        abort.abort();
        // Leader election may start the controllers late; wait for every task, including those it added.
        for (let seen = 0; seen < tasks.length;) {
          const batch = tasks.slice(seen);
          seen = tasks.length;
          await Promise.allSettled(batch);
        }
        await Promise.all([cache.sandboxes, cache.sets, cache.claims, cache.pods].map((i) => i.stopped()));
        // What the last reconciles recorded is written (briefly waited for) before the connection goes.
        await events.broadcaster.close();
        await health?.close();
        runtime.close();
        kube.close();
      })();
      return closing;
    },
  };
}
