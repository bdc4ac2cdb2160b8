// Kubernetes Events: a SandboxSet scaled up and down, a claim (and one on a missing pool), a pause and resume — each
// recorded as the Events `kubectl describe` shows (real kubectl against kube-lite) and `kubectl get events` lists.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { Labels } from '@kruise-agents/api';
import { Resources, type CoreEvent, type KubeObject } from '@kruise-agents/kube-runtime';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, condition, startHarness, waitForAvailable } from './harness';

const h = fileFixture(() => startHarness());
const run = promisify(execFile);

const kubectl = async (...args: string[]) =>
  (await run('kubectl', args, { env: { ...process.env, KUBECONFIG: h.kubeconfigPath }, timeout: 20_000 })).stdout;

/** The Events about `object`, found the way `kubectl describe` finds them (kind, name, namespace, uid). */
async function eventsOf(kind: string, object: KubeObject): Promise<CoreEvent[]> {
  const { name, namespace, uid } = object.metadata;
  const fieldSelector = [
    `involvedObject.kind=${kind}`,
    `involvedObject.name=${name}`,
    `involvedObject.namespace=${namespace}`,
    `involvedObject.uid=${uid}`,
  ].join(',');
  return (await h.kube.resource(Resources.Event).list(namespace, { fieldSelector })).items;
}

/** Waits until every reason in `reasons` was recorded about `object`; returns its Events by reason. */
function eventsWith(kind: string, object: KubeObject, reasons: string[]) {
  return waitFor(`${kind} ${object.metadata.name} events ${reasons.join(', ')}`, async () => {
    const events = await eventsOf(kind, object);
    const byReason = new Map(events.map((e) => [e.reason, e]));
    return reasons.every((r) => byReason.has(r)) ? byReason : undefined;
  });
}

describe('Events', () => {
  it('tells a SandboxSet scaled up and down, and kubectl describe sbs shows it', async () => {
    const set = await h.sets.create(aSet('ev-pool', 2));
    await waitForAvailable(h, 'ev-pool', 2);
    await h.sets.patch('default', 'ev-pool', 'merge', { spec: { replicas: 1 } });
    await waitForAvailable(h, 'ev-pool', 1);
    const events = await eventsWith('SandboxSet', set, ['SandboxCreated', 'SandboxDeleted']);
    expect(events.get('SandboxCreated')).toMatchObject({
      type: 'Normal',
      message: 'Scaled up: created 2 sandboxes (desired 2)',
      involvedObject: { apiVersion: 'agents.kruise.io/v1alpha1', uid: set.metadata.uid },
      source: { component: 'sandboxset-controller' },
      reportingComponent: 'sandboxset-controller',
    });
    expect(events.get('SandboxCreated')!.reportingInstance).toBeTruthy();
    expect(events.get('SandboxCreated')!.involvedObject.resourceVersion).toBeTruthy();
    expect(events.get('SandboxDeleted')!.message).toBe('Scaled down: deleted 1 sandbox (desired 1)');

    const described = await kubectl('describe', 'sbs', 'ev-pool', '-n', 'default');
    expect(described).toMatch(/Events:\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(described).toMatch(/Normal\s+SandboxCreated\s+.*sandboxset-controller\s+Scaled up: created 2 sandboxes/);
    expect(described).toMatch(/Normal\s+SandboxDeleted\s+.*Scaled down: deleted 1 sandbox/);
  });

  it('tells a claim: sandboxes claimed, completed; a missing pool as a Warning; kubectl describe sbc shows them', async () => {
    await h.sets.create(aSet('ev-claim-pool', 1));
    await waitForAvailable(h, 'ev-claim-pool', 1);
    const claim = await h.claims.create(aClaim('ev-claim', 'ev-claim-pool'));
    const events = await eventsWith('SandboxClaim', claim, ['SandboxClaimed', 'ClaimCompleted']);
    expect(events.get('SandboxClaimed')).toMatchObject({ type: 'Normal', message: 'Claimed 1 sandbox (1/1)' });
    expect(events.get('ClaimCompleted')!.message).toBe('Successfully claimed 1/1 sandboxes');

    const lost = await h.claims.create(aClaim('ev-lost', 'no-such-pool'));
    const warned = await eventsWith('SandboxClaim', lost, ['SandboxSetNotFound']);
    expect(warned.get('SandboxSetNotFound')!.type).toBe('Warning');

    const described = await kubectl('describe', 'sbc', 'ev-claim', '-n', 'default');
    expect(described).toMatch(/Normal\s+SandboxClaimed\s+.*sandboxclaim-controller\s+Claimed 1 sandbox \(1\/1\)/);
    expect(described).toMatch(/Normal\s+ClaimCompleted\s+/);
    expect(await kubectl('describe', 'sbc', 'ev-lost', '-n', 'default')).toMatch(/Warning\s+SandboxSetNotFound\s+/);
  });

  it('tells a pause and a resume of a sandbox, and kubectl describe sbx and get events show them', async () => {
    await h.sets.create(aSet('ev-pause-pool', 1));
    await waitForAvailable(h, 'ev-pause-pool', 1);
    await h.claims.create(aClaim('ev-pause', 'ev-pause-pool'));
    const sandbox = await waitFor('the claimed sandbox', async () => {
      const list = await h.sandboxes.list('default', { labelSelector: `${Labels.ClaimName}=ev-pause` });
      return list.items[0];
    });
    const name = sandbox.metadata.name!;
    await h.sandboxes.patch('default', name, 'merge', { spec: { paused: true } });
    await waitFor(`${name} paused`, async () => {
      const s = await h.sandboxes.get('default', name);
      return condition(s, 'SandboxPaused')?.status === 'True' ? s : undefined;
    });
    await eventsWith('Sandbox', sandbox, ['SandboxPaused', 'StopPauseSucceed']);
    await h.sandboxes.patch('default', name, 'merge', { spec: { paused: false } });
    const events = await eventsWith('Sandbox', sandbox, ['SandboxResuming', 'ResumeSucceed']);
    expect(events.get('StopPauseSucceed')).toMatchObject({ type: 'Normal', reportingComponent: 'sandbox-controller' });
    // Running twice (before the pause, after the resume): one Event, counted.
    await waitFor('SandboxRunning counted twice', async () => {
      const running = (await eventsOf('Sandbox', sandbox)).filter((e) => e.reason === 'SandboxRunning');
      return running.length === 1 && running[0]!.count === 2;
    });

    const described = await kubectl('describe', 'sbx', name, '-n', 'default');
    expect(described).toMatch(/Normal\s+StopPauseSucceed\s+.*sandbox-controller\s+pod deleted, sandbox kept/);
    expect(described).toMatch(/Normal\s+SandboxRunning\s+.*\(x2 over/);
    expect(described).toMatch(/Normal\s+ResumeSucceed\s+/);
    const listed = await kubectl('get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${name}`);
    expect(listed).toMatch(new RegExp(`StopPauseSucceed\\s+sandbox/${name}`));
  });
});
