import { describe, expect, it } from '@jest/globals';
import { Annotations, type SandboxClaim } from '@kruise-agents/api';
import { CoreError } from '../errors';
import { aSandbox, aSandboxClaim, aSandboxSet } from '../testing';
import { claimRuntimeInit, declaresAgentRuntime, hasRecordedRuntimeInit, recordedRuntimeInit } from './init-plan';

const withAnnotations = (annotations: Record<string, string>) => aSandbox({ name: 's', annotations });
const claimWith = (spec: Partial<SandboxClaim['spec']>): SandboxClaim => {
  const claim = aSandboxClaim();
  return { ...claim, spec: { ...claim.spec, ...spec } };
};

describe('recordedRuntimeInit', () => {
  it('is undefined when the claim recorded nothing (a pool member, a claim that skipped the runtime)', () => {
    const sandbox = withAnnotations({});
    expect(recordedRuntimeInit(sandbox)).toBeUndefined();
    expect(hasRecordedRuntimeInit(sandbox)).toBe(false);
  });

  it('reads back the /init body the claim lock wrote, and the mounts in order', () => {
    const sandbox = withAnnotations({
      [Annotations.InitRuntimeRequest]: '{"envVars":{"A":"1"},"accessToken":"tok"}',
      [Annotations.CsiVolumeConfig]: '[{"pvName":"a","mountPath":"/a"},{"pvName":"b","mountPath":"/a/b"}]',
    });
    expect(hasRecordedRuntimeInit(sandbox)).toBe(true);
    expect(recordedRuntimeInit(sandbox)).toEqual({
      init: { envVars: { A: '1' }, accessToken: 'tok' },
      mounts: [
        { pvName: 'a', mountPath: '/a' },
        { pvName: 'b', mountPath: '/a/b' },
      ],
    });
  });

  it('fills what the request left out: no env vars, no token', () => {
    expect(recordedRuntimeInit(withAnnotations({ [Annotations.InitRuntimeRequest]: '{}' }))).toEqual({
      init: { envVars: {}, accessToken: '' },
      mounts: [],
    });
  });

  it.each([
    ['not JSON', Annotations.InitRuntimeRequest, '{envVars', /init-runtime-request is not JSON/],
    ['an env var that is not a string', Annotations.InitRuntimeRequest, '{"envVars":{"A":1}}', /init-runtime-request/],
    ['a mount without a path', Annotations.CsiVolumeConfig, '[{"pvName":"a"}]', /csi-volume-config/],
  ])('refuses %s with CoreError InvalidAnnotation', (_what, key, value, message) => {
    const read = () => recordedRuntimeInit(withAnnotations({ [key]: value }));
    expect(read).toThrow(CoreError);
    expect(read).toThrow(message);
  });
});

describe('claimRuntimeInit', () => {
  const plain = aSandboxSet({ name: 'pool' });
  const declared = { ...plain, spec: { ...plain.spec, runtimes: [{ name: 'agent-runtime' as const }] } };
  const mounts = [{ pvName: 'pv', mountPath: '/data' }];

  it('knows a pool that declares the runtime (spec.runtimes, or an init container named runtime)', () => {
    expect(declaresAgentRuntime(plain)).toBe(false);
    expect(declaresAgentRuntime(declared)).toBe(true);
    const sidecar = structuredClone(plain);
    sidecar.spec.template!.spec.initContainers = [{ name: 'runtime', image: 'agent-runtime' }];
    expect(declaresAgentRuntime(sidecar)).toBe(true);
  });

  it.each<[string, Partial<SandboxClaim['spec']>, 'plain' | 'declared', ReturnType<typeof claimRuntimeInit>]>([
    ['nothing asked of a plain pool: no init', {}, 'plain', { initRuntime: false }],
    ['a pool that declares the runtime: init (token)', {}, 'declared', { initRuntime: true }],
    ['envVars: init, even on a plain pool', { envVars: { A: '1' } }, 'plain', { initRuntime: true }],
    ['mounts: init, even on a plain pool', { dynamicVolumesMount: mounts }, 'plain', { initRuntime: true }],
    ['skipInitRuntime wins over the pool', { skipInitRuntime: true }, 'declared', { initRuntime: false }],
    [
      'skipInitRuntime wins over envVars',
      { skipInitRuntime: true, envVars: { A: '1' } },
      'plain',
      { initRuntime: false },
    ],
    [
      'mounts without the runtime are invalid',
      { skipInitRuntime: true, dynamicVolumesMount: mounts },
      'declared',
      { invalid: 'dynamicVolumesMount needs the runtime init: it cannot be combined with skipInitRuntime' },
    ],
  ])('%s', (_what, spec, pool, expected) => {
    expect(claimRuntimeInit(claimWith(spec), pool === 'plain' ? plain : declared)).toEqual(expected);
  });
});
