// Which Event for which transition: the pure functions behind the operator's Events.
import { describe, expect, it } from '@jest/globals';
import { API_VERSION, type Sandbox, type SandboxClaim, type SandboxStatus } from '@kruise-agents/api';
import { claimEvents, noSandboxesEvent } from './claim-events';
import { sandboxEvents } from './sandbox-events';
import { sandboxSetEvents } from './sandboxset-events';

type Conditions = NonNullable<SandboxStatus['conditions']>;
const cond = (type: string, status: 'True' | 'False', reason: string, message?: string): Conditions[number] => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

const sbx = (status?: SandboxStatus, image = 'python:3.12'): Sandbox => ({
  apiVersion: API_VERSION,
  kind: 'Sandbox',
  metadata: { name: 's', namespace: 'default' },
  spec: { template: { spec: { containers: [{ name: 'main', image }] } } },
  status,
});

const reasons = (events: { reason: string }[]) => events.map((e) => e.reason);

describe('sandboxEvents', () => {
  it('tells every phase change as Sandbox<Phase>, Failed as a Warning', () => {
    expect(sandboxEvents(sbx(), sbx({ phase: 'Pending' }))).toEqual([
      { type: 'Normal', reason: 'SandboxPending', message: 'the sandbox is Pending' },
    ]);
    expect(reasons(sandboxEvents(sbx({ phase: 'Pending' }), sbx({ phase: 'Running' })))).toEqual(['SandboxRunning']);
    const failed = sandboxEvents(sbx({ phase: 'Running' }), sbx({ phase: 'Failed', message: 'Pod Not Found' }));
    expect(failed).toEqual([{ type: 'Warning', reason: 'SandboxFailed', message: 'Pod Not Found' }]);
  });

  it('tells nothing when the status did not move', () => {
    const s = { phase: 'Running' as const, conditions: [cond('Ready', 'True', 'PodReady')] };
    expect(sandboxEvents(sbx(s), sbx(structuredClone(s)))).toEqual([]);
  });

  it('tells a finished pause by its reason and a finished resume', () => {
    const pausing = { phase: 'Paused' as const, conditions: [cond('SandboxPaused', 'False', 'Pending')] };
    const paused = {
      phase: 'Paused' as const,
      conditions: [cond('SandboxPaused', 'True', 'StopPauseSucceed', 'pod deleted, sandbox kept')],
    };
    expect(sandboxEvents(sbx(pausing), sbx(paused))).toEqual([
      { type: 'Normal', reason: 'StopPauseSucceed', message: 'pod deleted, sandbox kept' },
    ]);
    const resumed = { phase: 'Running' as const, conditions: [cond('SandboxResumed', 'True', 'ResumePod')] };
    expect(reasons(sandboxEvents(sbx({ phase: 'Resuming' }), sbx(resumed)))).toEqual([
      'SandboxRunning',
      'ResumeSucceed',
    ]);
  });

  it('tells an in-place update started (with its image), succeeded and failed', () => {
    const running = { phase: 'Running' as const };
    const updating = { ...running, conditions: [cond('InplaceUpdate', 'False', 'InplaceUpdating')] };
    expect(sandboxEvents(sbx(running), sbx(updating, 'python:3.13'))).toEqual([
      { type: 'Normal', reason: 'InplaceUpdateStarted', message: 'in-place update to image python:3.13 started' },
    ]);
    const done = { ...running, conditions: [cond('InplaceUpdate', 'True', 'Succeeded')] };
    expect(reasons(sandboxEvents(sbx(updating), sbx(done)))).toEqual(['InplaceUpdateSucceeded']);
    const failed = { ...running, conditions: [cond('InplaceUpdate', 'False', 'Failed', 'QoS would change')] };
    expect(sandboxEvents(sbx(updating), sbx(failed))).toEqual([
      { type: 'Warning', reason: 'InplaceUpdateFailed', message: 'QoS would change' },
    ]);
  });

  it('tells RuntimeInitialized transitions, and each re-init that reached another container', () => {
    const at = (status: 'True' | 'False', reason: string, message: string) => ({
      phase: 'Running' as const,
      conditions: [cond('RuntimeInitialized', status, reason, message)],
    });
    const ok1 = at('True', 'Succeeded', 'initialised in container c1');
    expect(sandboxEvents(sbx({ phase: 'Running' }), sbx(ok1))).toEqual([
      { type: 'Normal', reason: 'RuntimeInitSucceeded', message: 'initialised in container c1' },
    ]);
    const pending = at('False', 'Pending', 'the pod was recreated');
    expect(reasons(sandboxEvents(sbx(ok1), sbx(pending)))).toEqual(['RuntimeInitPending']);
    const failed = at('False', 'Failed', 'connect ECONNREFUSED');
    expect(sandboxEvents(sbx(pending), sbx(failed))).toEqual([
      { type: 'Warning', reason: 'RuntimeInitFailed', message: 'connect ECONNREFUSED' },
    ]);
    // Failing again with another error is news; the same error is not.
    expect(reasons(sandboxEvents(sbx(failed), sbx(at('False', 'Failed', 'timeout'))))).toEqual(['RuntimeInitFailed']);
    expect(sandboxEvents(sbx(failed), sbx(structuredClone(failed)))).toEqual([]);
    const ok2 = at('True', 'Succeeded', 'initialised in container c2');
    expect(reasons(sandboxEvents(sbx(ok1), sbx(ok2)))).toEqual(['RuntimeInitSucceeded']);
  });

  it('tells a pod that cannot be created or started as a Warning', () => {
    const createFailed = {
      phase: 'Pending' as const,
      conditions: [cond('Ready', 'False', 'PodCreateFailed', 'SandboxTemplate t not found')],
    };
    expect(sandboxEvents(sbx({ phase: 'Pending' }), sbx(createFailed))).toEqual([
      { type: 'Warning', reason: 'PodCreateFailed', message: 'SandboxTemplate t not found' },
    ]);
  });
});

const claim = (status?: Partial<NonNullable<SandboxClaim['status']>>, replicas = 3): SandboxClaim => ({
  apiVersion: API_VERSION,
  kind: 'SandboxClaim',
  metadata: { name: 'c', namespace: 'default' },
  spec: { templateName: 'pool', replicas } as SandboxClaim['spec'],
  status: status as SandboxClaim['status'],
});

describe('claimEvents', () => {
  it('tells sandboxes claimed per status write, with the running total', () => {
    const events = claimEvents(claim({ phase: 'Claiming', claimedReplicas: 1 }), claim({ claimedReplicas: 3 }));
    expect(events).toEqual([{ type: 'Normal', reason: 'SandboxClaimed', message: 'Claimed 2 sandboxes (3/3)' }]);
    expect(claimEvents(claim({ phase: 'Claiming' }), claim({ phase: 'Claiming' }))).toEqual([]);
  });

  it('tells completion: all claimed (Normal), timed out or pool missing (Warnings)', () => {
    const completed = (reason: string, message: string) =>
      claim({
        phase: 'Completed',
        claimedReplicas: 3,
        message,
        conditions: [{ type: 'Completed', status: 'True', reason, lastTransitionTime: '2026-01-01T00:00:00Z' }],
      });
    const claiming = claim({ phase: 'Claiming', claimedReplicas: 3 });
    expect(claimEvents(claiming, completed('AllClaimed', 'Successfully claimed 3/3 sandboxes'))).toEqual([
      { type: 'Normal', reason: 'ClaimCompleted', message: 'Successfully claimed 3/3 sandboxes' },
    ]);
    expect(reasons(claimEvents(claiming, completed('ClaimTimeout', 'Timeout reached')))).toEqual([
      'ClaimTimeoutReached',
    ]);
    const missing = claimEvents(claim(), completed('SandboxSetNotFound', 'SandboxSet "pool" not found'));
    expect(missing.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', 'SandboxClaimed'],
      ['Warning', 'SandboxSetNotFound'],
    ]);
    // Completed once: a later status write of a completed claim is no news.
    const done = completed('AllClaimed', 'x');
    expect(claimEvents(done, structuredClone(done))).toEqual([]);
  });

  it('tells a pass that claimed nothing, with its failure', () => {
    expect(noSandboxesEvent('runtime init failed')).toMatchObject({
      type: 'Warning',
      reason: 'NoAvailableSandboxes',
      message: 'no sandbox claimed: runtime init failed',
    });
  });
});

describe('sandboxSetEvents', () => {
  const none = { created: 0, scaledDown: 0, rolled: 0, deadDeleted: 0, replicas: 3 };

  it('tells one Event per kind of change in a pass, none for a quiet pass', () => {
    expect(sandboxSetEvents(none)).toEqual([]);
    expect(sandboxSetEvents({ ...none, created: 3 })).toEqual([
      { type: 'Normal', reason: 'SandboxCreated', message: 'Scaled up: created 3 sandboxes (desired 3)' },
    ]);
    expect(reasons(sandboxSetEvents({ ...none, scaledDown: 1, rolled: 2, deadDeleted: 1 }))).toEqual([
      'SandboxDeleted',
      'RollingUpdate',
      'FailedSandboxDeleted',
    ]);
  });

  it('tells a failed create as a Warning, next to what the pass did create', () => {
    const events = sandboxSetEvents({ ...none, created: 16, createError: 'quota exceeded' });
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', 'SandboxCreated'],
      ['Warning', 'FailedCreate'],
    ]);
    expect(events[1]!.message).toBe('Error creating sandboxes: quota exceeded');
  });
});
