import { describe, expect, it } from '@jest/globals';
import { API_VERSION } from './group';
import type { Sandbox } from './schemas/sandbox';
import {
  FOREVER_MS,
  getSandboxState,
  pausedRetentionMs,
  sandboxSetOwner,
  shutdownClock,
  type SandboxState,
} from './state';
import { Annotations } from './well-known';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const PAST = '2026-01-01T11:00:00Z';
const FUTURE = '2026-01-01T13:00:00Z';

const poolOwner = { apiVersion: API_VERSION, kind: 'SandboxSet', name: 'demo', uid: 'u1', controller: true };

interface Case {
  name: string;
  deleting?: boolean;
  shutdownTime?: string;
  phase?: NonNullable<Sandbox['status']>['phase'];
  ready?: boolean | 'unknown';
  pooled?: boolean;
  paused?: boolean;
  want: SandboxState;
}

function sandboxFor(c: Case): Sandbox {
  return {
    apiVersion: API_VERSION,
    kind: 'Sandbox',
    metadata: {
      name: 'sbx',
      namespace: 'default',
      ...(c.deleting ? { deletionTimestamp: PAST } : {}),
      ...(c.pooled ? { ownerReferences: [poolOwner] } : {}),
    },
    spec: {
      template: { spec: { containers: [{ name: 'main', image: 'demo' }] } },
      ...(c.shutdownTime ? { shutdownTime: c.shutdownTime } : {}),
      ...(c.paused !== undefined ? { paused: c.paused } : {}),
    },
    status: {
      ...(c.phase ? { phase: c.phase } : {}),
      ...(c.ready !== undefined
        ? {
            conditions: [{ type: 'Ready', status: c.ready === 'unknown' ? 'Unknown' : c.ready ? 'True' : 'False' }],
          }
        : {}),
    },
  };
}

// Each row is one rule of the reference's §4.9 table, in its order; a change to any rule fails a row.
const cases: Case[] = [
  {
    name: 'being deleted, even if ready in a pool',
    deleting: true,
    pooled: true,
    phase: 'Running',
    ready: true,
    want: 'dead',
  },
  { name: 'past its shutdownTime', shutdownTime: PAST, pooled: true, phase: 'Running', ready: true, want: 'dead' },
  {
    name: 'shutdownTime exactly now',
    shutdownTime: new Date(NOW).toISOString(),
    phase: 'Running',
    ready: true,
    want: 'dead',
  },
  {
    name: 'shutdownTime in the future does not matter',
    shutdownTime: FUTURE,
    phase: 'Running',
    ready: true,
    want: 'running',
  },
  { name: 'Pending in a pool', pooled: true, phase: 'Pending', want: 'creating' },
  { name: 'Pending and claimed', phase: 'Pending', want: 'creating' },
  { name: 'no phase yet counts as Pending', pooled: true, want: 'creating' },
  { name: 'Succeeded', phase: 'Succeeded', ready: true, want: 'dead' },
  { name: 'Failed in a pool', pooled: true, phase: 'Failed', want: 'dead' },
  { name: 'Terminating', phase: 'Terminating', want: 'dead' },
  { name: 'pool member Running and Ready', pooled: true, phase: 'Running', ready: true, want: 'available' },
  { name: 'pool member Running, not Ready', pooled: true, phase: 'Running', ready: false, want: 'creating' },
  { name: 'pool member Running, Ready unknown', pooled: true, phase: 'Running', ready: 'unknown', want: 'creating' },
  { name: 'pool member Running with no conditions', pooled: true, phase: 'Running', want: 'creating' },
  { name: 'pool member Paused (not Ready)', pooled: true, phase: 'Paused', want: 'creating' },
  { name: 'claimed Running and Ready', phase: 'Running', ready: true, want: 'running' },
  { name: 'claimed Running, paused requested', phase: 'Running', ready: true, paused: true, want: 'paused' },
  { name: 'claimed Running, not Ready', phase: 'Running', ready: false, want: 'dead' },
  { name: 'claimed Paused', phase: 'Paused', want: 'paused' },
  { name: 'claimed Resuming', phase: 'Resuming', want: 'paused' },
  { name: 'claimed Upgrading', phase: 'Upgrading', ready: false, want: 'paused' },
  { name: 'claimed Recycling', phase: 'Recycling', want: 'paused' },
];

describe('getSandboxState', () => {
  it.each(cases)('$name → $want', (c) => {
    expect(getSandboxState(sandboxFor(c), NOW)).toBe(c.want);
  });

  it('stops the shutdown clock while paused: paused time does not count against the timeout', () => {
    const paused = (pausedAt: string, annotations?: Record<string, string>): Sandbox => {
      const base = sandboxFor({ name: '', phase: 'Paused', shutdownTime: PAST, want: 'paused' });
      return { ...base, metadata: { ...base.metadata, annotations }, status: { ...base.status, pausedAt } };
    };
    // Paused before its shutdownTime: the clock stands at pausedAt, so it is still alive.
    expect(getSandboxState(paused('2026-01-01T10:00:00Z'), NOW)).toBe('paused');
    expect(shutdownClock(paused('2026-01-01T10:00:00Z'), NOW)).toBe(Date.parse('2026-01-01T10:00:00Z'));
    // Paused after it: dead.
    expect(getSandboxState(paused('2026-01-01T11:30:00Z'), NOW)).toBe('dead');
    // A retention policy puts a paused sandbox on the wall clock.
    const retained = paused('2026-01-01T10:00:00Z', { [Annotations.ReservePausedSandboxDuration]: '1h' });
    expect(getSandboxState(retained, NOW)).toBe('dead');
    expect(pausedRetentionMs(retained)).toBe(3_600_000);
  });

  it('reads the paused-retention policy', () => {
    const withRetention = (value?: string) => {
      const annotations: Record<string, string> = {};
      if (value !== undefined) annotations[Annotations.ReservePausedSandboxDuration] = value;
      return { metadata: { annotations } };
    };
    expect(pausedRetentionMs(withRetention())).toBeUndefined();
    expect(pausedRetentionMs(withRetention('forever'))).toBe(FOREVER_MS);
    expect(pausedRetentionMs(withRetention('garbage'))).toBe(FOREVER_MS);
    expect(pausedRetentionMs(withRetention('90s'))).toBe(90_000);
  });

  it('accepts a Date as the clock', () => {
    expect(
      getSandboxState(
        sandboxFor({ name: '', shutdownTime: FUTURE, phase: 'Running', ready: true, want: 'running' }),
        new Date(NOW),
      ),
    ).toBe('running');
  });

  it('treats only a controller ownerReference to a SandboxSet of this group as pool membership', () => {
    const base = sandboxFor({ name: '', phase: 'Running', ready: true, want: 'running' });
    const notController = {
      ...base,
      metadata: { ...base.metadata, ownerReferences: [{ ...poolOwner, controller: false }] },
    };
    const otherGroup = {
      ...base,
      metadata: { ...base.metadata, ownerReferences: [{ ...poolOwner, apiVersion: 'apps/v1' }] },
    };
    const otherKind = {
      ...base,
      metadata: { ...base.metadata, ownerReferences: [{ ...poolOwner, kind: 'ReplicaSet' }] },
    };
    for (const sbx of [notController, otherGroup, otherKind]) {
      expect(sandboxSetOwner(sbx)).toBeUndefined();
      expect(getSandboxState(sbx, NOW)).toBe('running');
    }
  });
});
