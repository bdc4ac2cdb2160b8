import { describe, expect, it } from '@jest/globals';
import { Annotations, Finalizers, type Sandbox } from '@kruise-agents/api';
import { T0, aSandbox } from '@kruise-agents/core/testing';
import type { Pod } from '@kruise-agents/kube-runtime';
import { FROZEN_POD_ANNOTATION, decidePause, decideResume } from './pause';

const running = (extra: Partial<Sandbox['spec']> = {}): Sandbox => {
  const s = aSandbox({ name: 'a', phase: 'Running', ready: true });
  return { ...s, spec: { ...s.spec, paused: true, ...extra } };
};
const pod = (annotations: Record<string, string> = {}, frozen = false): Pod => ({
  metadata: { name: 'a', namespace: 'default', uid: 'p1', annotations },
  spec: { containers: [{ name: 'main', image: 'x' }] },
  status: { phase: 'Running', conditions: frozen ? [{ type: 'Frozen', status: 'True' }] : [] },
});
const cond = (s: { conditions?: { type: string; status: string; reason?: string }[] }, type: string) =>
  s.conditions?.find((c) => c.type === type);

describe('decidePause', () => {
  it('Stop: holds the finalizer first, then deletes the pod, then reports the pause done', () => {
    const first = decidePause(running(), pod(), T0);
    expect(first.action.kind).toBe('add-finalizer');
    expect(first.status.phase).toBe('Paused');
    expect(first.status.pausedAt).toBe('2026-01-01T00:00:00Z');
    expect(cond(first.status, 'SandboxPaused')).toMatchObject({ status: 'False', reason: 'Pending' });
    const held = running();
    held.metadata.finalizers = [Finalizers.Sandbox];
    expect(decidePause(held, pod(), T0).action.kind).toBe('delete-pod');
    const done = decidePause(held, undefined, T0);
    expect(done.action.kind).toBe('none');
    expect(cond(done.status, 'SandboxPaused')).toMatchObject({ status: 'True', reason: 'StopPauseSucceed' });
    expect(cond(done.status, 'Ready')?.status).toBe('False');
  });

  it('Freeze: annotates the pod, and is done when the node reports Frozen', () => {
    const sandbox = running({ pauseStrategy: { type: 'Freeze' } });
    expect(decidePause(sandbox, pod(), T0).action).toEqual({ kind: 'annotate-pod', frozen: true });
    const done = decidePause(sandbox, pod({ [FROZEN_POD_ANNOTATION]: 'true' }, true), T0);
    expect(done.action.kind).toBe('none');
    expect(cond(done.status, 'SandboxPaused')).toMatchObject({ status: 'True', reason: 'FreezePauseSucceed' });
  });
});

describe('decideResume', () => {
  const paused = (): Sandbox => {
    const s = running({ paused: false, shutdownTime: '2026-01-01T00:10:00Z' });
    s.metadata.finalizers = [Finalizers.Sandbox];
    s.status = { ...s.status, phase: 'Paused', pausedAt: '2026-01-01T00:01:00Z' };
    return s;
  };

  it('recreates a stopped pod, then finishes: shutdown pushed by the time paused, finalizer dropped', () => {
    expect(decideResume(paused(), undefined, T0 + 120_000).action.kind).toBe('create-pod');
    const done = decideResume(paused(), pod(), T0 + 120_000);
    expect(done.action.kind).toBe('finish-resume');
    if (done.action.kind !== 'finish-resume') return;
    expect(done.action.sandbox.spec.shutdownTime).toBe('2026-01-01T00:11:00Z');
    expect(done.action.sandbox.metadata.finalizers).toEqual([]);
    expect(done.status.phase).toBe('Running');
    expect(done.status.pausedAt).toBeUndefined();
    expect(cond(done.status, 'SandboxResumed')?.status).toBe('True');
  });

  it('thaws a frozen pod first and waits for the node', () => {
    expect(decideResume(paused(), pod({ [FROZEN_POD_ANNOTATION]: 'true' }, true), T0).action).toEqual({
      kind: 'annotate-pod',
      frozen: false,
    });
    expect(decideResume(paused(), pod({}, true), T0).action.kind).toBe('none');
  });

  describe('the runtime of a resumed sandbox', () => {
    const claimed = (podUID: string): Sandbox => {
      const s = paused();
      s.metadata.annotations = { [Annotations.InitRuntimeRequest]: '{"envVars":{},"accessToken":"tok"}' };
      s.status = { ...s.status, podInfo: { podUID } };
      return s;
    };

    it('is initialised again, before Ready, when the pod is a new one (Stop)', () => {
      const done = decideResume(claimed('old-pod'), pod(), T0);
      expect(done.action.kind).toBe('finish-resume');
      expect(cond(done.status, 'RuntimeInitialized')).toMatchObject({ status: 'False', reason: 'Pending' });
    });

    it('is left alone when the same pod was thawed (Freeze kept the runtime and its token)', () => {
      const done = decideResume(claimed('p1'), pod(), T0);
      expect(done.action.kind).toBe('finish-resume');
      expect(cond(done.status, 'RuntimeInitialized')).toBeUndefined();
    });

    it('is left alone when the claim recorded nothing to replay', () => {
      const done = decideResume(paused(), pod(), T0);
      expect(cond(done.status, 'RuntimeInitialized')).toBeUndefined();
    });
  });
});
