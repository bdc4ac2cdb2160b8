// The claim executor and the typed client against a real (embedded) API server: no operator runs, so pool members are
// written by hand as a SandboxSet would make them, Ready through the status subresource.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Annotations, Labels, buildAllCustomResourceDefinitions, type Sandbox } from '@kruise-agents/api';
import { startApiServer, type ApiServer } from '@kruise-agents/kube-lite';
import { KubeClient, Resources } from '@kruise-agents/kube-runtime';
import { buildPoolSandbox } from '../pool/new-sandbox';
import { aSandboxSet } from '../testing';
import { createSandboxClaimer } from './claimer';
import { ClaimError } from './errors';
import { createSandboxCache, type SandboxObject, type SandboxSetObject } from './sandbox-cache';
import { connectSandboxClient } from './sandbox-client';

let api: ApiServer;
let kube: KubeClient;
const abort = new AbortController();

beforeAll(async () => {
  api = await startApiServer({ crds: buildAllCustomResourceDefinitions() });
  kube = KubeClient.fromSource({ kubeconfigYaml: api.kubeconfig });
});
afterAll(async () => {
  abort.abort();
  kube.close();
  await api.close();
});

/** A SandboxSet and `count` available members, as the operator would leave them. */
async function aPool(name: string, count: number): Promise<SandboxSetObject> {
  const template = aSandboxSet({ name, replicas: count });
  const set = (await kube.resource(Resources.SandboxSet).create({
    ...template,
    metadata: { name, namespace: 'default' },
  } as SandboxSetObject)) as SandboxSetObject;
  const sandboxes = kube.resource(Resources.Sandbox);
  await Promise.all(
    Array.from({ length: count }, async () => {
      const created = await sandboxes.create(buildPoolSandbox(set, { revision: 'r1' }) as SandboxObject);
      await sandboxes.updateStatus({
        ...created,
        status: {
          phase: 'Running',
          observedGeneration: created.metadata.generation,
          conditions: [{ type: 'Ready', status: 'True', reason: 'PodReady' }],
          podInfo: { podIP: '10.0.0.1' },
        },
      });
    }),
  );
  return set;
}

async function aCache() {
  const cache = createSandboxCache({ kube, namespace: 'default' });
  await cache.start(abort.signal);
  return cache;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('createSandboxClaimer', () => {
  it('claims with one resourceVersion-conditional update: labels, owner, no ownerReferences', async () => {
    await aPool('one', 3);
    const cache = await aCache();
    await until(() => cache.index.stock('default', 'one') === 3);
    const claimer = createSandboxClaimer({ kube, cache });
    const result = await claimer.claimOne(
      { namespace: 'default', pool: 'one' },
      { ownerUid: 'me', claimName: 'c', labels: { team: 'a' } },
    );
    expect(result.status).toBe('claimed');
    if (result.status !== 'claimed') return;
    const stored = await kube.resource(Resources.Sandbox).get('default', result.sandbox.metadata.name!);
    expect(stored.metadata.labels).toMatchObject({
      [Labels.SandboxClaimed]: 'true',
      [Labels.ClaimName]: 'c',
      team: 'a',
    });
    expect(stored.metadata.annotations?.[Annotations.Owner]).toBe('me');
    expect(stored.metadata.ownerReferences ?? []).toHaveLength(0);
    expect(cache.index.stock('default', 'one')).toBe(2);
  });

  it('never hands one sandbox to two claimers with separate caches: losers of a 409 move on', async () => {
    await aPool('contended', 20);
    const [a, b] = await Promise.all([aCache(), aCache()]);
    await until(() => a.index.stock('default', 'contended') === 20 && b.index.stock('default', 'contended') === 20);
    const outcomes: string[] = [];
    const claimers = [a, b].map((cache) =>
      createSandboxClaimer({ kube, cache, onAttempt: (outcome) => outcomes.push(outcome) }),
    );
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        claimers[i % 2]!.claimOne({ namespace: 'default', pool: 'contended' }, { ownerUid: `owner-${i}` }),
      ),
    );
    const won = results.flatMap((r) => (r.status === 'claimed' ? [r.sandbox.metadata.name!] : []));
    expect(won).toHaveLength(20);
    expect(new Set(won).size).toBe(20);
    expect(results.filter((r) => r.status === 'no-stock')).toHaveLength(10);
    const stored = (
      await kube.resource(Resources.Sandbox).list('default', { labelSelector: `${Labels.SandboxPool}=contended` })
    ).items;
    const owners = stored.map((s) => s.metadata.annotations?.[Annotations.Owner]);
    expect(new Set(owners).size).toBe(20);
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(20);
  });

  it('reports a missing pool, and no stock without creating', async () => {
    await aPool('empty', 0);
    const cache = await aCache();
    const claimer = createSandboxClaimer({ kube, cache });
    expect(await claimer.claimOne({ namespace: 'default', pool: 'nope' }, { ownerUid: 'x' })).toEqual({
      status: 'pool-not-found',
    });
    await until(() => cache.sets.get('default', 'empty') !== undefined);
    expect(await claimer.claimOne({ namespace: 'default', pool: 'empty' }, { ownerUid: 'x' })).toEqual({
      status: 'no-stock',
    });
  });

  it('creates a claimed sandbox on no stock, and deletes it when it never gets ready', async () => {
    await aPool('cold', 0);
    const cache = await aCache();
    await until(() => cache.sets.get('default', 'cold') !== undefined);
    const claimer = createSandboxClaimer({ kube, cache });
    const result = await claimer.claimOne(
      { namespace: 'default', pool: 'cold' },
      { ownerUid: 'x' },
      { createOnNoStock: true, waitReadyTimeoutMs: 300 },
    );
    expect(result.status).toBe('not-ready');
    const left = (
      await kube.resource(Resources.Sandbox).list('default', { labelSelector: `${Labels.SandboxPool}=cold` })
    ).items;
    expect(left.filter((s: Sandbox) => !s.metadata.deletionTimestamp)).toHaveLength(0);
  });
});

describe('connectSandboxClient', () => {
  it('claims, gets, lists, watches and releases', async () => {
    await aPool('typed', 3);
    const client = await connectSandboxClient({ kubeconfigYaml: api.kubeconfig, namespace: 'default' });
    try {
      const got = await client.claim({
        namespace: 'default',
        template: 'typed',
        replicas: 2,
        annotations: { userId: 'alice' },
      });
      expect(got).toHaveLength(2);
      expect(got[0]!.metadata.annotations?.userId).toBe('alice');
      const name = got[0]!.metadata.name!;
      expect((await client.get('default', name))?.metadata.labels?.[Labels.SandboxClaimed]).toBe('true');
      expect((await client.list('default', { template: 'typed' })).length).toBe(3);

      const events: string[] = [];
      const stop = new AbortController();
      const watching = (async () => {
        for await (const event of client.watch('default', {
          labelSelector: `${Labels.SandboxPool}=typed`,
          signal: stop.signal,
        })) {
          events.push(`${event.type}:${event.object.metadata.name}`);
        }
      })().catch(() => undefined);
      expect(await client.release(got[0]!)).toBe(true);
      expect(await client.release({ namespace: 'default', name })).toBe(false);
      await until(() => events.includes(`DELETED:${name}`));
      stop.abort();
      await watching;
      expect(events).toContain(`DELETED:${name}`);

      // One left in the pool: a claim of 2 times out with what it got, which the error carries.
      const error = await client
        .claim({ namespace: 'default', template: 'typed', replicas: 2, timeoutMs: 300 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClaimError);
      expect((error as ClaimError).code).toBe('Timeout');
      expect((error as ClaimError).claimed).toHaveLength(1);
      const missing = await client
        .claim({ namespace: 'default', template: 'nope', timeoutMs: 300 })
        .catch((e: unknown) => e);
      expect((missing as ClaimError).code).toBe('PoolNotFound');
    } finally {
      await client.close();
    }
  });
});
