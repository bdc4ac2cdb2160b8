import { describe, expect, it } from '@jest/globals';
import type { SandboxPhase } from '@kruise-agents/api';
import { sandboxTemplateHash } from '../revision';
import { MINUTE, T0, aPod, aSandbox, at, type PodOptions } from '../testing';
import { withRuntimeInitialized } from '../runtime/runtime-initialized';
import { podBelongsTo, readyCondition, sandboxStatusFromPod } from './status-from-pod';

const NOW = T0 + 5 * MINUTE;
const sandboxIn = (phase: SandboxPhase | undefined, ready = false) => {
  const s = aSandbox({ name: 's', phase: phase ?? 'Pending', ready });
  if (phase === undefined) delete s.status!.phase;
  return s;
};
const podOf = (sandbox: ReturnType<typeof sandboxIn>, options: Omit<PodOptions, 'sandbox'> = {}) =>
  aPod({ sandbox, ...options });
const ready = (status: ReturnType<typeof sandboxStatusFromPod>) => status.conditions?.find((c) => c.type === 'Ready');

describe('sandboxStatusFromPod: phases', () => {
  it.each<
    [string, SandboxPhase | undefined, Omit<PodOptions, 'sandbox'> | undefined, SandboxPhase, string | undefined]
  >([
    ['new sandbox, no pod yet', undefined, undefined, 'Pending', undefined],
    ['Pending, pod pending', 'Pending', { phase: 'Pending' }, 'Pending', undefined],
    ['Pending, pod running', 'Pending', { phase: 'Running' }, 'Running', undefined],
    ['Pending, pod failed', 'Pending', { phase: 'Failed' }, 'Failed', 'Pod status phase is Failed'],
    ['Pending, pod succeeded', 'Pending', { phase: 'Succeeded' }, 'Succeeded', 'Pod status phase is Succeeded'],
    ['Running, pod gone', 'Running', undefined, 'Failed', 'Pod Not Found'],
    ['Running, pod being deleted', 'Running', { phase: 'Running', deleting: true }, 'Failed', 'Pod Not Found'],
    ['Running, pod failed', 'Running', { phase: 'Failed' }, 'Failed', 'Pod status phase is Failed'],
    [
      'Running, pod of another owner (stale)',
      'Running',
      { phase: 'Running', ownerUid: 'someone-else' },
      'Failed',
      'Pod Not Found',
    ],
    [
      'Pending, pod of another owner (stale)',
      'Pending',
      { phase: 'Running', ownerUid: 'someone-else' },
      'Pending',
      undefined,
    ],
    ['Paused is left to the pause flow', 'Paused', undefined, 'Paused', undefined],
    ['Failed stays Failed', 'Failed', { phase: 'Running' }, 'Failed', undefined],
  ])('%s → %s', (_what, phase, podOptions, expectedPhase, message) => {
    const sandbox = sandboxIn(phase);
    const status = sandboxStatusFromPod(sandbox, podOptions && podOf(sandbox, podOptions), { now: NOW });
    expect(status.phase).toBe(expectedPhase);
    expect(status.message).toBe(message);
  });

  it('always refreshes observedGeneration and updateRevision', () => {
    const sandbox = sandboxIn('Paused');
    sandbox.metadata.generation = 4;
    expect(sandboxStatusFromPod(sandbox, undefined, { now: NOW })).toMatchObject({
      observedGeneration: 4,
      updateRevision: sandboxTemplateHash(sandbox),
    });
  });
});

describe('sandboxStatusFromPod: Ready and pod info', () => {
  it('mirrors a ready pod, with its transition time, and copies IP, node and UID', () => {
    const sandbox = sandboxIn('Running');
    const pod = podOf(sandbox, {
      phase: 'Running',
      ready: true,
      readySince: 2 * MINUTE,
      podIP: '10.1.2.3',
      nodeName: 'n7',
    });
    const status = sandboxStatusFromPod(sandbox, pod, { now: NOW });
    expect(ready(status)).toEqual({
      type: 'Ready',
      status: 'True',
      reason: 'PodReady',
      lastTransitionTime: at(2 * MINUTE),
    });
    expect(status.podInfo).toEqual({ podIP: '10.1.2.3', nodeName: 'n7', podUID: pod.metadata!.uid });
    expect(status).toMatchObject({ nodeName: 'n7', sandboxIp: '10.1.2.3' });
    expect(status.message).toBeUndefined();
  });

  it.each([
    ['ImagePullBackOff', 'Back-off pulling image "nope"', 'StartContainerFailed', 'Back-off pulling image "nope"'],
    ['CrashLoopBackOff', undefined, 'StartContainerFailed', 'container main is waiting: CrashLoopBackOff'],
    ['ContainerCreating', undefined, 'ContainersNotReady', undefined],
    ['PodInitializing', undefined, 'ContainersNotReady', undefined],
  ])('a container waiting with %s → reason %s', (reason, message, expectedReason, expectedMessage) => {
    const sandbox = sandboxIn('Running', true);
    const pod = podOf(sandbox, { phase: 'Running', ready: false, waiting: { reason, ...(message && { message }) } });
    const condition = ready(sandboxStatusFromPod(sandbox, pod, { now: NOW }));
    expect(condition?.status).toBe('False');
    expect(condition?.reason).toBe(expectedReason);
    expect(condition?.message).toBe(expectedMessage);
  });

  it('reports a failed pod create on a pending sandbox', () => {
    const status = sandboxStatusFromPod(sandboxIn('Pending'), undefined, { now: NOW, createError: 'quota exceeded' });
    expect(ready(status)).toMatchObject({ status: 'False', reason: 'PodCreateFailed', message: 'quota exceeded' });
    expect(status.phase).toBe('Pending');
  });

  it('falls back to PodNotReady when the pod has no Ready condition yet', () => {
    const sandbox = sandboxIn('Pending');
    const pod = podOf(sandbox, { phase: 'Pending' });
    pod.status!.conditions = [];
    pod.status!.containerStatuses = [];
    expect(readyCondition(pod)).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'PodNotReady',
      lastTransitionTime: undefined,
    });
  });

  it('does not mutate the sandbox', () => {
    const sandbox = sandboxIn('Pending');
    const before = structuredClone(sandbox);
    sandboxStatusFromPod(sandbox, podOf(sandbox, { phase: 'Running' }), { now: NOW });
    expect(sandbox).toEqual(before);
  });
});

describe('sandboxStatusFromPod: Ready gates on the runtime init', () => {
  it.each([
    ['Pending', 'False', 'RuntimeInitializing'],
    ['Failed', 'False', 'RuntimeInitializing'],
    ['Succeeded', 'True', 'PodReady'],
  ] as const)('a ready pod with RuntimeInitialized %s → Ready %s (%s)', (reason, readyStatus, readyReason) => {
    const sandbox = sandboxIn('Running', false);
    sandbox.status = withRuntimeInitialized(sandbox.status!, { reason }, T0);
    const status = sandboxStatusFromPod(sandbox, podOf(sandbox, { phase: 'Running', ready: true }), { now: NOW });
    expect(ready(status)).toMatchObject({ status: readyStatus, reason: readyReason });
  });

  it('a resumed sandbox whose runtime is being initialised turns Running, not Ready', () => {
    const sandbox = sandboxIn('Pending');
    sandbox.status = withRuntimeInitialized(sandbox.status!, { reason: 'Pending' }, T0);
    const status = sandboxStatusFromPod(sandbox, podOf(sandbox, { phase: 'Running', ready: true }), { now: NOW });
    expect(status.phase).toBe('Running');
    expect(ready(status)?.status).toBe('False');
  });
});

describe('podBelongsTo', () => {
  it('accepts a pod controlled by the sandbox UID or by nothing, rejects another controller', () => {
    const sandbox = sandboxIn('Running');
    expect(podBelongsTo(sandbox, podOf(sandbox))).toBe(true);
    expect(podBelongsTo(sandbox, podOf(sandbox, { ownerUid: 'x' }))).toBe(false);
    expect(podBelongsTo(sandbox, { metadata: { name: 's' } })).toBe(true);
  });
});
