import { describe, expect, it } from '@jest/globals';
import type { Pod } from '@kruise-agents/kube-runtime';
import { logRunFor, LogRequestError, parseLogQuery, runOfContainerID } from './log-query';

const q = (s: string) => parseLogQuery(new URLSearchParams(s), 1_000_000);

describe('parseLogQuery', () => {
  it('reads the parameters kube-apiserver passes on', () => {
    expect(q('')).toEqual({ follow: false, previous: false, timestamps: false });
    expect(q('follow=true&previous=1&timestamps=true&tailLines=0&limitBytes=5&sinceSeconds=10')).toEqual({
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 0,
      limitBytes: 5,
      sinceMs: 990_000,
    });
    expect(q('sinceTime=2026-01-02T03:04:05Z').sinceMs).toBe(Date.parse('2026-01-02T03:04:05Z'));
  });

  it('refuses what does not parse or cannot be served, with 400', () => {
    for (const bad of [
      'tailLines=x',
      'tailLines=-1',
      'limitBytes=0',
      'sinceSeconds=0',
      'follow=maybe',
      'sinceTime=x',
    ]) {
      expect(() => q(bad)).toThrow(LogRequestError);
    }
    expect(() => q('sinceSeconds=1&sinceTime=2026-01-02T03:04:05Z')).toThrow('at most one of');
  });
});

const ID = (n: number) => `local-node://uid-1/main/${n}`;

function pod(status: Record<string, unknown>): Pod {
  return {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'main' }] },
    status: { containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: '', imageID: '', ...status }] },
  } as Pod;
}

describe('logRunFor (the kubelet rules for which container instance)', () => {
  it('reads a container ID of this node', () => {
    expect(runOfContainerID(ID(12))).toBe(12);
    expect(runOfContainerID('containerd://abc')).toBeUndefined();
  });

  it('the running instance, else the last terminated one; previous: the last state', () => {
    const running = pod({
      containerID: ID(2),
      state: { running: {} },
      lastState: { terminated: { containerID: ID(1) } },
    });
    expect(logRunFor(running, 'main', false)).toBe(2);
    expect(logRunFor(running, 'main', true)).toBe(1);
    const exited = pod({ containerID: ID(3), state: { terminated: { containerID: ID(3) } } });
    expect(logRunFor(exited, 'main', false)).toBe(3);
    // In CrashLoopBackOff the last state is the run that just crashed: both read it.
    const crashLoop = pod({
      containerID: ID(4),
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { containerID: ID(4) } },
    });
    expect(logRunFor(crashLoop, 'main', false)).toBe(4);
    expect(logRunFor(crashLoop, 'main', true)).toBe(4);
  });

  it('says why there is no log, as the kubelet does', () => {
    const fresh = pod({ containerID: ID(0), state: { running: {} }, lastState: {} });
    expect(() => logRunFor(fresh, 'main', true)).toThrow('previous terminated container "main" in pod "p" not found');
    const creating = pod({ state: { waiting: { reason: 'ContainerCreating' } } });
    expect(() => logRunFor(creating, 'main', false)).toThrow(
      'container "main" in pod "p" is waiting to start: ContainerCreating',
    );
    expect(() => logRunFor(fresh, 'other', false)).toThrow('container "other" in pod "p" is not available');
  });
});
