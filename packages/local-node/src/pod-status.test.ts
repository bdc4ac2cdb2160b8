import { describe, expect, it } from '@jest/globals';
import type { Pod } from '@kruise-agents/kube-runtime';
import { PodConditions } from './constants';
import {
  phaseFor,
  podStatusFor,
  sameStatus,
  type ContainerState,
  type ObservedContainer,
  type ObservedPod,
} from './pod-status';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const running: ContainerState = { kind: 'running', startedAt: T0 };
const creating: ContainerState = { kind: 'waiting', reason: 'ContainerCreating' };
const exited = (exitCode: number): ContainerState => ({
  kind: 'terminated',
  exitCode,
  reason: exitCode ? 'Error' : 'Completed',
  finishedAt: T0,
});
const backoff: ContainerState = { kind: 'waiting', reason: 'CrashLoopBackOff' };

function c(state: ContainerState, extra: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    name: 'main',
    image: 'img',
    imageID: 'local-node://sha256:1',
    state,
    restartCount: 0,
    ready: state.kind === 'running',
    ...extra,
  };
}
function observed(containers: ObservedContainer[], extra: Partial<ObservedPod> = {}): ObservedPod {
  return {
    podIP: '127.64.0.2',
    hostIP: '127.0.0.1',
    isolation: 'none',
    frozen: false,
    containers,
    now: T1,
    startTime: T0,
    ...extra,
  };
}
function pod(spec: Record<string, unknown> = {}, status?: Pod['status']): Pod {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'img' }], ...spec },
    status,
  };
}
const cond = (status: ReturnType<typeof podStatusFor>, type: string) => status.conditions?.find((x) => x.type === type);

describe('phaseFor (kubelet getPhase)', () => {
  const lastExit = exited(1) as Extract<ContainerState, { kind: 'terminated' }>;
  it.each([
    ['Always', [c(creating)], 'Pending'],
    ['Always', [c(running)], 'Running'],
    ['Always', [c(running), c(creating)], 'Pending'],
    ['Always', [c(exited(0))], 'Running'],
    ['Always', [c(backoff, { lastState: lastExit })], 'Running'],
    ['OnFailure', [c(exited(0))], 'Succeeded'],
    ['OnFailure', [c(exited(1))], 'Running'],
    ['Never', [c(exited(0))], 'Succeeded'],
    ['Never', [c(exited(1))], 'Failed'],
    ['Never', [c(exited(0)), c(running)], 'Running'],
    ['Never', [c(exited(0)), c(exited(2))], 'Failed'],
  ] as const)('%s %j → %s', (policy, containers, phase) => {
    expect(phaseFor(policy, containers as unknown as ObservedContainer[])).toBe(phase);
  });
});

describe('podStatusFor', () => {
  it('reports a running, ready pod as a kubelet does', () => {
    const status = podStatusFor(pod(), observed([c(running, { containerID: 'local-node://u/main/0' })]));
    expect(status).toMatchObject({
      phase: 'Running',
      podIP: '127.64.0.2',
      podIPs: [{ ip: '127.64.0.2' }],
      hostIP: '127.0.0.1',
      startTime: T0,
    });
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      expect(cond(status, type)).toEqual({ type, status: 'True', lastTransitionTime: T1 });
    }
    expect(cond(status, PodConditions.Isolated)).toMatchObject({ status: 'False', reason: 'None' });
    expect(status.containerStatuses).toEqual([
      {
        name: 'main',
        ready: true,
        restartCount: 0,
        image: 'img',
        imageID: 'local-node://sha256:1',
        containerID: 'local-node://u/main/0',
        started: true,
        state: { running: { startedAt: T0 } },
        lastState: {},
      },
    ]);
  });

  it('names unready containers', () => {
    const status = podStatusFor(pod(), observed([c(running, { ready: false })]));
    expect(cond(status, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [main]',
    });
  });

  it('is not Ready while frozen, and says so', () => {
    const status = podStatusFor(pod(), observed([c(running)], { frozen: true }));
    expect(cond(status, 'ContainersReady')?.status).toBe('True');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'Frozen' });
    expect(cond(status, PodConditions.Frozen)).toMatchObject({ status: 'True', reason: 'Frozen' });
    const thawed = podStatusFor(pod({}, status), observed([c(running)]));
    expect(cond(thawed, PodConditions.Frozen)).toMatchObject({ status: 'False', reason: 'Thawed' });
    expect(cond(thawed, 'Ready')?.status).toBe('True');
    // A pod never frozen carries no Frozen condition at all.
    expect(cond(podStatusFor(pod(), observed([c(running)])), PodConditions.Frozen)).toBeUndefined();
  });

  it('waits for readiness gates set by others, and keeps their conditions', () => {
    const spec = { readinessGates: [{ conditionType: 'example.com/Gate' }] };
    const closed = podStatusFor(pod(spec), observed([c(running)]));
    expect(cond(closed, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    const gate = { type: 'example.com/Gate', status: 'True' as const, lastTransitionTime: T0 };
    const open = podStatusFor(pod(spec, { conditions: [gate] }), observed([c(running)]));
    expect(cond(open, 'Ready')?.status).toBe('True');
    expect(cond(open, 'example.com/Gate')).toEqual(gate);
  });

  it('keeps lastTransitionTime while a condition holds, and startTime for ever', () => {
    const first = podStatusFor(pod(), observed([c(running)], { now: T0 }));
    const again = podStatusFor(pod({}, first), observed([c(running)], { now: T1, startTime: T1 }));
    expect(sameStatus(first, again)).toBe(true);
    const unready = podStatusFor(pod({}, first), observed([c(running, { ready: false })], { now: T1 }));
    expect(cond(unready, 'Ready')?.lastTransitionTime).toBe(T1);
    expect(cond(unready, 'PodScheduled')?.lastTransitionTime).toBe(T0);
    expect(unready.startTime).toBe(T0);
  });

  it('never leaves Succeeded or Failed', () => {
    const status = podStatusFor(pod({ restartPolicy: 'Always' }, { phase: 'Failed' }), observed([c(running)]));
    expect(status.phase).toBe('Failed');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('reports terminated and waiting states with the last termination', () => {
    const last = { kind: 'terminated', exitCode: 3, reason: 'Error', startedAt: T0, finishedAt: T1 } as const;
    const status = podStatusFor(
      pod(),
      observed([
        c(
          { kind: 'waiting', reason: 'CrashLoopBackOff', message: 'back-off 10s' },
          { lastState: last, restartCount: 2 },
        ),
      ]),
    );
    expect(status.containerStatuses?.[0]).toMatchObject({
      ready: false,
      restartCount: 2,
      started: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } },
      lastState: { terminated: { exitCode: 3, reason: 'Error', startedAt: T0, finishedAt: T1 } },
    });
    expect(status.phase).toBe('Running');
  });

  it.each([
    ['bubblewrap', 'True', 'Bubblewrap'],
    ['none', 'False', 'None'],
    ['virtual', 'False', 'Virtual'],
  ] as const)('isolation %s → Isolated=%s (%s)', (isolation, s, reason) => {
    expect(cond(podStatusFor(pod(), observed([c(running)], { isolation })), PodConditions.Isolated)).toMatchObject({
      status: s,
      reason,
    });
  });

  it('compares statuses regardless of key order', () => {
    expect(sameStatus({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(sameStatus({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });

  it('is Pending with Initialized=False until the init containers complete, and fails on a failed one under Never', () => {
    const init = (state: ContainerState, extra: Partial<ObservedContainer> = {}) =>
      c(state, { name: 'setup', ...extra });
    const waiting: ContainerState = { kind: 'waiting', reason: 'PodInitializing' };
    const initializing = podStatusFor(
      pod(),
      observed([c(waiting)], { initContainers: [init(running)], initialized: false }),
    );
    expect(initializing.phase).toBe('Pending');
    expect(cond(initializing, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
    expect((initializing as Record<string, unknown>).initContainerStatuses).toHaveLength(1);
    const done = podStatusFor(pod(), observed([c(running)], { initContainers: [init(exited(0))], initialized: true }));
    expect(done.phase).toBe('Running');
    expect(cond(done, 'Initialized')?.status).toBe('True');
    const failed = podStatusFor(
      pod({ restartPolicy: 'Never' }),
      observed([c(waiting)], { initContainers: [init(exited(1))], initialized: false }),
    );
    expect(failed.phase).toBe('Failed');
    const retrying = podStatusFor(
      pod(),
      observed([c(waiting)], { initContainers: [init(exited(1))], initialized: false }),
    );
    expect(retrying.phase).toBe('Pending');
  });

  it('counts a native sidecar in ContainersReady', () => {
    const sidecar = c(running, { name: 'proxy', sidecar: true, ready: false });
    const status = podStatusFor(pod(), observed([c(running)], { initContainers: [sidecar], initialized: true }));
    expect(cond(status, 'ContainersReady')).toMatchObject({
      status: 'False',
      message: 'containers with unready status: [proxy]',
    });
  });
});
