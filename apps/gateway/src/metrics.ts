/** Prometheus metrics on GET /metrics. A registry per gateway: tests and the benchmark run several in one process. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'e2b_gateway_requests_total',
    help: 'Control-plane requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'e2b_gateway_request_duration_seconds',
    help: 'Control-plane request latency by route',
    labelNames: ['route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly claims = new Counter({
    name: 'sandbox_claim_total',
    help: 'Claims by namespace and result',
    labelNames: ['namespace', 'result'] as const,
    registers: [this.registry],
  });
  readonly claimSeconds = new Histogram({
    name: 'sandbox_claim_duration_seconds',
    help: 'Time from a create request to the claimed, initialised sandbox',
    labelNames: ['namespace'] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly claimAttempts = new Counter({
    name: 'sandbox_claim_attempts_total',
    help: 'Lock writes and creates by outcome (conflict = another claimer won the sandbox)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly proxied = new Counter({
    name: 'e2b_gateway_proxy_requests_total',
    help: 'Data-plane requests by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
