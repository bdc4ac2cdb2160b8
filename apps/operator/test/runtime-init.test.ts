// The agent-runtime's set-up, end to end: kube-lite, a local node running every pod as a real agent-runtime process,
// and the operator. A SandboxClaim with envVars initialises each claimed sandbox's runtime (its env vars, its own
// token, the claim's volume mounts); a Stop pause and resume brings the runtime back initialised with the same token
// before the sandbox is Ready; failures show on RuntimeInitialized and in the claim's message. On runtime-stack.ts (not
// harness.ts): its node runs processes, not virtual pods.
import { describe, expect, it } from '@jest/globals';
import { API_VERSION, Annotations, Labels, type SandboxClaim } from '@kruise-agents/api';
import { Resources } from '@kruise-agents/kube-runtime';
import { ENVD_PORT } from '@kruise-agents/local-node';
import { createHostVolume, recordWatch, sandboxSetManifest } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { condition, runtimeGet, startRuntimeStack, tokenOf, waitFor, type SandboxObject } from './runtime-stack';

const stack = fileFixture(() => startRuntimeStack('runtime'));

/** A pool whose pods run the agent-runtime (the local node's default entry), Ready once envd answers. */
async function createPool(name: string, replicas: number, env: Array<{ name: string; value: string }> = []) {
  await stack.kube.resource(Resources.SandboxSet).create(
    sandboxSetManifest({
      name,
      replicas,
      container: { env, readinessProbe: { httpGet: { path: '/health', port: ENVD_PORT }, periodSeconds: 1 } },
    }),
  );
  await waitFor(`${name} to have ${replicas} available`, async () => {
    const current = await stack.kube.resource(Resources.SandboxSet).get('default', name);
    return (current.status?.availableReplicas ?? 0) >= replicas;
  });
}

async function claim(name: string, pool: string, spec: Partial<SandboxClaim['spec']>) {
  await stack.claims.create({
    apiVersion: API_VERSION,
    kind: 'SandboxClaim',
    metadata: { namespace: 'default', name },
    spec: { templateName: pool, ...spec } as SandboxClaim['spec'],
  });
  return waitFor(`claim ${name} to complete`, async () => {
    const current = await stack.claims.get('default', name);
    return current.status?.phase === 'Completed' ? current : undefined;
  });
}

const claimedBy = async (name: string) =>
  (await stack.sandboxes.list('default', { labelSelector: `${Labels.ClaimName}=${name}` })).items;

async function pauseAndResume(sandbox: SandboxObject): Promise<SandboxObject> {
  const name = sandbox.metadata.name!;
  await stack.sandboxes.patch('default', name, 'merge', { spec: { paused: true } });
  await waitFor(`${name} to pause`, async () => {
    const s = await stack.sandboxes.get('default', name);
    return s.status?.phase === 'Paused' && condition(s, 'SandboxPaused')?.status === 'True';
  });
  await stack.sandboxes.patch('default', name, 'merge', { spec: { paused: false } });
  return waitFor(`${name} to be Ready again`, async () => {
    const s = await stack.sandboxes.get('default', name);
    return s.status?.phase === 'Running' && condition(s, 'Ready')?.status === 'True' ? s : undefined;
  });
}

describe('a SandboxClaim initialises the runtime of what it claims', () => {
  it('gives each sandbox the env vars and its own token, which the runtime then requires', async () => {
    await createPool('envs', 2);
    const done = await claim('envs', 'envs', { replicas: 2, envVars: { GREETING: 'hello', TEAM: 'ml' } });
    expect(done.status?.claimedReplicas).toBe(2);
    const got = await claimedBy('envs');
    expect(got).toHaveLength(2);
    const [a, b] = got as [SandboxObject, SandboxObject];
    expect(tokenOf(a)).not.toBe('');
    expect(tokenOf(a)).not.toBe(tokenOf(b));
    for (const s of got) {
      expect(condition(s, 'RuntimeInitialized')).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(condition(s, 'Ready')?.status).toBe('True');
      const envs = await runtimeGet(s, '/envs', tokenOf(s));
      expect(envs.status).toBe(200);
      expect(JSON.parse(envs.text)).toMatchObject({ GREETING: 'hello', TEAM: 'ml' });
      expect((await runtimeGet(s, '/envs')).status).toBe(401);
    }
    // One sandbox's token does not open another's runtime.
    expect((await runtimeGet(a, '/envs', tokenOf(b))).status).toBe(401);
  });

  it('leaves the runtime alone when it asks nothing of it and the pool does not declare one', async () => {
    await createPool('plain', 1);
    await claim('plain', 'plain', {});
    const [s] = await claimedBy('plain');
    expect(s!.metadata.annotations?.[Annotations.InitRuntimeRequest]).toBeUndefined();
    expect(condition(s!, 'RuntimeInitialized')).toBeUndefined();
    expect((await runtimeGet(s!, '/envs')).status).toBe(200);
  });

  it('mounts the claim’s volumes, and mounts them again after a Stop pause and resume', async () => {
    const volume = await createHostVolume(stack.kube, 'operator-pv', { 'dataset.txt': 'from the volume' });
    try {
      await createPool('volumes', 1);
      await claim('volumes', 'volumes', { dynamicVolumesMount: [{ pvName: 'operator-pv', mountPath: '/data' }] });
      const [s] = await claimedBy('volumes');
      expect(condition(s!, 'RuntimeInitialized')?.status).toBe('True');
      const read = await runtimeGet(s!, '/files?path=/data/dataset.txt&username=user', tokenOf(s!));
      expect(read).toEqual({ status: 200, text: 'from the volume' });

      const resumed = await pauseAndResume(s!);
      expect(resumed.status?.podInfo?.podUID).not.toBe(s!.status?.podInfo?.podUID);
      const again = await runtimeGet(resumed, '/files?path=/data/dataset.txt&username=user', tokenOf(resumed));
      expect(again).toEqual({ status: 200, text: 'from the volume' });
    } finally {
      volume.remove();
    }
  });
});

describe('after a Stop pause the new pod’s runtime is initialised again', () => {
  it('comes back with the same token and env vars, and is not Ready before that', async () => {
    await createPool('resume', 1);
    await claim('resume', 'resume', { envVars: { GREETING: 'again' } });
    const [before] = await claimedBy('resume');
    const token = tokenOf(before!);

    // Every status the sandbox goes through: Ready must never be True while its runtime is not initialised.
    const watch = recordWatch(stack.sandboxes, before!, (s) => ({
      ready: condition(s, 'Ready')?.status,
      init: condition(s, 'RuntimeInitialized')?.reason,
    }));

    const after = await pauseAndResume(before!);
    await watch.stop();

    expect(after.status?.podInfo?.podUID).not.toBe(before!.status?.podInfo?.podUID);
    expect(tokenOf(after)).toBe(token);
    expect(condition(after, 'RuntimeInitialized')).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const envs = await runtimeGet(after, '/envs', token);
    expect(envs.status).toBe(200);
    expect(JSON.parse(envs.text)).toMatchObject({ GREETING: 'again' });
    expect((await runtimeGet(after, '/envs')).status).toBe(401);
    expect(watch.seen.map((s) => s.init)).toContain('Pending');
    expect(watch.seen.filter((s) => s.ready === 'True' && s.init !== undefined && s.init !== 'Succeeded')).toEqual([]);
  });

  it('shows a failed re-init on the condition, keeps Ready False, and recovers once the runtime answers', async () => {
    await createPool('unreachable', 1);
    await claim('unreachable', 'unreachable', { envVars: { GREETING: 'late' } });
    const [s] = await claimedBy('unreachable');
    const name = s!.metadata.name!;
    await stack.sandboxes.patch('default', name, 'merge', { spec: { paused: true } });
    await waitFor(
      'the pause',
      async () => condition(await stack.sandboxes.get('default', name), 'SandboxPaused')?.status === 'True',
    );
    // The runtime's address now names a port nobody listens on: every /init attempt is refused.
    await stack.sandboxes.patch('default', name, 'merge', {
      metadata: { annotations: { [Annotations.RuntimeUrl]: 'http://127.0.0.1:1' } },
      spec: { paused: false },
    });
    const failed = await waitFor('the re-init to fail', async () => {
      const current = await stack.sandboxes.get('default', name);
      return condition(current, 'RuntimeInitialized')?.reason === 'Failed' ? current : undefined;
    });
    expect(failed.status?.phase).toBe('Running');
    expect(condition(failed, 'RuntimeInitialized')?.message).toMatch(/runtime \/init/);
    expect(condition(failed, 'Ready')).toMatchObject({ status: 'False', reason: 'RuntimeInitializing' });

    await stack.sandboxes.patch('default', name, 'merge', {
      metadata: { annotations: { [Annotations.RuntimeUrl]: null } },
    });
    const recovered = await waitFor('the re-init to succeed', async () => {
      const current = await stack.sandboxes.get('default', name);
      return condition(current, 'Ready')?.status === 'True' ? current : undefined;
    });
    expect(condition(recovered, 'RuntimeInitialized')?.status).toBe('True');
    expect(JSON.parse((await runtimeGet(recovered, '/envs', tokenOf(recovered))).text)).toMatchObject({
      GREETING: 'late',
    });
  });
});

describe('a failed claim-time init', () => {
  it('is no claimed replica: the sandbox is kept for debugging with the failure on its condition, the claim says why', async () => {
    // Runtimes that already hold someone else's token refuse the claim's /init (401).
    await createPool('foreign', 1, [{ name: 'AGENT_RUNTIME_ACCESS_TOKEN', value: 'someone-else' }]);
    const done = await claim('foreign', 'foreign', {
      envVars: { GREETING: 'never' },
      claimTimeout: '3s',
      reserveFailedSandbox: true,
      createOnNoStock: false,
    });
    expect(done.status?.claimedReplicas).toBe(0);
    expect(done.status?.conditions?.find((c) => c.type === 'TimedOut')?.status).toBe('True');
    expect(done.status?.message).toMatch(/claimed 0\/1; last failure: sandbox default\/foreign-.*401/);

    const kept = await claimedBy('foreign');
    expect(kept.length).toBeGreaterThanOrEqual(1);
    for (const s of kept) {
      expect(s.metadata.labels?.[Labels.ReservedFailedSandbox]).toBe('true');
      expect(condition(s, 'RuntimeInitialized')).toMatchObject({ status: 'False', reason: 'Failed' });
      expect(condition(s, 'RuntimeInitialized')?.message).toMatch(/401/);
      expect(condition(s, 'Ready')?.status).toBe('False');
    }
    // The Sandbox controller leaves a sandbox kept for debugging as it failed (no re-init with 401-as-success).
    await new Promise((r) => setTimeout(r, 1000));
    const later = await stack.sandboxes.get('default', kept[0]!.metadata.name!);
    expect(condition(later, 'RuntimeInitialized')?.reason).toBe('Failed');
  });
});
