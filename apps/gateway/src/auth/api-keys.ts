/**
 * API keys at rest: one Kubernetes Secret in the system namespace holds every key as `data[<keyId>]` = JSON
 * `{id, name, team, hash, createdAt}`. Only the SHA-256 of a key is stored (keys are 160 random bits, so a plain hash
 * is enough: there is nothing to brute-force); the key itself is shown once, when created. Teams are namespaces.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  KubeClient,
  Resources,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type KubeConfigSource,
  type Secret,
} from '@kruise-agents/kube-runtime';

/** E2B SDKs ≥ 2.25 refuse keys that do not match this before sending anything. */
export const API_KEY_PATTERN = /^e2b_[0-9a-f]+$/;
export const DEFAULT_SYSTEM_NAMESPACE = 'kruise-agents-system';
export const DEFAULT_KEY_SECRET = 'kruise-agents-api-keys';

export interface StoredApiKey {
  id: string;
  name: string;
  /** The namespace the key's sandboxes live in. */
  team: string;
  /** sha256 hex of the key. */
  hash: string;
  createdAt: string;
}

export interface KeySecretRef {
  namespace: string;
  name: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A fresh key in the SDK-compatible form: `e2b_` and 40 hex characters. */
export const generateApiKey = (): string => `e2b_${randomBytes(20).toString('hex')}`;

/** The keys a Secret holds; entries that do not parse are skipped (never fatal: one bad entry must not lock all out). */
export function keysInSecret(secret: Secret | undefined): StoredApiKey[] {
  const out: StoredApiKey[] = [];
  for (const [id, value] of Object.entries(secret?.data ?? {})) {
    try {
      const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Partial<StoredApiKey>;
      if (typeof parsed.hash === 'string' && typeof parsed.team === 'string') {
        out.push({
          id,
          name: parsed.name ?? id,
          team: parsed.team,
          hash: parsed.hash,
          createdAt: parsed.createdAt ?? '',
        });
      }
    } catch {
      // skipped, see above
    }
  }
  return out;
}

export interface CreatedApiKey {
  id: string;
  /** The key itself: shown once, never stored. */
  key: string;
  team: string;
  name: string;
}

/**
 * Adds a key for `team` to the key Secret (created when missing), as one optimistic-concurrency update retried on
 * conflict, so two gateways adding keys at once both land.
 */
export async function createApiKey(
  kube: KubeClient,
  ref: KeySecretRef,
  input: { team: string; name?: string; key?: string },
): Promise<CreatedApiKey> {
  const key = input.key ?? generateApiKey();
  if (!API_KEY_PATTERN.test(key)) throw new Error('an API key must match ^e2b_[0-9a-f]+$ (the E2B SDKs check it)');
  const id = randomUUID();
  const entry: StoredApiKey = {
    id,
    name: input.name ?? id,
    team: input.team,
    hash: hashApiKey(key),
    createdAt: new Date().toISOString(),
  };
  const encoded = Buffer.from(JSON.stringify(entry)).toString('base64');
  const secrets = kube.resource(Resources.Secret);
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await secrets.find(ref.namespace, ref.name);
    try {
      if (!current) {
        await ensureNamespace(kube, ref.namespace);
        await secrets.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { namespace: ref.namespace, name: ref.name },
          type: 'Opaque',
          data: { [id]: encoded },
        });
      } else {
        await secrets.update({ ...current, data: { ...current.data, [id]: encoded } });
      }
      return { id, key, team: input.team, name: entry.name };
    } catch (error) {
      if (isConflict(error) || isAlreadyExists(error) || isNotFound(error)) continue;
      throw error;
    }
  }
  throw new Error(`could not add the API key to ${ref.namespace}/${ref.name}: too many concurrent writers`);
}

/** The system namespace may not exist yet on a fresh (embedded) cluster. */
export async function ensureNamespace(kube: KubeClient, name: string): Promise<void> {
  const namespaces = kube.resource(Resources.Namespace);
  if (await namespaces.find(undefined, name)) return;
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

/** createApiKey with its own connection: for the CLI's `gateway create-key`. */
export async function addApiKey(
  source: KubeConfigSource & { systemNamespace?: string; team: string; name?: string },
): Promise<CreatedApiKey> {
  const kube = KubeClient.fromSource(source, 'kruise-agents-gateway');
  try {
    return await createApiKey(
      kube,
      { namespace: source.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE, name: DEFAULT_KEY_SECRET },
      { team: source.team, name: source.name },
    );
  } finally {
    kube.close();
  }
}
