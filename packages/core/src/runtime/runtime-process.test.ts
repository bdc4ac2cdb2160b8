import { describe, expect, it } from '@jest/globals';
import { Annotations, Labels, type Sandbox, type SandboxStatus } from '@kruise-agents/api';
import type { ContainerStatus, Pod } from '../pod';
import { sandboxStatusFromPod } from '../sandbox/status-from-pod';
import { MINUTE, T0, aPod, aSandbox, withInplaceUpdate } from '../testing';
import { decideRuntimeInit, runtimeInitializedCondition, withRuntimeInitialized } from './runtime-initialized';
import {
  initialisedRuntimeProcess,
  lastSeenRuntimeProcess,
  noticeRuntimeRestart,
  runningRuntimeProcess,
  runtimeContainerStatus,
  runtimeInitSucceeded,
  runtimeRestartSinceInit,
  withRuntimeProcessSeen,
} from './runtime-process';

const NOW = T0 + MINUTE;
const REQUEST = '{"envVars":{"A":"1"},"accessToken":"tok"}';
const FIRST = 'local-node://pod-uid/main/0';
const SECOND = 'local-node://pod-uid/main/1';
const THIRD = 'local-node://pod-uid/main/2';

const claimed = (annotations: Record<string, string> = { [Annotations.InitRuntimeRequest]: REQUEST }) =>
  aSandbox({ name: 's', annotations });

/** A ready pod whose first container runs as `containerID` (or, with `running: false`, has stopped). */
function podRunning(sandbox: Sandbox, containerID: string | undefined, options: { running?: boolean } = {}): Pod {
  const pod = aPod({ sandbox, phase: 'Running', ready: options.running ?? true });
  const main = pod.status!.containerStatuses![0]!;
  main.state = options.running === false ? { terminated: { exitCode: 137, reason: 'Error' } } : { running: {} };
  if (containerID) main.containerID = containerID;
  return pod;
}

/** The sandbox after an init that reached `pod`'s runtime. */
function initialisedOn(pod: Pod | undefined, sandbox = claimed()): Sandbox {
  return { ...sandbox, status: withRuntimeInitialized(sandbox.status!, runtimeInitSucceeded(pod), T0) };
}

const ready = (status: SandboxStatus) => status.conditions?.find((c) => c.type === 'Ready');

describe('the runtime process', () => {
  it('runs in the `runtime` init container when the pod has one, else in the first container', () => {
    const pod = podRunning(claimed(), FIRST);
    expect(runtimeContainerStatus(pod)?.name).toBe('main');
    const sidecar: ContainerStatus = {
      name: 'runtime',
      state: { running: {} },
      containerID: 'containerd://abc',
    };
    pod.status!.initContainerStatuses = [{ name: 'setup', state: { terminated: { exitCode: 0 } } }, sidecar];
    expect(runningRuntimeProcess(pod)).toBe('containerd://abc');
  });

  it('follows the spec’s first container, whatever order the statuses come in', () => {
    const pod = podRunning(claimed(), FIRST);
    pod.spec!.containers = [{ name: 'main' }, { name: 'tools' }];
    pod.status!.containerStatuses!.unshift({ name: 'tools', state: { running: {} }, containerID: 'other' });
    expect(runningRuntimeProcess(pod)).toBe(FIRST);
  });

  it('is named only while it runs and the node reports its containerID', () => {
    expect(runningRuntimeProcess(podRunning(claimed(), FIRST))).toBe(FIRST);
    expect(runningRuntimeProcess(podRunning(claimed(), FIRST, { running: false }))).toBeUndefined();
    expect(runningRuntimeProcess(podRunning(claimed(), undefined))).toBeUndefined();
    expect(runningRuntimeProcess(undefined)).toBeUndefined();
  });
});

describe('the process a successful init records', () => {
  it('is named in the True condition’s message, read back as it was written', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    expect(runtimeInitializedCondition(sandbox.status)).toMatchObject({
      status: 'True',
      reason: 'Succeeded',
      message: `initialised in container ${FIRST}`,
    });
    expect(initialisedRuntimeProcess(sandbox.status)).toBe(FIRST);
  });

  it('is none when no process was seen running, and never read from a condition that is not True', () => {
    expect(runtimeInitSucceeded(undefined)).toEqual({ reason: 'Succeeded' });
    expect(initialisedRuntimeProcess(initialisedOn(undefined).status)).toBeUndefined();
    const pending = withRuntimeInitialized({}, { reason: 'Pending', message: `initialised in container ${FIRST}` }, T0);
    expect(initialisedRuntimeProcess(pending)).toBeUndefined();
    expect(initialisedRuntimeProcess({})).toBeUndefined();
  });
});

describe('runtimeRestartSinceInit', () => {
  it('is due when the runtime runs as another process than the one initialised: a crash restart, a node restart', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, SECOND), sandbox.status!)).toEqual({
      initialised: FIRST,
      running: SECOND,
    });
  });

  it('is not due for the process that was initialised (also one a restarted node adopted: same containerID)', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, FIRST), sandbox.status!)).toBeUndefined();
  });

  it('waits while the new process is not running yet: it is judged once it runs', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, FIRST, { running: false }), sandbox.status!)).toBe(
      undefined,
    );
  });

  it('is due when the init named no process: one /init too many is harmless, one too few is not', () => {
    const sandbox = initialisedOn(undefined);
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, FIRST), sandbox.status!)).toEqual({ running: FIRST });
  });

  it('is not the operator’s to judge without a True condition, a recorded set-up, a pod, or the Running phase', () => {
    const none = claimed();
    expect(runtimeRestartSinceInit(none, podRunning(none, SECOND), none.status!)).toBeUndefined();
    const pending = { ...none, status: withRuntimeInitialized(none.status!, { reason: 'Pending' }, T0) };
    expect(runtimeRestartSinceInit(pending, podRunning(pending, SECOND), pending.status!)).toBeUndefined();
    const nothingRecorded = initialisedOn(podRunning(claimed(), FIRST), claimed({}));
    expect(
      runtimeRestartSinceInit(nothingRecorded, podRunning(nothingRecorded, SECOND), nothingRecorded.status!),
    ).toBeUndefined();
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    expect(runtimeRestartSinceInit(sandbox, undefined, sandbox.status!)).toBeUndefined();
    const deleting = podRunning(sandbox, SECOND);
    deleting.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(runtimeRestartSinceInit(sandbox, deleting, sandbox.status!)).toBeUndefined();
    expect(
      runtimeRestartSinceInit(sandbox, podRunning(sandbox, SECOND), { ...sandbox.status!, phase: 'Paused' }),
    ).toBeUndefined();
  });

  it('leaves a restart for a new image to the in-place update, whose own re-init follows it', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    const updating = withInplaceUpdate(sandbox.status!);
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, SECOND), updating)).toBeUndefined();
  });
});

describe('noticeRuntimeRestart', () => {
  it('turns the condition Pending and holds Ready False in the same status, so it is never written Ready', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    const pod = podRunning(sandbox, SECOND);
    const mirrored = sandboxStatusFromPod(sandbox, pod, { now: NOW });
    expect(ready(mirrored)?.status).toBe('True');
    const next = noticeRuntimeRestart(sandbox, pod, mirrored, NOW);
    expect(runtimeInitializedCondition(next)).toMatchObject({
      status: 'False',
      reason: 'Pending',
      message: `the runtime is a new process (container ${SECOND}, initialised ${FIRST}): it is initialised again`,
    });
    expect(ready(next)).toMatchObject({ status: 'False', reason: 'RuntimeInitializing' });
    // The Running phase's runtime-init step takes it from there, and its success names the new process.
    expect(decideRuntimeInit(sandbox, pod, next)).toEqual({
      kind: 'initialise',
      plan: { init: { envVars: { A: '1' }, accessToken: 'tok' }, mounts: [] },
    });
    const done = withRuntimeInitialized(next, runtimeInitSucceeded(pod), NOW);
    expect(initialisedRuntimeProcess(done)).toBe(SECOND);
    expect(noticeRuntimeRestart(sandbox, pod, done, NOW)).toBe(done);
  });

  it('returns the status itself when nothing restarted and the process seen is the one running', () => {
    const sandbox = initialisedOn(podRunning(claimed(), FIRST));
    const status = withRuntimeProcessSeen(sandbox.status!, podRunning(sandbox, FIRST));
    expect(noticeRuntimeRestart(sandbox, podRunning(sandbox, FIRST), status, NOW)).toBe(status);
  });

  it('says so when the process initialised was not known', () => {
    const sandbox = initialisedOn(undefined);
    const next = noticeRuntimeRestart(sandbox, podRunning(sandbox, FIRST), sandbox.status!, NOW);
    expect(runtimeInitializedCondition(next)?.message).toBe(
      `the runtime process initialised is not known (container ${FIRST} runs): it is initialised again`,
    );
  });
});

/** `sandbox` as the status last written left it: its runtime seen running as `containerID`, no condition. */
function seenRunning(containerID: string, sandbox = claimed()): Sandbox {
  return { ...sandbox, status: withRuntimeProcessSeen(sandbox.status!, podRunning(sandbox, containerID)) };
}

describe('the runtime process the status last saw', () => {
  it('follows the pod while the runtime runs, and is kept while none does', () => {
    const sandbox = claimed();
    expect(lastSeenRuntimeProcess(sandbox.status)).toBeUndefined();
    const first = withRuntimeProcessSeen(sandbox.status!, podRunning(sandbox, FIRST));
    expect(first.podInfo).toMatchObject({ ...sandbox.status!.podInfo, runtimeContainerID: FIRST });
    expect(lastSeenRuntimeProcess(first)).toBe(FIRST);
    expect(withRuntimeProcessSeen(first, podRunning(sandbox, FIRST))).toBe(first);
    expect(withRuntimeProcessSeen(first, podRunning(sandbox, FIRST, { running: false }))).toBe(first);
    expect(withRuntimeProcessSeen(first, undefined)).toBe(first);
    expect(lastSeenRuntimeProcess(withRuntimeProcessSeen(first, podRunning(sandbox, SECOND)))).toBe(SECOND);
  });

  it('is written for every Running sandbox, pool members too: the status a claim is written on names it', () => {
    const member = aSandbox({ name: 'member' });
    const pod = podRunning(member, FIRST);
    const next = noticeRuntimeRestart(member, pod, sandboxStatusFromPod(member, pod, { now: NOW }), NOW);
    expect(lastSeenRuntimeProcess(next)).toBe(FIRST);
    expect(runtimeInitializedCondition(next)).toBeUndefined();
    expect(ready(next)?.status).toBe('True');
  });
});

describe('a sandbox its claimer initialised itself (no condition: the gateway’s create)', () => {
  it('is due when the runtime is another process than the one the status last saw', () => {
    const sandbox = seenRunning(FIRST);
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, SECOND), sandbox.status!)).toEqual({
      lastSeen: FIRST,
      running: SECOND,
    });
  });

  it('is not due for the same process, nor while the new one is not running yet', () => {
    const sandbox = seenRunning(FIRST);
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, FIRST), sandbox.status!)).toBeUndefined();
    const stopped = podRunning(sandbox, SECOND, { running: false });
    expect(runtimeRestartSinceInit(sandbox, stopped, sandbox.status!)).toBeUndefined();
  });

  it('takes the process running now as the one handed over when the status has seen none yet', () => {
    // Created already claimed (no stock): the claimer waited for Ready, which the status gives together with the
    // process; or a sandbox written before the status kept the process.
    const sandbox = claimed();
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, FIRST), sandbox.status!)).toBeUndefined();
  });

  it('is never due for a sandbox with nothing recorded to send: a pool member, a claim that skipped the runtime', () => {
    const member = seenRunning(FIRST, claimed({}));
    expect(runtimeRestartSinceInit(member, podRunning(member, SECOND), member.status!)).toBeUndefined();
  });

  it('is not due for a sandbox kept as a failed claim, nor outside the Running phase', () => {
    const reserved = seenRunning(FIRST);
    reserved.metadata.labels = { ...reserved.metadata.labels, [Labels.ReservedFailedSandbox]: 'true' };
    expect(runtimeRestartSinceInit(reserved, podRunning(reserved, SECOND), reserved.status!)).toBeUndefined();
    const sandbox = seenRunning(FIRST);
    const paused = { ...sandbox.status!, phase: 'Paused' as const };
    expect(runtimeRestartSinceInit(sandbox, podRunning(sandbox, SECOND), paused)).toBeUndefined();
  });

  it('leaves a restart for a new image to the claimer, also in the pass that sees the update finish', () => {
    const sandbox = seenRunning(FIRST);
    const during = { ...sandbox, status: withInplaceUpdate(sandbox.status!) };
    const pod = podRunning(sandbox, SECOND);
    expect(runtimeRestartSinceInit(during, pod, during.status)).toBeUndefined();
    // The pass that sees the update done writes Succeeded over a status that still says InplaceUpdating.
    const finished = withInplaceUpdate(during.status, 'Succeeded');
    expect(runtimeRestartSinceInit(during, pod, finished)).toBeUndefined();
    // Meanwhile the status follows the new process, which the claimer's own /init (after Ready) reaches.
    expect(lastSeenRuntimeProcess(noticeRuntimeRestart(during, pod, finished, NOW))).toBe(SECOND);
  });

  it('is noticed in the write that moves the process seen: Pending, Ready held back, then replayed and recorded', () => {
    const sandbox = seenRunning(FIRST);
    const pod = podRunning(sandbox, SECOND);
    const next = noticeRuntimeRestart(sandbox, pod, sandboxStatusFromPod(sandbox, pod, { now: NOW }), NOW);
    expect(lastSeenRuntimeProcess(next)).toBe(SECOND);
    expect(runtimeInitializedCondition(next)).toMatchObject({
      status: 'False',
      reason: 'Pending',
      message: `the runtime is a new process (container ${SECOND}, ${FIRST} before): it is initialised again`,
    });
    expect(ready(next)).toMatchObject({ status: 'False', reason: 'RuntimeInitializing' });
    expect(decideRuntimeInit(sandbox, pod, next)).toEqual({
      kind: 'initialise',
      plan: { init: { envVars: { A: '1' }, accessToken: 'tok' }, mounts: [] },
    });
    // From then on the condition is the baseline, as for a sandbox the operator initialised.
    const done = { ...sandbox, status: withRuntimeInitialized(next, runtimeInitSucceeded(pod), NOW) };
    expect(noticeRuntimeRestart(done, pod, done.status, NOW)).toBe(done.status);
    expect(runtimeRestartSinceInit(done, podRunning(sandbox, THIRD), done.status)).toEqual({
      initialised: SECOND,
      running: THIRD,
    });
  });

  it('is noticed once: the Pending condition it wrote carries the re-init from then on', () => {
    const sandbox = seenRunning(FIRST);
    const pod = podRunning(sandbox, SECOND);
    const written = { ...sandbox, status: noticeRuntimeRestart(sandbox, pod, sandbox.status!, NOW) };
    expect(noticeRuntimeRestart(written, pod, written.status, NOW)).toBe(written.status);
  });
});
