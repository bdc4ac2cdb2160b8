/**
 * The pod status a kubelet would report, from what the node observed: phase, the four standard conditions plus
 * Frozen and Isolated, and containerStatuses. Pure, so every rule is table-tested; the node writes the result through
 * the status subresource only when it differs from what the pod already says.
 */
import type { ContainerStatus, Pod, PodCondition } from '@kruise-agents/kube-runtime';
import { PodConditions, Reasons, type Isolation } from './constants';

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: string }
  | {
      kind: 'terminated';
      exitCode: number;
      signal?: number;
      reason: string;
      message?: string;
      startedAt?: string;
      finishedAt: string;
      /** The run that ended, as a kubelet names it in the terminated state (what `logs --previous` reads). */
      containerID?: string;
    };

export type TerminatedState = Extract<ContainerState, { kind: 'terminated' }>;

export interface ObservedContainer {
  name: string;
  /** The image the current (or next) run is for. */
  image: string;
  /** Empty until the container first starts. */
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState?: TerminatedState;
  restartCount: number;
  ready: boolean;
  /** A restartable init container (native sidecar). */
  sidecar?: boolean;
}

export interface ObservedPod {
  podIP?: string;
  hostIP: string;
  startTime?: string;
  isolation: Isolation;
  frozen: boolean;
  containers: ObservedContainer[];
  /** Present when the pod has init containers. */
  initContainers?: ObservedContainer[];
  /** Every init container has completed (sidecars: started); true when there are none. */
  initialized?: boolean;
  /** The time to stamp on conditions that change now. */
  now: string;
  message?: string;
}

type PodStatus = NonNullable<Pod['status']>;
type Phase = NonNullable<PodStatus['phase']>;
const STANDARD = [
  'PodScheduled',
  'Initialized',
  'ContainersReady',
  'Ready',
  PodConditions.Frozen,
  PodConditions.Isolated,
];

/** kubelet's getPhase: waiting containers that never ran keep a pod Pending; restartPolicy decides the rest. */
export function phaseFor(restartPolicy: string | undefined, containers: readonly ObservedContainer[]): Phase {
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of containers) {
    if (c.state.kind === 'running') running++;
    else if (c.state.kind === 'terminated') {
      stopped++;
      if (c.state.exitCode === 0) succeeded++;
    } else if (c.lastState) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    const policy = restartPolicy ?? 'Always';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export function podStatusFor(pod: Pod, observed: ObservedPod): PodStatus {
  const current = pod.status ?? {};
  const previousPhase = current.phase;
  // Succeeded and Failed are final: a pod never leaves them.
  const terminal = previousPhase === 'Succeeded' || previousPhase === 'Failed';
  const policy = pod.spec.restartPolicy as string | undefined;
  const inits = observed.initContainers ?? [];
  const initialized = observed.initialized ?? true;
  // An init container that failed under restartPolicy Never fails the pod; until all have completed it is Pending.
  const initFailed =
    policy === 'Never' && inits.some((c) => !c.sidecar && c.state.kind === 'terminated' && c.state.exitCode !== 0);
  const phase = terminal
    ? previousPhase
    : initFailed
      ? 'Failed'
      : initialized
        ? phaseFor(policy, observed.containers)
        : 'Pending';
  const finished = phase === 'Succeeded' || phase === 'Failed';

  const sidecars = inits.filter((c) => c.sidecar);
  const unready = [...sidecars, ...observed.containers].filter((c) => !c.ready).map((c) => c.name);
  const containersReady = unready.length === 0 && !finished;
  const gates = ((pod.spec.readinessGates as Array<{ conditionType: string }> | undefined) ?? []).map(
    (g) => g.conditionType,
  );
  const gatesOpen = gates.every((type) => current.conditions?.some((c) => c.type === type && c.status === 'True'));
  const ready = containersReady && !observed.frozen && gatesOpen;

  const wanted: PodCondition[] = [
    { type: 'PodScheduled', status: 'True' },
    initializedCondition(initialized, inits),
    notReadyIfFalse('ContainersReady', containersReady, finished, unready),
    ready
      ? { type: 'Ready', status: 'True' }
      : observed.frozen && containersReady
        ? { type: 'Ready', status: 'False', reason: Reasons.Frozen, message: 'the pod is frozen' }
        : containersReady
          ? {
              type: 'Ready',
              status: 'False',
              reason: 'ReadinessGatesNotReady',
              message: 'the status of pod readiness gates is not "True"',
            }
          : notReadyIfFalse('Ready', false, finished, unready),
  ];
  const wasFrozen = current.conditions?.some((c) => c.type === PodConditions.Frozen);
  if (observed.frozen) wanted.push({ type: PodConditions.Frozen, status: 'True', reason: Reasons.Frozen });
  else if (wasFrozen) wanted.push({ type: PodConditions.Frozen, status: 'False', reason: 'Thawed' });
  wanted.push(isolationCondition(observed.isolation));

  const conditions = mergeConditions(current.conditions ?? [], wanted, observed.now);
  const status: PodStatus = { ...current, phase, conditions, hostIP: observed.hostIP };
  (status as Record<string, unknown>).hostIPs = [{ ip: observed.hostIP }];
  if (observed.podIP) {
    status.podIP = observed.podIP;
    status.podIPs = [{ ip: observed.podIP }];
  }
  status.startTime = current.startTime ?? observed.startTime ?? observed.now;
  status.containerStatuses = observed.containers.map(containerStatusFor);
  if (observed.initContainers) {
    (status as Record<string, unknown>).initContainerStatuses = observed.initContainers.map(containerStatusFor);
  }
  if (observed.message) status.message = observed.message;
  else delete status.message;
  return status;
}

function notReadyIfFalse(type: string, isTrue: boolean, finished: boolean, unready: string[]): PodCondition {
  if (isTrue) return { type, status: 'True' };
  if (finished) return { type, status: 'False', reason: 'PodCompleted' };
  return {
    type,
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready.join(' ')}]`,
  };
}

function initializedCondition(initialized: boolean, inits: readonly ObservedContainer[]): PodCondition {
  if (initialized) return { type: 'Initialized', status: 'True' };
  const incomplete = inits
    .filter((c) => !(c.sidecar ? c.state.kind === 'running' : c.state.kind === 'terminated' && c.state.exitCode === 0))
    .map((c) => c.name);
  return {
    type: 'Initialized',
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: [${incomplete.join(' ')}]`,
  };
}

function isolationCondition(isolation: Isolation): PodCondition {
  if (isolation === 'bubblewrap') {
    return {
      type: PodConditions.Isolated,
      status: 'True',
      reason: Reasons.Bubblewrap,
      message: 'processes run under bubblewrap',
    };
  }
  if (isolation === 'virtual') {
    return {
      type: PodConditions.Isolated,
      status: 'False',
      reason: Reasons.Virtual,
      message: 'virtual pod: no process runs',
    };
  }
  return {
    type: PodConditions.Isolated,
    status: 'False',
    reason: Reasons.None,
    message: 'plain processes, no sandboxing',
  };
}

/** The node's conditions replace its own by type (keeping lastTransitionTime when status is unchanged); others stay. */
export function mergeConditions(
  current: readonly PodCondition[],
  wanted: readonly PodCondition[],
  now: string,
): PodCondition[] {
  const byType = new Map(current.map((c) => [c.type, c]));
  const ours = wanted.map((w) => {
    const old = byType.get(w.type);
    const lastTransitionTime = old && old.status === w.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    const c: PodCondition = { type: w.type, status: w.status, lastTransitionTime };
    if (w.reason) c.reason = w.reason;
    if (w.message) c.message = w.message;
    return c;
  });
  const foreign = current.filter((c) => !STANDARD.includes(c.type) && !wanted.some((w) => w.type === c.type));
  return [...ours, ...foreign];
}

export function containerStatusFor(c: ObservedContainer): ContainerStatus {
  const status: ContainerStatus & { containerID?: string; lastState?: ContainerStatus['state'] } = {
    name: c.name,
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
    started: c.state.kind === 'running',
    state: stateFor(c.state),
    lastState: c.lastState ? stateFor(c.lastState) : {},
  };
  if (c.containerID) status.containerID = c.containerID;
  return status;
}

function stateFor(state: ContainerState): NonNullable<ContainerStatus['state']> {
  if (state.kind === 'running') return { running: { startedAt: state.startedAt } };
  if (state.kind === 'waiting') return { waiting: clean({ reason: state.reason, message: state.message }) };
  return {
    terminated: clean({
      exitCode: state.exitCode,
      signal: state.signal,
      reason: state.reason,
      message: state.message,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
      containerID: state.containerID,
    }),
  };
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** JSON equality: the node writes only when the status would change. */
export function sameStatus(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}
