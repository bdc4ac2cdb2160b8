/**
 * Which Events a SandboxSet pass means: one per kind of change and pass (not one per sandbox as the reference's
 * `SandboxCreated`), so a pool filling 1,000 sandboxes writes a handful of Events, and the correlator counts the
 * repeats. Reasons from the reference where it names them (`SandboxCreated`, `RollingUpdate`,
 * `FailedSandboxDeleted` for dead members deleted); `SandboxDeleted` for scale-down and `FailedCreate` (as a
 * ReplicaSet's) for a create that failed.
 */
import type { EventSpec } from './event-spec';

export interface SandboxSetPassOutcome {
  created: number;
  createError?: string;
  scaledDown: number;
  rolled: number;
  deadDeleted: number;
  /** The pool's size now, for the messages. */
  replicas: number;
}

const sandboxes = (n: number) => `${n} sandbox${n === 1 ? '' : 'es'}`;

export function sandboxSetEvents(outcome: SandboxSetPassOutcome): EventSpec[] {
  const events: EventSpec[] = [];
  if (outcome.created > 0) {
    events.push({
      type: 'Normal',
      reason: 'SandboxCreated',
      message: `Scaled up: created ${sandboxes(outcome.created)} (desired ${outcome.replicas})`,
    });
  }
  if (outcome.createError) {
    events.push({
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating sandboxes: ${outcome.createError}`,
    });
  }
  if (outcome.scaledDown > 0) {
    events.push({
      type: 'Normal',
      reason: 'SandboxDeleted',
      message: `Scaled down: deleted ${sandboxes(outcome.scaledDown)} (desired ${outcome.replicas})`,
    });
  }
  if (outcome.rolled > 0) {
    events.push({
      type: 'Normal',
      reason: 'RollingUpdate',
      message: `Rolling update: deleted ${sandboxes(outcome.rolled)} of an old revision`,
    });
  }
  if (outcome.deadDeleted > 0) {
    events.push({
      type: 'Normal',
      reason: 'FailedSandboxDeleted',
      message: `Deleted ${sandboxes(outcome.deadDeleted)} that failed or finished`,
    });
  }
  return events;
}
