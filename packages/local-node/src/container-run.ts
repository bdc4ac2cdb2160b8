/**
 * One container's runs: starting its process (with the image entry and launch spec), watching it (readiness and
 * liveness probes, its exit, the crash-loop back-off) and stopping it. The pod worker decides when; this does it.
 */
import type { ContainerSpec } from './launch-spec';
import type { ImageMap } from './image-map';
import type { ObservedContainer } from './pod-status';
import { Prober, type Probe } from './probes';
import { backoffDelay, crashCountAfterExit, type Backoff } from './restart';
import { exitedState, type RunView } from './container-decisions';
import type { ContainerRuntime, RunningContainer, StartRequest } from './runtime';
import { SpawnError } from './process/spawn';

/** What every pod worker (and its containers' runs) gets from the node. */
export interface WorkerDeps {
  runtime: ContainerRuntime;
  images: ImageMap;
  nodeName: string;
  nodeBinary: string;
  hostEnv: Record<string, string | undefined>;
  backoff: Backoff;
  /** The pod needs another sync (a process started, exited, became ready…). */
  changed(): void;
  /** Something worth recording for a node restart changed (a process started or ended). */
  persist(): void;
}

export interface Run extends ObservedContainer, RunView {
  running?: RunningContainer;
  prober?: Prober;
  liveness?: Prober;
  /** The run's start in epoch ms, to tell a crash loop from a long run. */
  startedMs?: number;
  notes: string[];
  /** Why the node stopped the running process itself (shown in the terminated state's message). */
  killedFor?: string;
}

/** What a run needs from its pod. */
export interface RunHost {
  readonly deps: WorkerDeps;
  readonly uid: string;
  readonly podIP: string;
  /** Whether the pod's processes are frozen now. */
  frozen(): boolean;
  /** The pod's grace period, for a stop the node decides on (a failed liveness probe). */
  graceMs(): number;
  startRequest(spec: ContainerSpec, restartCount: number): StartRequest;
}

/** A container that has not started yet. */
export function newRun(spec: ContainerSpec): Run {
  const run: Run = {
    name: spec.name,
    image: spec.image ?? '',
    imageID: '',
    state: { kind: 'waiting', reason: 'ContainerCreating' },
    restartCount: 0,
    ready: false,
    busy: false,
    crashes: 0,
    notes: [],
  };
  return run;
}

/** Stands in for a runtime's container ID: one per pod, container and restart. */
export function containerID(uid: string, run: Run): string {
  return `local-node://${uid}/${run.name}/${run.restartCount}`;
}

/**
 * Starts the container's next run (a restart moves the last termination to lastState and counts it). A program that
 * cannot start leaves it waiting in RunContainerError, retried after its back-off.
 */
export async function startRun(run: Run, spec: ContainerSpec, isRestart: boolean, host: RunHost): Promise<void> {
  run.busy = true;
  if (isRestart) {
    if (run.state.kind === 'terminated') run.lastState = run.state;
    run.restartCount++;
  }
  const resolved = host.deps.images.resolve(spec.image ?? '');
  const request = host.startRequest(spec, run.restartCount);
  run.notes = request.spec.notes.map((n) => `${spec.name}: ${n}`);
  try {
    const running = await host.deps.runtime.start(request);
    run.image = spec.image ?? '';
    run.imageID = resolved.imageID;
    run.state = { kind: 'running', startedAt: running.startedAt };
    run.startedMs = Date.now();
    run.containerID = containerID(host.uid, run);
    run.backoffUntil = undefined;
    attachRun(run, spec, running, host);
    // Frozen while starting: the new process is frozen too. (Deleted while starting: terminate() waits for it.)
    if (host.frozen()) running.freeze();
  } catch (error) {
    if (!(error instanceof SpawnError)) throw error;
    run.crashes++;
    run.backoffUntil =
      Date.now() + Math.max(backoffDelay(run.crashes, host.deps.backoff), host.deps.backoff.initialMs / 10);
    run.state = { kind: 'waiting', reason: 'RunContainerError', message: error.message };
  } finally {
    run.busy = false;
    host.deps.persist();
    host.deps.changed();
  }
}

/** Watches a started (or adopted) process: its probes, and its exit, which arms the crash-loop back-off. */
export function attachRun(run: Run, spec: ContainerSpec, running: RunningContainer, host: RunHost): void {
  run.running = running;
  const { readinessProbe, livenessProbe } = spec as { readinessProbe?: Probe; livenessProbe?: Probe };
  const ports = ((spec as { ports?: Array<{ name?: string; containerPort: number }> }).ports ?? []).slice();
  const target = { podIP: host.podIP, ports, exec: running.exec };
  run.ready = !(readinessProbe && host.deps.runtime.probes);
  if (readinessProbe && host.deps.runtime.probes) {
    run.prober = new Prober(readinessProbe, target, (ready) => {
      if (run.running !== running) return;
      run.ready = ready;
      host.deps.changed();
    });
  }
  if (livenessProbe && host.deps.runtime.probes) {
    // A failed liveness probe kills the container (gracefully); restartPolicy decides what comes next.
    run.liveness = new Prober(
      livenessProbe,
      target,
      (alive) => {
        if (alive || run.running !== running || run.busy) return;
        run.killedFor = 'failed its liveness probe';
        void running.stop(host.graceMs());
      },
      'liveness',
    );
  }
  for (const prober of [run.prober, run.liveness]) {
    if (!prober) continue;
    if (host.frozen()) prober.pause();
    prober.start();
  }
  void running.exited.then((exit) => {
    if (run.running !== running) return;
    run.prober?.stop();
    run.liveness?.stop();
    run.prober = run.liveness = undefined;
    run.running = undefined;
    run.ready = false;
    const startedAt = run.state.kind === 'running' ? run.state.startedAt : undefined;
    run.state = { ...exitedState(exit, startedAt, run.killedFor), containerID: run.containerID };
    run.killedFor = undefined;
    if (!run.busy) {
      run.crashes = crashCountAfterExit(run.crashes, Date.now() - (run.startedMs ?? Date.now()), host.deps.backoff);
      const delay = backoffDelay(run.crashes, host.deps.backoff);
      run.backoffUntil = delay > 0 ? Date.now() + delay : undefined;
    }
    host.deps.persist();
    host.deps.changed();
  });
}

/** Stops the run's process gracefully (SIGTERM, the grace period, SIGKILL) and waits for its exit. */
export async function stopRun(run: Run, graceMs: number): Promise<void> {
  const running = run.running;
  run.prober?.stop();
  run.liveness?.stop();
  if (!running) return;
  await running.stop(graceMs);
}
