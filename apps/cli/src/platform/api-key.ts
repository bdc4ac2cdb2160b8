/**
 * The one API key `up` hands out. The gateway keeps only its hash (in its key Secret, so in kube-lite's SQLite); the
 * plain key lives in <data-dir>/e2b.env alone. On restart the key from e2b.env is reused when the Secret still knows
 * its hash; otherwise (first start, or e2b.env deleted) a new key is created for team `default`.
 */
import { DEFAULT_KEY_SECRET, DEFAULT_SYSTEM_NAMESPACE, hashApiKey, type Gateway } from '@kruise-agents/gateway';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import { POOL_NAMESPACE } from './default-pools';

export interface ApiKeyOutcome {
  key: string;
  created: boolean;
}

async function knownHashes(kube: KubeClient): Promise<Set<string>> {
  const secret = await kube.resource(Resources.Secret).find(DEFAULT_SYSTEM_NAMESPACE, DEFAULT_KEY_SECRET);
  const hashes = new Set<string>();
  for (const value of Object.values(secret?.data ?? {})) {
    try {
      const entry = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { hash?: unknown };
      if (typeof entry.hash === 'string') hashes.add(entry.hash);
    } catch {
      // not an entry of ours
    }
  }
  return hashes;
}

export async function ensureApiKey(
  kube: KubeClient,
  gateway: Gateway,
  saved: string | undefined,
): Promise<ApiKeyOutcome> {
  if (saved && (await knownHashes(kube)).has(hashApiKey(saved))) return { key: saved, created: false };
  // Team = namespace: the key claims from the pools in `default`, where up creates them.
  const { key } = await gateway.createApiKey(POOL_NAMESPACE, 'kruise-agents-up');
  return { key, created: true };
}
