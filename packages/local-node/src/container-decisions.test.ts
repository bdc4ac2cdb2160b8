import { describe, expect, it } from '@jest/globals';
import { crashLoopWaiting, decideContainer, exitedState, nextInitContainer, type RunView } from './container-decisions';
import type { ContainerState } from './pod-status';

const T = '2026-01-01T00:00:00Z';
const running: ContainerState = { kind: 'running', startedAt: T };
const exited = (exitCode: number): ContainerState => ({ kind: 'terminated', exitCode, reason: 'x', finishedAt: T });
const run = (state: ContainerState, extra: Partial<RunView> = {}): RunView => ({
  state,
  restartCount: 0,
  crashes: 0,
  image: 'img:1',
  busy: false,
  ...extra,
});
const ctx = { frozen: false, finished: false, now: 1000 };

describe('decideContainer', () => {
  it.each([
    [
      'a new container starts',
      run({ kind: 'waiting', reason: 'ContainerCreating' }),
      'Always',
      ctx,
      { kind: 'start', restart: false },
    ],
    ['a running one stays', run(running), 'Always', ctx, { kind: 'none' }],
    ['a new image restarts it in place', run(running, { image: 'img:0' }), 'Always', ctx, { kind: 'image-change' }],
    ['…but not while frozen', run(running, { image: 'img:0' }), 'Always', { ...ctx, frozen: true }, { kind: 'none' }],
    ['a busy one waits', run(exited(1), { busy: true, crashes: 1 }), 'Always', ctx, { kind: 'none' }],
    ['a crash restarts (Always)', run(exited(1), { crashes: 1 }), 'Always', ctx, { kind: 'start', restart: true }],
    ['a clean exit restarts (Always)', run(exited(0), { crashes: 1 }), 'Always', ctx, { kind: 'start', restart: true }],
    ['a clean exit stays (OnFailure)', run(exited(0), { crashes: 1 }), 'OnFailure', ctx, { kind: 'none' }],
    ['a crash stays (Never)', run(exited(2), { crashes: 1 }), 'Never', ctx, { kind: 'none' }],
    [
      'in back-off it waits',
      run(exited(1), { crashes: 2, backoffUntil: 3500 }),
      'Always',
      ctx,
      { kind: 'back-off', waitMs: 2500 },
    ],
    [
      'after back-off it restarts',
      run(exited(1), { crashes: 2, backoffUntil: 900 }),
      'Always',
      ctx,
      { kind: 'start', restart: true },
    ],
    [
      'a crashed one waits while frozen',
      run(exited(1), { crashes: 1 }),
      'Always',
      { ...ctx, frozen: true },
      { kind: 'none' },
    ],
    [
      'nothing starts in a finished pod',
      run(exited(1), { crashes: 1 }),
      'Always',
      { ...ctx, finished: true },
      { kind: 'none' },
    ],
    [
      'a program that never started is retried even under Never',
      run({ kind: 'waiting', reason: 'RunContainerError' }, { crashes: 1 }),
      'Never',
      ctx,
      { kind: 'start', restart: false },
    ],
  ] as const)('%s', (_name, r, policy, c, action) => {
    expect(decideContainer(r, 'img:1', policy, c)).toEqual(action);
  });
});

describe('nextInitContainer', () => {
  const done = exited(0);
  it.each([
    [[], 'Always', undefined],
    [[{ name: 'a', sidecar: false, state: done }], 'Always', undefined],
    [
      [
        { name: 'a', sidecar: false, state: done },
        { name: 'b', sidecar: false, state: exited(1) },
      ],
      'Always',
      { name: 'b', policy: 'OnFailure' },
    ],
    [[{ name: 'a', sidecar: false, state: exited(1) }], 'Never', { name: 'a', policy: 'Never' }],
    [
      [
        { name: 's', sidecar: true, state: running },
        { name: 'b', sidecar: false, state: running },
      ],
      'Always',
      { name: 'b', policy: 'OnFailure' },
    ],
    [[{ name: 's', sidecar: true, state: exited(1) }], 'Never', { name: 's', policy: 'Always' }],
  ] as const)('%j under %s → %j', (inits, policy, next) => {
    expect(nextInitContainer(inits, policy)).toEqual(next);
  });
});

describe('states', () => {
  it('reports exits as a kubelet does', () => {
    expect(exitedState({ exitCode: 0, finishedAt: T }, T)).toEqual({
      kind: 'terminated',
      exitCode: 0,
      reason: 'Completed',
      startedAt: T,
      finishedAt: T,
    });
    expect(exitedState({ exitCode: 143, signal: 'SIGTERM', finishedAt: T }, T)).toMatchObject({
      reason: 'Error',
      message: 'killed by SIGTERM',
    });
    expect(exitedState({ exitCode: 143, finishedAt: T }, T, 'failed its liveness probe').message).toBe(
      'failed its liveness probe',
    );
    expect(crashLoopWaiting(9_500, 'main', 'p')).toEqual({
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=main pod=p',
    });
  });
});
