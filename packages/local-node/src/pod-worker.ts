/**
 * One pod on this node: its containers' runs, readiness, restarts with back-off, in-place image changes, freeze and
 * thaw, and graceful termination. `sync` is level-triggered and never blocks on a process: it starts what should run
 * and begins what should stop; every process event calls `changed`, and the node syncs the pod again.
 */
import path from 'node:path';
import type { Pod } from '@kruise-agents/kube-runtime';
import { FROZEN_ANNOTATION } from './constants';
import { crashLoopWaiting, decideContainer, nextInitContainer } from './container-decisions';
import {
  attachRun,
  containerID,
  newRun,
  startRun,
  stopRun,
  type Run,
  type RunHost,
  type WorkerDeps,
} from './container-run';
import { buildLaunchSpec, type ContainerSpec } from './launch-spec';
import type { ObservedContainer, ObservedPod, TerminatedState } from './pod-status';
import type { ProcessRecord, StartRequest } from './runtime';
import { containerLogFile } from './state-store';
import { rfc3339 } from './time';

/** What a restarted node knows about a container from before. */
export interface PriorContainer {
  name: string;
  image: string;
  imageID: string;
  restartCount: number;
  /** The process still alive (adopt it), or undefined (it is gone). */
  record?: ProcessRecord;
  /** An init container that had completed (exit 0): it does not run again. */
  completed?: boolean;
  lastState?: TerminatedState;
}

export type { WorkerDeps };

export class PodWorker {
  readonly uid: string;
  private pod: Pod;
  private readonly runs = new Map<string, Run>();
  private frozenApplied: boolean | undefined = false;
  private termination: Promise<void> | undefined;
  private done = false;
  private readonly inflight = new Set<Promise<void>>();
  /** Every init container has completed (or, for a sidecar, started); latched, as in the kubelet. */
  private initialized = false;
  readonly startTime = rfc3339();

  constructor(
    pod: Pod,
    readonly podIP: string,
    readonly podDir: string,
    private readonly deps: WorkerDeps,
    prior: PriorContainer[] = [],
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    for (const p of prior) this.restore(p);
    // Containers ran before the restart: the pod was initialized then, and its init containers do not run again.
    const mainNames = new Set(this.containerSpecs().map((c) => c.name));
    if (prior.some((p) => mainNames.has(p.name) && p.imageID)) this.initialized = true;
    // Adopted processes may be stopped or running: the first sync sends the signal the annotation asks for.
    if (prior.some((p) => p.record)) this.frozenApplied = undefined;
  }

  get currentPod(): Pod {
    return this.pod;
  }

  get sandboxRoot(): string {
    return path.join(this.podDir, 'root');
  }

  get terminated(): boolean {
    return this.done;
  }

  get terminating(): boolean {
    return this.termination !== undefined;
  }

  /** Records of the live processes, for the node's state file. */
  records(): PriorContainer[] {
    const initNames = new Set(this.initSpecs().map((c) => c.name));
    return [...this.runs.values()].map((run) => ({
      name: run.name,
      image: run.image,
      imageID: run.imageID,
      restartCount: run.restartCount,
      record: run.running?.record,
      completed:
        initNames.has(run.name) && run.state.kind === 'terminated' && run.state.exitCode === 0 ? true : undefined,
    }));
  }

  /**
   * Brings the containers in line with the pod: init containers one after another (restartable ones, the native
   * sidecars, only need to have started), then the containers. Returns ms until a back-off ends (sync again then), if
   * any, and the starts it began (quick: a spawn), so the caller can report their outcome in the same status write.
   */
  sync(pod: Pod): { wakeMs?: number; starting: Array<Promise<void>> } {
    const starting: Array<Promise<void>> = [];
    this.pod = pod;
    if (this.termination) return { starting };
    const wantFrozen = pod.metadata.annotations?.[FROZEN_ANNOTATION] === 'true';
    const policy = (pod.spec.restartPolicy as string | undefined) ?? 'Always';
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const step = { wantFrozen, finished, starting, wake: undefined as number | undefined };
    if (!this.initialized) {
      const inits = this.initSpecs().map((spec) => {
        const run = this.runs.get(spec.name) ?? this.addRun(spec);
        return { name: spec.name, sidecar: isSidecar(spec), state: run.state, spec, run };
      });
      const next = nextInitContainer(inits, policy);
      const current = next && inits.find((c) => c.name === next.name);
      if (next && current) this.step(current.run, current.spec, next.policy, step);
      else this.initialized = true;
    }
    if (this.initialized) {
      for (const spec of this.initSpecs()) {
        if (isSidecar(spec)) this.step(this.runs.get(spec.name) ?? this.addRun(spec), spec, 'Always', step);
      }
      for (const spec of this.containerSpecs())
        this.step(this.runs.get(spec.name) ?? this.addRun(spec), spec, policy, step);
    }
    this.applyFreeze(wantFrozen);
    return { wakeMs: step.wake, starting };
  }

  /** One container: start it, restart it (per policy, after its back-off), or restart it for a new image. */
  private step(
    run: Run,
    spec: ContainerSpec,
    policy: string,
    ctx: { wantFrozen: boolean; finished: boolean; starting: Array<Promise<void>>; wake: number | undefined },
  ): void {
    const action = decideContainer(run, spec.image ?? '', policy, {
      frozen: ctx.wantFrozen,
      finished: ctx.finished,
      now: Date.now(),
    });
    if (action.kind === 'image-change') void this.restartForImage(run, spec);
    else if (action.kind === 'start') ctx.starting.push(this.start(run, spec, action.restart));
    else if (action.kind === 'back-off') {
      ctx.wake = Math.min(ctx.wake ?? Infinity, action.waitMs);
      if (run.state.kind === 'terminated') {
        run.lastState = run.state;
        run.state = crashLoopWaiting(action.waitMs, run.name, this.pod.metadata.name ?? '');
      }
    }
  }

  observe(now: string): ObservedPod {
    const wantFrozen = this.pod.metadata.annotations?.[FROZEN_ANNOTATION] === 'true';
    const view = (spec: ContainerSpec, initializing: boolean): ObservedContainer => {
      const run = this.runs.get(spec.name) ?? this.addRun(spec);
      const { name, image, imageID, containerID, lastState, restartCount, ready } = run;
      const neverRan = run.state.kind === 'waiting' && run.state.reason === 'ContainerCreating' && !lastState;
      const state = initializing && neverRan ? { kind: 'waiting' as const, reason: 'PodInitializing' } : run.state;
      const c: ObservedContainer = { name, image, imageID, containerID, state, lastState, restartCount, ready };
      if (isSidecar(spec)) c.sidecar = true;
      return c;
    };
    const notes = [...this.runs.values()].flatMap((r) => r.notes);
    const observed: ObservedPod = {
      podIP: this.podIP,
      hostIP: '127.0.0.1',
      startTime: this.startTime,
      isolation: this.deps.runtime.isolation,
      frozen: wantFrozen && this.frozenApplied === true,
      containers: this.containerSpecs().map((spec) => view(spec, !this.initialized)),
      now,
      message: notes.length ? notes.join('; ') : undefined,
    };
    if (this.initSpecs().length) {
      observed.initContainers = this.initSpecs().map((spec) => view(spec, false));
      observed.initialized = this.initialized;
    }
    return observed;
  }

  /** Graceful stop of every container (deletion): SIGTERM, the grace period, SIGKILL. Idempotent. */
  terminate(graceMs: number): Promise<void> {
    this.termination ??= (async () => {
      // A start in flight finishes first, so its process is stopped too and nothing writes into a removed directory.
      await Promise.all(this.inflight);
      await Promise.all([...this.runs.values()].map((run) => stopRun(run, graceMs)));
      this.done = true;
      this.deps.persist();
    })();
    return this.termination;
  }

  /** SIGKILL everything at once (node shutdown after its grace, or process exit). */
  killAll(): void {
    for (const run of this.runs.values()) run.running?.kill();
  }

  private containerSpecs(): ContainerSpec[] {
    return this.pod.spec.containers as unknown as ContainerSpec[];
  }

  private initSpecs(): ContainerSpec[] {
    return (this.pod.spec.initContainers as ContainerSpec[] | undefined) ?? [];
  }

  private addRun(spec: ContainerSpec): Run {
    const run = newRun(spec);
    this.runs.set(spec.name, run);
    return run;
  }

  private restore(prior: PriorContainer): void {
    const spec = [...this.initSpecs(), ...this.containerSpecs()].find((c) => c.name === prior.name);
    // A container that never started before the restart simply starts now.
    if (!spec || (!prior.record && !prior.imageID)) return;
    const run = this.addRun(spec);
    run.image = prior.image;
    run.imageID = prior.imageID;
    run.restartCount = prior.restartCount;
    run.lastState = prior.lastState;
    if (prior.completed) {
      run.state = {
        kind: 'terminated',
        exitCode: 0,
        reason: 'Completed',
        finishedAt: rfc3339(),
        containerID: containerID(this.uid, run),
      };
    } else if (prior.record) {
      const running = this.deps.runtime.adopt(prior.record, this.startRequest(spec, run.restartCount));
      run.state = { kind: 'running', startedAt: running.startedAt };
      run.startedMs = Date.parse(running.startedAt);
      run.containerID = containerID(this.uid, run);
      attachRun(run, spec, running, this.host);
    } else {
      // Its process is gone (the node was down): the container exited, and restartPolicy decides.
      run.state = {
        kind: 'terminated',
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'the container could not be located when the node restarted',
        finishedAt: rfc3339(),
        containerID: containerID(this.uid, run),
      };
      run.crashes = 1;
    }
  }

  private hostRef?: RunHost;

  /** What the runs of this pod's containers need from it (made on first use, once the constructor has set it up). */
  private get host(): RunHost {
    this.hostRef ??= {
      deps: this.deps,
      uid: this.uid,
      podIP: this.podIP,
      frozen: () => this.frozenApplied === true,
      graceMs: () => graceOf(this.pod),
      startRequest: (spec, restartCount) => this.startRequest(spec, restartCount),
    };
    return this.hostRef;
  }

  private startRequest(spec: ContainerSpec, restartCount: number): StartRequest {
    const resolved = this.deps.images.resolve(spec.image ?? '');
    const launch = buildLaunchSpec(this.pod, spec, resolved, {
      podIP: this.podIP,
      sandboxRoot: this.sandboxRoot,
      nodeName: this.deps.nodeName,
      nodeBinary: this.deps.nodeBinary,
      hostEnv: this.deps.hostEnv,
    });
    return {
      spec: launch,
      sandboxRoot: this.sandboxRoot,
      hostname: this.pod.metadata.name ?? 'pod',
      logFile: containerLogFile(this.podDir, spec.name, restartCount),
    };
  }

  private start(run: Run, spec: ContainerSpec, isRestart: boolean): Promise<void> {
    const started = startRun(run, spec, isRestart, this.host);
    this.inflight.add(started);
    void started.finally(() => this.inflight.delete(started));
    return started;
  }

  private async restartForImage(run: Run, spec: ContainerSpec): Promise<void> {
    run.busy = true;
    const graceMs = graceOf(this.pod);
    try {
      await stopRun(run, graceMs);
    } finally {
      run.busy = false;
    }
    if (this.termination) return;
    // Not a crash: restart at once with the new image, counting the restart as the kubelet does.
    run.crashes = 0;
    run.backoffUntil = undefined;
    await this.start(run, spec, true);
  }

  private applyFreeze(want: boolean): void {
    if (this.frozenApplied === want) return;
    for (const run of this.runs.values()) {
      if (!run.running) continue;
      if (want) {
        run.prober?.pause();
        run.liveness?.pause();
        run.running.freeze();
      } else {
        run.running.thaw();
        run.prober?.resume();
        run.liveness?.resume();
      }
    }
    this.frozenApplied = want;
  }
}

/** The grace period of a deletion (deletionGracePeriodSeconds) or of the pod (terminationGracePeriodSeconds). */
export function graceOf(pod: Pod): number {
  const seconds =
    pod.metadata.deletionGracePeriodSeconds ?? (pod.spec.terminationGracePeriodSeconds as number | undefined) ?? 30;
  return Math.max(0, seconds) * 1000;
}

/** A restartable init container (a native sidecar): it starts in order and then runs beside the containers. */
function isSidecar(spec: ContainerSpec): boolean {
  return (spec as { restartPolicy?: string }).restartPolicy === 'Always';
}
