/**
 * What to do next with one container, and with a pod's init containers: the pure decisions of the pod worker, apart
 * from the processes they act on, so each rule is table-tested.
 */
import type { ContainerState, TerminatedState } from './pod-status';
import { shouldRestart } from './restart';

export interface RunView {
  state: ContainerState;
  lastState?: TerminatedState;
  restartCount: number;
  /** Crashes in a row, for the back-off. */
  crashes: number;
  /** Epoch ms before which a crashed container is not restarted. */
  backoffUntil?: number;
  /** The image the current (or last) run is for. */
  image: string;
  /** A start or a stop is in flight. */
  busy: boolean;
}

export type Action =
  | { kind: 'none' }
  | { kind: 'start'; restart: boolean }
  /** The claim-time upgrade: a running container's image changed; restart it in place with the new mapping. */
  | { kind: 'image-change' }
  | { kind: 'back-off'; waitMs: number };

export interface DecideContext {
  frozen: boolean;
  /** The pod reached Succeeded or Failed: nothing starts again. */
  finished: boolean;
  now: number;
}

export function decideContainer(run: RunView, specImage: string, policy: string, ctx: DecideContext): Action {
  if (run.busy) return { kind: 'none' };
  if (run.state.kind === 'running') {
    return specImage !== run.image && !ctx.frozen ? { kind: 'image-change' } : { kind: 'none' };
  }
  // Frozen: nothing starts until thawed (a crashed container waits too).
  if (ctx.frozen || ctx.finished) return { kind: 'none' };
  const neverRan = run.state.kind === 'waiting' && !run.lastState && run.restartCount === 0 && run.crashes === 0;
  if (neverRan) return { kind: 'start', restart: false };
  const exitCode = run.state.kind === 'terminated' ? run.state.exitCode : (run.lastState?.exitCode ?? 1);
  // A program that could not be started is retried whatever the policy: it never ran.
  const spawnFailed = run.state.kind === 'waiting' && run.state.reason === 'RunContainerError';
  if (!spawnFailed && !shouldRestart(policy, exitCode)) return { kind: 'none' };
  if (run.backoffUntil !== undefined && ctx.now < run.backoffUntil)
    return { kind: 'back-off', waitMs: run.backoffUntil - ctx.now };
  return { kind: 'start', restart: !spawnFailed };
}

/** The waiting state a kubelet shows between a crash and the restart. */
export function crashLoopWaiting(waitMs: number, container: string, pod: string): ContainerState {
  const seconds = Math.ceil(waitMs / 1000);
  return {
    kind: 'waiting',
    reason: 'CrashLoopBackOff',
    message: `back-off ${seconds}s restarting failed container=${container} pod=${pod}`,
  };
}

export interface InitContainerView {
  name: string;
  /** A restartable init container (native sidecar): it need only have started. */
  sidecar: boolean;
  state: ContainerState;
}

/**
 * The init container to work on now, with the restartPolicy that applies to it; undefined once all have completed
 * (sidecars: started). A failed init container is retried unless the pod restarts nothing (then the pod fails).
 */
export function nextInitContainer(
  inits: readonly InitContainerView[],
  podPolicy: string,
): { name: string; policy: string } | undefined {
  for (const c of inits) {
    if (c.sidecar) {
      if (c.state.kind === 'running') continue;
      return { name: c.name, policy: 'Always' };
    }
    if (c.state.kind === 'terminated' && c.state.exitCode === 0) continue;
    return { name: c.name, policy: podPolicy === 'Never' ? 'Never' : 'OnFailure' };
  }
  return undefined;
}

/** The terminated state of a run that just exited. */
export function exitedState(
  exit: { exitCode: number; signal?: string; finishedAt: string },
  startedAt: string | undefined,
  killedFor?: string,
): TerminatedState {
  const state: TerminatedState = {
    kind: 'terminated',
    exitCode: exit.exitCode,
    reason: exit.exitCode === 0 ? 'Completed' : 'Error',
    startedAt,
    finishedAt: exit.finishedAt,
  };
  if (exit.signal) state.message = `killed by ${exit.signal}`;
  if (killedFor) state.message = killedFor;
  return state;
}
