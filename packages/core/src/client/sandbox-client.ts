/**
 * A typed client for programs that use the CRDs directly: claim sandboxes from a warm pool, release them, read and
 * watch them. It keeps its own informer cache, so a claim costs one write per sandbox and no list.
 *
 *   const client = await connectSandboxClient({ kubeconfigYaml, namespace: 'default' });
 *   const [sandbox] = await client.claim({ namespace: 'default', template: 'python', timeoutMs: 10_000 });
 *   await client.release(sandbox);
 *   await client.close();
 */
import { randomUUID } from 'node:crypto';
import { Labels, type Sandbox } from '@kruise-agents/api';
import { KubeClient, Resources, type KubeConfigSource, type WatchEvent } from '@kruise-agents/kube-runtime';
import type { ClaimRequest } from '../allocation/claim-lock';
import { createSandboxClaimer, type ClaimAttemptOutcome, type SandboxClaimer } from './claimer';
import { createSandboxCache, type SandboxObject } from './sandbox-cache';

export interface SandboxClientOptions extends KubeConfigSource {
  /** Cache (and claim in) one namespace; all namespaces when omitted. */
  namespace?: string;
  /** Written as the owner annotation of what this client claims; a fresh id per claim() when omitted. */
  ownerId?: string;
  onError?: (error: unknown) => void;
  onAttempt?: (outcome: ClaimAttemptOutcome, durationMs: number) => void;
}

export interface ClaimOptions {
  namespace: string;
  /** The SandboxSet to claim from. */
  template: string;
  /** How many sandboxes (default 1). */
  replicas?: number;
  /** How long to wait for stock (default 60 s); ClaimError Timeout after it, with what was claimed. */
  timeoutMs?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** When the claimed sandboxes are deleted (Date or RFC 3339). */
  shutdownTime?: Date | string;
  /** Replace the first container's image in place; the claim waits until the new image runs. */
  image?: string;
  /** With no stock, create sandboxes directly instead of waiting (default false). */
  createOnNoStock?: boolean;
  waitReadyTimeoutMs?: number;
  envVars?: Record<string, string>;
  /** Owner annotation; the client's ownerId, else a fresh id. */
  ownerId?: string;
  signal?: AbortSignal;
}

export interface ListSandboxesOptions {
  /** Only sandboxes claimed from this SandboxSet... */
  template?: string;
  /** ...or labelled with this claim name. */
  claimName?: string;
  labelSelector?: string;
}

export interface SandboxClient {
  claim(options: ClaimOptions): Promise<Sandbox[]>;
  /** Deletes a claimed sandbox; false when it was already gone. */
  release(sandbox: Sandbox | { namespace: string; name: string }): Promise<boolean>;
  get(namespace: string, name: string): Promise<Sandbox | undefined>;
  list(namespace: string, options?: ListSandboxesOptions): Promise<Sandbox[]>;
  watch(
    namespace: string,
    options?: { labelSelector?: string; signal?: AbortSignal },
  ): AsyncIterable<WatchEvent<Sandbox>>;
  /** The claim executor over this client's cache, for callers that drive claims themselves. */
  readonly claimer: SandboxClaimer;
  close(): Promise<void>;
}

export async function connectSandboxClient(options: SandboxClientOptions = {}): Promise<SandboxClient> {
  const kube = KubeClient.fromSource(options);
  const cache = createSandboxCache({ kube, namespace: options.namespace, onError: options.onError });
  const abort = new AbortController();
  try {
    await cache.start(abort.signal);
  } catch (error) {
    abort.abort();
    kube.close();
    throw error;
  }
  const claimer = createSandboxClaimer({ kube, cache, onAttempt: options.onAttempt });
  const sandboxes = kube.resource(Resources.Sandbox);

  return {
    claimer,
    async claim(claim) {
      const request: ClaimRequest = {
        ownerUid: claim.ownerId ?? options.ownerId ?? `client-${randomUUID()}`,
        labels: claim.labels,
        annotations: claim.annotations,
        shutdownTime: claim.shutdownTime instanceof Date ? claim.shutdownTime.toISOString() : claim.shutdownTime,
        image: claim.image,
        initRuntime: claim.envVars ? { envVars: claim.envVars, accessToken: randomUUID() } : undefined,
      };
      return claimer.claim({ namespace: claim.namespace, pool: claim.template }, request, {
        count: claim.replicas ?? 1,
        timeoutMs: claim.timeoutMs ?? 60_000,
        createOnNoStock: claim.createOnNoStock ?? false,
        waitReadyTimeoutMs: claim.waitReadyTimeoutMs,
        signal: claim.signal,
      });
    },
    async release(sandbox) {
      const { namespace, name } =
        'metadata' in sandbox ? (sandbox.metadata as { namespace: string; name: string }) : sandbox;
      return sandboxes.deleteIfExists(namespace, name);
    },
    async get(namespace, name) {
      return sandboxes.find(namespace, name);
    },
    async list(namespace, listOptions = {}) {
      const selectors = [
        listOptions.template && `${Labels.SandboxPool}=${listOptions.template}`,
        listOptions.claimName && `${Labels.ClaimName}=${listOptions.claimName}`,
        listOptions.labelSelector,
      ].filter(Boolean);
      const list = await sandboxes.list(namespace, { labelSelector: selectors.join(',') || undefined });
      return list.items;
    },
    watch(namespace, watchOptions = {}) {
      return sandboxes.watch(namespace, watchOptions) as AsyncIterable<WatchEvent<SandboxObject>>;
    },
    async close() {
      abort.abort();
      await Promise.all([cache.sandboxes.stopped(), cache.sets.stopped()]);
      kube.close();
    },
  };
}
