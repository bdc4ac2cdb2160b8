// The Sandbox→Pod controller: one pod per sandbox with its status mirrored; shutdownTime (also for a Failed sandbox)
// and pauseTime; pause/resume with the Stop strategy (pod deleted, sandbox kept) and the Freeze strategy (pod frozen
// by the node, memory kept); paused time not counting against the timeout; the claim-time in-place image change.
import { describe, expect, it } from '@jest/globals';
import { API_VERSION, Finalizers, Labels, type Sandbox } from '@kruise-agents/api';
import type { KubeObject } from '@kruise-agents/kube-runtime';
import { sleep, waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, condition, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function aSandbox(name: string, spec: Partial<Sandbox['spec']> = {}): Sandbox & KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Sandbox',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'python:3.12' }] } }, ...spec },
  };
}

const running = (name: string) =>
  waitFor(`${name} Running and Ready`, async () => {
    const s = await h.sandboxes.get('default', name);
    return s.status?.phase === 'Running' && condition(s, 'Ready')?.status === 'True' ? s : undefined;
  });

const gone = (name: string, timeoutMs?: number) =>
  waitFor(`${name} deleted`, async () => (await h.sandboxes.find('default', name)) === undefined, timeoutMs);

const setPaused = async (name: string, paused: boolean) => {
  await h.sandboxes.patch('default', name, 'merge', { spec: { paused } });
};

describe('Sandbox', () => {
  it('runs one pod of the same name and mirrors its phase, Ready condition and IP', async () => {
    await h.sandboxes.create(aSandbox('mirror'));
    const s = await running('mirror');
    const pod = await h.pods.get('default', 'mirror');
    expect(pod.metadata.labels?.[Labels.CreatedBy]).toBe('sandbox');
    expect(pod.metadata.labels?.[Labels.PodTemplateHash]).toBe(s.status?.updateRevision);
    expect(s.status?.podInfo?.podIP).toBe(pod.status?.podIP);
    expect(s.status?.sandboxIp).toBe(pod.status?.podIP);
    expect(condition(s, 'Ready')?.reason).toBe('PodReady');
    expect(s.status?.observedGeneration).toBe(s.metadata.generation);
  });

  it('is deleted at its shutdownTime, with its pod', async () => {
    await h.sandboxes.create(aSandbox('timeout', { shutdownTime: inSeconds(2) }));
    await running('timeout');
    await gone('timeout', 10_000);
    await waitFor('pod gone', async () => (await h.pods.find('default', 'timeout')) === undefined);
  });

  it('deletes a Failed sandbox at its shutdownTime too (quirk §11.7 fixed)', async () => {
    const created = await h.sandboxes.create(aSandbox('failed', { shutdownTime: inSeconds(2) }));
    await running('failed');
    const latest = await h.sandboxes.get('default', 'failed');
    await h.sandboxes.updateStatus({ ...latest, status: { ...latest.status, phase: 'Failed', message: 'broken' } });
    await sleep(300);
    expect((await h.sandboxes.get('default', 'failed')).status?.phase).toBe('Failed');
    await gone('failed', 10_000);
    expect(created.metadata.uid).toBeTruthy();
  });

  it('pauses at its pauseTime', async () => {
    await h.sandboxes.create(aSandbox('pausetime', { pauseTime: inSeconds(1) }));
    await running('pausetime');
    const paused = await waitFor('paused', async () => {
      const s = await h.sandboxes.get('default', 'pausetime');
      return s.spec.paused && condition(s, 'SandboxPaused')?.status === 'True' ? s : undefined;
    });
    expect(paused.spec.pauseTime).toBeUndefined();
    expect(paused.status?.phase).toBe('Paused');
  });

  it('Stop: pausing deletes the pod and keeps the sandbox; resuming creates a new pod', async () => {
    await h.sandboxes.create(aSandbox('stop'));
    await running('stop');
    const podBefore = await h.pods.get('default', 'stop');
    await setPaused('stop', true);
    const paused = await waitFor('stop-paused', async () => {
      const s = await h.sandboxes.get('default', 'stop');
      return condition(s, 'SandboxPaused')?.status === 'True' ? s : undefined;
    });
    expect(paused.status?.phase).toBe('Paused');
    expect(condition(paused, 'SandboxPaused')?.reason).toBe('StopPauseSucceed');
    expect(condition(paused, 'Ready')?.status).toBe('False');
    expect(paused.metadata.finalizers).toContain(Finalizers.Sandbox);
    expect(paused.status?.pausedAt).toBeTruthy();
    expect(await h.pods.find('default', 'stop')).toBeUndefined();

    await setPaused('stop', false);
    const resumed = await running('stop');
    expect(condition(resumed, 'SandboxResumed')?.status).toBe('True');
    expect(condition(resumed, 'SandboxPaused')).toBeUndefined();
    expect(resumed.status?.pausedAt).toBeUndefined();
    expect(resumed.metadata.finalizers ?? []).not.toContain(Finalizers.Sandbox);
    const podAfter = await h.pods.get('default', 'stop');
    expect(podAfter.metadata.uid).not.toBe(podBefore.metadata.uid);
  });

  it('Freeze: pausing freezes the pod in place (memory kept); resuming thaws the same pod', async () => {
    await h.sandboxes.create(aSandbox('freeze', { pauseStrategy: { type: 'Freeze' } }));
    await running('freeze');
    const podBefore = await h.pods.get('default', 'freeze');
    await setPaused('freeze', true);
    const paused = await waitFor('frozen', async () => {
      const s = await h.sandboxes.get('default', 'freeze');
      return condition(s, 'SandboxPaused')?.status === 'True' ? s : undefined;
    });
    expect(condition(paused, 'SandboxPaused')?.reason).toBe('FreezePauseSucceed');
    expect(paused.status?.phase).toBe('Paused');
    const frozenPod = await h.pods.get('default', 'freeze');
    expect(frozenPod.metadata.uid).toBe(podBefore.metadata.uid);
    expect(frozenPod.metadata.annotations?.['agents.kruise.io/frozen']).toBe('true');
    expect(condition(frozenPod, 'Frozen')?.status).toBe('True');

    await setPaused('freeze', false);
    await running('freeze');
    const thawed = await h.pods.get('default', 'freeze');
    expect(thawed.metadata.uid).toBe(podBefore.metadata.uid);
    expect(thawed.metadata.annotations?.['agents.kruise.io/frozen']).toBeUndefined();
    expect(condition(thawed, 'Frozen')?.status).not.toBe('True');
  });

  it('does not count paused time against the timeout: the shutdown moves later by the time paused', async () => {
    const shutdownTime = inSeconds(3);
    await h.sandboxes.create(aSandbox('clock', { shutdownTime }));
    await running('clock');
    await setPaused('clock', true);
    await waitFor(
      'paused',
      async () => condition(await h.sandboxes.get('default', 'clock'), 'SandboxPaused')?.status === 'True',
    );
    await sleep(4000); // past the original shutdownTime, while paused
    expect(await h.sandboxes.find('default', 'clock')).toBeDefined();
    await setPaused('clock', false);
    const resumed = await running('clock');
    expect(Date.parse(resumed.spec.shutdownTime!)).toBeGreaterThan(Date.parse(shutdownTime) + 2000);
    await gone('clock', 10_000);
  });

  it('changes the first container image in place at claim time, and reports it done when the imageID changes', async () => {
    await h.sets.create(aSet('inplace', 1));
    await waitForAvailable(h, 'inplace', 1);
    const [member] = (await h.sandboxes.list('default', { labelSelector: `${Labels.SandboxPool}=inplace` })).items;
    const podBefore = await h.pods.get('default', member!.metadata.name!);
    await h.claims.create(
      aClaim('inplace', 'inplace', { inplaceUpdate: { image: 'python:3.13' }, createOnNoStock: false }),
    );
    const claim = await waitFor('claim completed', async () => {
      const c = await h.claims.get('default', 'inplace');
      return c.status?.phase === 'Completed' ? c : undefined;
    });
    expect(claim.status?.claimedReplicas).toBe(1);
    const sandbox = await h.sandboxes.get('default', member!.metadata.name!);
    expect(condition(sandbox, 'InplaceUpdate')).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(condition(sandbox, 'Ready')?.status).toBe('True');
    const pod = await h.pods.get('default', member!.metadata.name!);
    expect(pod.metadata.uid).toBe(podBefore.metadata.uid);
    expect(pod.spec.containers[0]?.image).toBe('python:3.13');
    expect(pod.status?.containerStatuses?.[0]?.imageID).not.toBe(podBefore.status?.containerStatuses?.[0]?.imageID);
  });
});
