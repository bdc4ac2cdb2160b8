/**
 * The operator's Event recorders, one per controller, on one broadcaster (one queue and one write rate for all), and
 * the informer hooks that turn status transitions into Events. The hooks run only while this replica leads (they are
 * attached with the controllers), and only on updates: the initial listing of a (re)started operator is no news.
 */
import {
  EventBroadcaster,
  NOOP_EVENT_RECORDER,
  Resources,
  objectReference,
  type EventRecorder,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '@kruise-agents/kube-runtime';
import type { Logger } from 'pino';
import type { OperatorCache } from '../cache';
import { claimEvents } from './claim-events';
import { EventComponents, type EventSpec } from './event-spec';
import { sandboxEvents } from './sandbox-events';

export interface OperatorRecorders {
  sandbox: EventRecorder;
  sandboxSet: EventRecorder;
  /** A no-op with disableClaimEvents. */
  sandboxClaim: EventRecorder;
}

export interface OperatorEvents {
  readonly recorders: OperatorRecorders;
  readonly broadcaster: EventBroadcaster;
}

export function createOperatorEvents(options: {
  kube: KubeClient;
  instance: string;
  log: Logger;
  disableClaimEvents?: boolean;
  now?: () => number;
}): OperatorEvents {
  const broadcaster = new EventBroadcaster({
    sink: options.kube.resource(Resources.Event),
    instance: options.instance,
    now: options.now,
    onError: (err, event) =>
      options.log.warn(
        { err, reason: event.reason, object: `${event.involvedObject?.kind}/${event.involvedObject?.name}` },
        'recording an event failed',
      ),
  });
  return {
    broadcaster,
    recorders: {
      sandbox: broadcaster.recorder(EventComponents.Sandbox),
      sandboxSet: broadcaster.recorder(EventComponents.SandboxSet),
      sandboxClaim: options.disableClaimEvents
        ? NOOP_EVENT_RECORDER
        : broadcaster.recorder(EventComponents.SandboxClaim),
    },
  };
}

/** Records `specs` about `object`. */
export function emit(recorder: EventRecorder, type: ResourceType, object: KubeObject, specs: EventSpec[]): void {
  if (specs.length === 0) return;
  const ref = objectReference(type, object);
  for (const spec of specs) recorder.event(ref, spec.type, spec.reason, spec.message);
}

/** Events for the status transitions the cache sees; returns the detachers. */
export function watchTransitions(cache: OperatorCache, recorders: OperatorRecorders): Array<() => void> {
  return [
    cache.sandboxes.on({
      update: (old, now) => emit(recorders.sandbox, Resources.Sandbox, now, sandboxEvents(old, now)),
    }),
    cache.claims.on({
      update: (old, now) => emit(recorders.sandboxClaim, Resources.SandboxClaim, now, claimEvents(old, now)),
    }),
  ];
}
