/**
 * Which Events a Sandbox's status change means (reference §4.2: every phase change is an Event `Sandbox<Phase>`),
 * plus the condition transitions `kubectl describe sbx` should tell: pause done, resume done, in-place update
 * started/succeeded/failed, the runtime (re-)initialised or failing, a pod that cannot be created or started.
 * Pure: the operator calls it on every cached status change, whichever writer (Sandbox or SandboxClaim controller,
 * the gateway) made it, so no write path of its own grows an Event call.
 */
import { SandboxConditions, SandboxReasons, type Sandbox, type SandboxStatus } from '@kruise-agents/api';
import type { EventSpec } from './event-spec';

type Condition = NonNullable<SandboxStatus['conditions']>[number];

const conditionOf = (status: SandboxStatus | undefined, type: string): Condition | undefined =>
  status?.conditions?.find((c) => c.type === type);

/** The condition `type` now matches `is` and did not before (or it changed while matching, when `message` counts). */
function became(
  before: SandboxStatus | undefined,
  after: SandboxStatus | undefined,
  type: string,
  is: (c: Condition) => boolean,
  options: { messageCounts?: boolean } = {},
): Condition | undefined {
  const now = conditionOf(after, type);
  if (!now || !is(now)) return undefined;
  const was = conditionOf(before, type);
  if (!was || !is(was)) return now;
  return options.messageCounts && was.message !== now.message ? now : undefined;
}

const describe = (c: Condition, fallback: string) => c.message || fallback;

export function sandboxEvents(before: Sandbox | undefined, after: Sandbox): EventSpec[] {
  const was = before?.status;
  const now = after.status;
  const events: EventSpec[] = [];
  const phase = now?.phase;
  if (phase && phase !== was?.phase) {
    events.push({
      type: phase === 'Failed' ? 'Warning' : 'Normal',
      reason: `Sandbox${phase}`,
      // The same words each time it reaches a phase, so a sandbox running again counts on one Event.
      message: now?.message || `the sandbox is ${phase}`,
    });
  }

  const paused = became(was, now, SandboxConditions.SandboxPaused, (c) => c.status === 'True');
  if (paused) {
    events.push({ type: 'Normal', reason: paused.reason ?? 'PauseSucceed', message: describe(paused, 'paused') });
  }
  const resumed = became(was, now, SandboxConditions.SandboxResumed, (c) => c.status === 'True');
  if (resumed) events.push({ type: 'Normal', reason: 'ResumeSucceed', message: describe(resumed, 'resumed') });

  const inplace = (reason: string) => (c: Condition) => c.reason === reason;
  const updating = became(was, now, SandboxConditions.InplaceUpdate, inplace(SandboxReasons.InplaceUpdating));
  if (updating) {
    const image = after.spec.template?.spec.containers[0]?.image;
    const message = image ? `in-place update to image ${image} started` : 'in-place update started';
    events.push({ type: 'Normal', reason: 'InplaceUpdateStarted', message });
  }
  const updated = became(was, now, SandboxConditions.InplaceUpdate, (c) => c.status === 'True');
  if (updated) events.push({ type: 'Normal', reason: 'InplaceUpdateSucceeded', message: 'in-place update done' });
  const updateFailed = became(was, now, SandboxConditions.InplaceUpdate, inplace(SandboxReasons.Failed));
  if (updateFailed) {
    events.push({
      type: 'Warning',
      reason: 'InplaceUpdateFailed',
      message: describe(updateFailed, 'in-place update failed'),
    });
  }

  // A re-init names another container in its message: each successful one is told.
  const runtime = SandboxConditions.RuntimeInitialized;
  const initialised = became(was, now, runtime, (c) => c.status === 'True', { messageCounts: true });
  if (initialised) {
    events.push({
      type: 'Normal',
      reason: 'RuntimeInitSucceeded',
      message: describe(initialised, 'runtime initialised'),
    });
  }
  const initFailed = became(was, now, runtime, inplace(SandboxReasons.Failed), { messageCounts: true });
  if (initFailed) {
    events.push({ type: 'Warning', reason: 'RuntimeInitFailed', message: describe(initFailed, 'runtime init failed') });
  }
  const initPending = became(was, now, runtime, inplace(SandboxReasons.Pending));
  if (initPending) {
    events.push({
      type: 'Normal',
      reason: 'RuntimeInitPending',
      message: describe(initPending, 'the runtime is to be initialised again'),
    });
  }

  for (const failure of [SandboxReasons.PodCreateFailed, SandboxReasons.StartContainerFailed]) {
    const ready = became(was, now, SandboxConditions.Ready, inplace(failure), { messageCounts: true });
    if (ready) events.push({ type: 'Warning', reason: failure, message: describe(ready, failure) });
  }
  return events;
}
