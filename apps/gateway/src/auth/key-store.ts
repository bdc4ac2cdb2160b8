/**
 * The gateway's view of the API keys: an informer on the key Secret keeps a hash → key map, so authenticating a
 * request is one SHA-256 and one map lookup, and a key added by any replica (or kubectl) works everywhere within a
 * watch event. The admin key comes from configuration, is never stored, and sees every namespace.
 */
import { Informer, Resources, type KubeClient, type Secret } from '@kruise-agents/kube-runtime';
import { hashApiKey, keysInSecret, type KeySecretRef, type StoredApiKey } from './api-keys';

export const ADMIN_KEY_ID = 'admin';

export interface Principal {
  keyId: string;
  name: string;
  /** The namespace the key works in; undefined for the admin key (every namespace). */
  team: string | undefined;
}

export class KeyStore {
  private byHash = new Map<string, StoredApiKey>();
  private readonly informer: Informer<Secret>;
  private readonly adminHash: string | undefined;

  constructor(kube: KubeClient, ref: KeySecretRef, adminKey: string | undefined, onError?: (e: unknown) => void) {
    this.adminHash = adminKey ? hashApiKey(adminKey) : undefined;
    this.informer = new Informer<Secret>({
      client: kube.resource(Resources.Secret),
      namespace: ref.namespace,
      fieldSelector: `metadata.name=${ref.name}`,
      onError,
    });
    const refresh = () => this.rebuild(this.informer.get(ref.namespace, ref.name));
    this.informer.on({ add: refresh, update: refresh, delete: refresh });
  }

  async start(signal: AbortSignal): Promise<void> {
    this.informer.start(signal);
    await this.informer.waitForSync(signal);
  }

  stopped(): Promise<void> {
    return this.informer.stopped();
  }

  /** The key's principal, or undefined for an unknown key. */
  authenticate(key: string | undefined): Principal | undefined {
    if (!key) return undefined;
    const hash = hashApiKey(key);
    if (this.adminHash !== undefined && hash === this.adminHash) {
      return { keyId: ADMIN_KEY_ID, name: ADMIN_KEY_ID, team: undefined };
    }
    const stored = this.byHash.get(hash);
    return stored ? { keyId: stored.id, name: stored.name, team: stored.team } : undefined;
  }

  /** Makes a key this process just wrote usable at once, before its watch event arrives. */
  remember(key: StoredApiKey): void {
    this.byHash.set(key.hash, key);
  }

  private rebuild(secret: Secret | undefined): void {
    const next = new Map<string, StoredApiKey>();
    for (const key of keysInSecret(secret)) next.set(key.hash, key);
    this.byHash = next;
  }
}
