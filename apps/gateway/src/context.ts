/** What every handler works with: built once by create-gateway.ts, passed to createApp() and the routes. */
import type { RuntimeClient, SandboxCache, SandboxClaimer, SandboxObject } from '@kruise-agents/core/client';
import type { E2bView } from '@kruise-agents/e2b';
import type { KubeClient, ResourceClient } from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import type { KeyStore } from './auth/key-store';
import type { GatewayMetrics } from './metrics';
import type { SandboxRegistry } from './sandbox-registry';

export interface GatewaySettings {
  /** Returned as `domain` in create/connect answers; null lets the SDK use its own (E2B_DOMAIN/E2B_SANDBOX_URL). */
  domain: string | null;
  envdVersion: string;
  /** How long a create waits for the pool to be replenished when it is empty. */
  claimTimeoutMs: number;
  /** How long a created, resumed or in-place-updated sandbox may take to get ready. */
  waitReadyTimeoutMs: number;
  /** Create on no stock when neither the request nor the SandboxSet says. */
  createOnNoStock: boolean;
  maxTimeoutSeconds: number;
}

export interface GatewayContext {
  kube: KubeClient;
  sandboxes: ResourceClient<SandboxObject>;
  cache: SandboxCache;
  registry: SandboxRegistry;
  claimer: SandboxClaimer;
  runtime: RuntimeClient;
  keys: KeyStore;
  metrics: GatewayMetrics;
  settings: GatewaySettings;
  log: Logger;
  now: () => number;
  random: () => number;
}

export function viewOf(ctx: GatewayContext): E2bView {
  return { now: ctx.now(), domain: ctx.settings.domain, envdVersion: ctx.settings.envdVersion };
}
