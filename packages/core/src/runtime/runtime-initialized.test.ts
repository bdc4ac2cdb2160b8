import { describe, expect, it } from '@jest/globals';
import { Annotations, Labels, type Sandbox, type SandboxStatus } from '@kruise-agents/api';
import { syncReadyFromPod } from '../sandbox/status-from-pod';
import { MINUTE, T0, aPod, aSandbox, withInplaceUpdate, type PodOptions } from '../testing';
import {
  decideRuntimeInit,
  gateReadyOnRuntimeInit,
  reinitDueAfter,
  runtimeInitOutstanding,
  runtimeInitializedCondition,
  withRuntimeInitialized,
} from './runtime-initialized';

const NOW = T0 + MINUTE;
const REQUEST = '{"envVars":{"A":"1"},"accessToken":"tok"}';
const claimed = (annotations: Record<string, string> = { [Annotations.InitRuntimeRequest]: REQUEST }) =>
  aSandbox({ name: 's', annotations });
const ready = (status: SandboxStatus) => status.conditions?.find((c) => c.type === 'Ready');
const withInit = (sandbox: Sandbox, reason: 'Pending' | 'Succeeded' | 'Failed', message?: string): Sandbox => ({
  ...sandbox,
  status: withRuntimeInitialized(sandbox.status!, { reason, message }, T0),
});

describe('the RuntimeInitialized condition', () => {
  it.each([
    ['Pending', 'False', 'Pending', true],
    ['Succeeded', 'True', 'Succeeded', false],
    ['Failed', 'False', 'Failed', true],
  ] as const)('%s is %s/%s (outstanding: %s)', (reason, status, conditionReason, outstanding) => {
    const next = withRuntimeInitialized({}, { reason, message: 'why' }, NOW);
    expect(runtimeInitializedCondition(next)).toMatchObject({ status, reason: conditionReason, message: 'why' });
    expect(runtimeInitOutstanding(next)).toBe(outstanding);
  });

  it('is not outstanding where it does not exist: pool members, sandboxes the gateway initialised', () => {
    expect(runtimeInitOutstanding({})).toBe(false);
  });

  it('cuts a long failure to the condition-message limit', () => {
    const next = withRuntimeInitialized({}, { reason: 'Failed', message: 'x'.repeat(5000) }, NOW);
    expect(runtimeInitializedCondition(next)?.message).toHaveLength(1024);
  });

  it('moves lastTransitionTime only when the status flips', () => {
    const pending = withRuntimeInitialized({}, { reason: 'Pending' }, T0);
    const failed = withRuntimeInitialized(pending, { reason: 'Failed', message: 'no answer' }, NOW);
    expect(runtimeInitializedCondition(failed)?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    const done = withRuntimeInitialized(failed, { reason: 'Succeeded' }, NOW);
    expect(runtimeInitializedCondition(done)?.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
    expect(runtimeInitializedCondition(done)?.message).toBeUndefined();
  });
});

describe('Ready gates on the runtime init', () => {
  const podReady = { type: 'Ready', status: 'True', reason: 'PodReady' } as const;

  it('holds a ready pod back while the init is pending or failed', () => {
    expect(gateReadyOnRuntimeInit(podReady, withRuntimeInitialized({}, { reason: 'Pending' }, T0))).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'RuntimeInitializing',
      message: 'initialising the runtime',
    });
    expect(
      gateReadyOnRuntimeInit(podReady, withRuntimeInitialized({}, { reason: 'Failed', message: 'refused' }, T0)),
    ).toMatchObject({ status: 'False', message: 'the runtime init failed: refused' });
  });

  it('lets Ready through once initialised, or when the operator has nothing to initialise', () => {
    expect(gateReadyOnRuntimeInit(podReady, withRuntimeInitialized({}, { reason: 'Succeeded' }, T0))).toBe(podReady);
    expect(gateReadyOnRuntimeInit(podReady, {})).toBe(podReady);
  });

  it('leaves a pod that is not ready as it is', () => {
    const notReady = { type: 'Ready', status: 'False', reason: 'ContainersNotReady' } as const;
    expect(gateReadyOnRuntimeInit(notReady, withRuntimeInitialized({}, { reason: 'Pending' }, T0))).toBe(notReady);
  });

  it('syncReadyFromPod re-derives Ready after the init in one transition, with no flapping', () => {
    const sandbox = withInit(claimed(), 'Pending');
    const pod = aPod({ sandbox, phase: 'Running' });
    const gated = syncReadyFromPod(sandbox.status!, pod, T0);
    expect(ready(gated)).toMatchObject({ status: 'False', reason: 'RuntimeInitializing' });
    // A later pass that changes nothing keeps the condition as it is (a stable status is not rewritten).
    expect(syncReadyFromPod(gated, pod, NOW)).toEqual(gated);
    const done = syncReadyFromPod(withRuntimeInitialized(gated, { reason: 'Succeeded' }, NOW), pod, NOW);
    expect(ready(done)).toMatchObject({ status: 'True', reason: 'PodReady' });
  });
});

describe('reinitDueAfter', () => {
  it('a recreated pod needs the recorded set-up again', () => {
    expect(reinitDueAfter(claimed(), {}, 'pod-recreated')).toBe(true);
    expect(reinitDueAfter(claimed({ [Annotations.CsiVolumeConfig]: '[]x' }), {}, 'pod-recreated')).toBe(true);
  });

  it('nothing recorded, nothing to replay', () => {
    expect(reinitDueAfter(claimed({}), {}, 'pod-recreated')).toBe(false);
    expect(reinitDueAfter(claimed({}), withRuntimeInitialized({}, { reason: 'Succeeded' }, T0), 'image-changed')).toBe(
      false,
    );
  });

  it('an image change re-inits only a runtime the operator initialised (the claimer inits after a claim-time one)', () => {
    expect(reinitDueAfter(claimed(), {}, 'image-changed')).toBe(false);
    expect(reinitDueAfter(claimed(), withRuntimeInitialized({}, { reason: 'Succeeded' }, T0), 'image-changed')).toBe(
      true,
    );
  });
});

describe('decideRuntimeInit', () => {
  const pending = () => withInit(claimed(), 'Pending');
  const podOf = (sandbox: Sandbox, options: Omit<PodOptions, 'sandbox'> = {}) =>
    aPod({ sandbox, phase: 'Running', ...options });

  it('initialises a Running sandbox whose init is outstanding once its pod is ready', () => {
    const sandbox = pending();
    expect(decideRuntimeInit(sandbox, podOf(sandbox), sandbox.status!)).toEqual({
      kind: 'initialise',
      plan: { init: { envVars: { A: '1' }, accessToken: 'tok' }, mounts: [] },
    });
    const failed = withInit(claimed(), 'Failed', 'no answer');
    expect(decideRuntimeInit(failed, podOf(failed), failed.status!).kind).toBe('initialise');
  });

  it('does nothing without an outstanding init, outside Running, or for a sandbox kept as a failed claim', () => {
    const none = claimed();
    expect(decideRuntimeInit(none, podOf(none), none.status!)).toEqual({ kind: 'none' });
    const done = withInit(claimed(), 'Succeeded');
    expect(decideRuntimeInit(done, podOf(done), done.status!)).toEqual({ kind: 'none' });
    const paused = pending();
    expect(decideRuntimeInit(paused, podOf(paused), { ...paused.status!, phase: 'Paused' })).toEqual({ kind: 'none' });
    const reserved = pending();
    reserved.metadata.labels![Labels.ReservedFailedSandbox] = 'true';
    expect(decideRuntimeInit(reserved, podOf(reserved), reserved.status!)).toEqual({ kind: 'none' });
  });

  it('waits for the pod to be ready and for an in-place update to finish', () => {
    const sandbox = pending();
    expect(decideRuntimeInit(sandbox, undefined, sandbox.status!)).toMatchObject({ kind: 'wait' });
    expect(decideRuntimeInit(sandbox, podOf(sandbox, { ready: false }), sandbox.status!)).toMatchObject({
      kind: 'wait',
      waitingFor: 'the pod to be ready',
    });
    expect(decideRuntimeInit(sandbox, podOf(sandbox), withInplaceUpdate(sandbox.status!))).toMatchObject({
      kind: 'wait',
    });
  });

  it('an outstanding init with nothing recorded just completes; an unreadable record fails', () => {
    const empty = withInit(claimed({}), 'Pending');
    expect(decideRuntimeInit(empty, podOf(empty), empty.status!)).toEqual({ kind: 'initialise', plan: { mounts: [] } });
    const broken = withInit(claimed({ [Annotations.InitRuntimeRequest]: 'nope' }), 'Pending');
    expect(decideRuntimeInit(broken, podOf(broken), broken.status!)).toEqual({
      kind: 'fail',
      message: 'annotation agents.kruise.io/init-runtime-request is not JSON',
    });
  });
});
