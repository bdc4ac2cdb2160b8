import { describe, expect, it } from '@jest/globals';
import { Annotations, type SandboxPhase } from '@kruise-agents/api';
import { MINUTE, SECOND, T0, aSandbox, at, type SandboxOptions } from '../testing';
import { FOREVER_MS, decideTimers, pausedRetentionMs, shutdownAfterResume, shutdownClock } from './timers';

const NOW = T0 + 10 * MINUTE;
const sbx = (options: Partial<SandboxOptions>) => aSandbox({ name: 's', ...options });
const retain = (value: string) => ({ [Annotations.ReservePausedSandboxDuration]: value });

describe('decideTimers', () => {
  it.each<[string, Partial<SandboxOptions>, string, number | undefined]>([
    ['no timers', {}, 'none', undefined],
    ['shutdown in the future', { shutdownTime: at(15 * MINUTE) }, 'none', 5 * MINUTE],
    ['shutdown reached', { shutdownTime: at(10 * MINUTE) }, 'delete', undefined],
    ['shutdown passed', { shutdownTime: at(MINUTE) }, 'delete', undefined],
    ...(['Failed', 'Succeeded', 'Pending', 'Paused', 'Upgrading'] as SandboxPhase[]).map(
      (phase): [string, Partial<SandboxOptions>, string, number | undefined] => [
        `shutdown passed while ${phase}`,
        { phase, shutdownTime: at(MINUTE) },
        'delete',
        undefined,
      ],
    ),
    ['being deleted', { deleting: true, shutdownTime: at(MINUTE) }, 'none', undefined],
    ['pause in the future', { pauseTime: at(12 * MINUTE) }, 'none', 2 * MINUTE],
    ['nearest of pause and shutdown', { pauseTime: at(12 * MINUTE), shutdownTime: at(11 * MINUTE) }, 'none', MINUTE],
    ['pause reached', { pauseTime: at(10 * MINUTE) }, 'pause', undefined],
    ['pause reached but already paused', { pauseTime: at(MINUTE), paused: true }, 'none', undefined],
    ['pause reached but Failed', { pauseTime: at(MINUTE), phase: 'Failed' }, 'none', undefined],
    ['shutdown wins over pause', { pauseTime: at(MINUTE), shutdownTime: at(MINUTE) }, 'delete', undefined],
    [
      'with retention, the pause goes first',
      { pauseTime: at(MINUTE), shutdownTime: at(MINUTE), annotations: retain('1h') },
      'pause',
      undefined,
    ],
    ['Recycling ignores timers', { phase: 'Recycling', shutdownTime: at(MINUTE) }, 'none', undefined],
  ])('%s → %s', (_what, options, action, requeueAfterMs) => {
    const decision = decideTimers(sbx(options), NOW);
    expect(decision.action).toBe(action);
    expect(decision.action === 'none' ? decision.requeueAfterMs : undefined).toBe(requeueAfterMs);
  });

  it.each(['RecyclingFailed', 'RecyclingTimeout'])('runs the timers again once recycling ended with %s', (reason) => {
    const sandbox = sbx({ phase: 'Recycling', shutdownTime: at(MINUTE) });
    sandbox.status!.conditions = [{ type: 'Recycling', status: 'False', reason }];
    expect(decideTimers(sandbox, NOW).action).toBe('delete');
  });

  it('pauses by setting spec.paused and clearing the one-shot pauseTime', () => {
    const sandbox = sbx({ pauseTime: at(MINUTE), shutdownTime: at(60 * MINUTE) });
    const decision = decideTimers(sandbox, NOW);
    expect(decision.action).toBe('pause');
    if (decision.action !== 'pause') return;
    expect(decision.sandbox.spec.paused).toBe(true);
    expect(decision.sandbox.spec).not.toHaveProperty('pauseTime');
    expect(decision.sandbox.spec.shutdownTime).toBe(at(60 * MINUTE));
    expect(decision.sandbox.metadata.resourceVersion).toBe(sandbox.metadata.resourceVersion);
    expect(sandbox.spec.paused).toBeUndefined();
  });

  it('with a retention policy, pausing moves the shutdown to the end of the retention', () => {
    const decision = decideTimers(
      sbx({ pauseTime: at(MINUTE), shutdownTime: at(60 * MINUTE), annotations: retain('2h') }),
      NOW + 500,
    );
    expect(decision.action === 'pause' && decision.sandbox.spec.shutdownTime).toBe(at(130 * MINUTE));
  });

  describe('paused time does not count', () => {
    const paused = (extra: Partial<SandboxOptions> = {}) =>
      sbx({ phase: 'Paused', paused: true, pausedAt: at(5 * MINUTE), ...extra });

    it.each<[string, Partial<SandboxOptions>, string, number | undefined]>([
      [
        'a shutdown due after the pause began does not fire while paused',
        { shutdownTime: at(6 * MINUTE) },
        'none',
        undefined,
      ],
      ['a shutdown due before the pause began fires', { shutdownTime: at(4 * MINUTE) }, 'delete', undefined],
      [
        'with a retention policy the wall clock applies',
        { shutdownTime: at(6 * MINUTE), annotations: retain('1m') },
        'delete',
        undefined,
      ],
      [
        'with a retention policy, a future shutdown is waited for',
        { shutdownTime: at(20 * MINUTE), annotations: retain('1h') },
        'none',
        10 * MINUTE,
      ],
    ])('%s', (_what, extra, action, requeueAfterMs) => {
      const decision = decideTimers(paused(extra), NOW);
      expect(decision.action).toBe(action);
      expect(decision.action === 'none' ? decision.requeueAfterMs : undefined).toBe(requeueAfterMs);
    });

    it('the clock stands at pausedAt while paused', () => {
      expect(shutdownClock(paused(), NOW)).toBe(T0 + 5 * MINUTE);
      expect(shutdownClock(paused({ annotations: retain('1h') }), NOW)).toBe(NOW);
      expect(shutdownClock(sbx({}), NOW)).toBe(NOW);
    });

    it.each<[string, Partial<SandboxOptions>, string | undefined]>([
      ['pushed by the time spent paused', { shutdownTime: at(6 * MINUTE) }, at(11 * MINUTE)],
      ['no shutdownTime stays none', {}, undefined],
      [
        'a retention policy leaves it alone',
        { shutdownTime: at(6 * MINUTE), annotations: retain('1h') },
        at(6 * MINUTE),
      ],
    ])('on resume, the shutdownTime is %s', (_what, extra, expected) => {
      expect(shutdownAfterResume(paused(extra), NOW)).toBe(expected);
    });

    it('a sandbox that was never paused keeps its shutdownTime on resume', () => {
      expect(shutdownAfterResume(sbx({ shutdownTime: at(MINUTE) }), NOW)).toBe(at(MINUTE));
    });
  });
});

describe('pausedRetentionMs', () => {
  it.each([
    [undefined, undefined],
    ['forever', FOREVER_MS],
    ['90m', 90 * MINUTE],
    ['30s', 30 * SECOND],
    ['garbage', FOREVER_MS],
    ['0s', FOREVER_MS],
  ])('%j → %j', (value, ms) => {
    expect(pausedRetentionMs(sbx({ annotations: value === undefined ? {} : retain(value) }))).toBe(ms);
  });
});
