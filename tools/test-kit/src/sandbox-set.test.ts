import { expect, it } from '@jest/globals';
import { API_VERSION } from '@kruise-agents/api';
import { sandboxSetManifest } from './sandbox-set';

it('builds a pool of one container `main`, the caller adding to the container and overriding the spec', () => {
  const set = sandboxSetManifest({
    name: 'demo',
    namespace: 'team-a',
    replicas: 3,
    container: { image: 'python:3.12', resources: { limits: { cpu: '1' } } },
    spec: { updateStrategy: { maxUnavailable: 1 }, scaleStrategy: { maxUnavailable: 0 } },
  });
  expect(set).toEqual({
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { name: 'demo', namespace: 'team-a' },
    spec: {
      replicas: 3,
      updateStrategy: { maxUnavailable: 1 },
      scaleStrategy: { maxUnavailable: 0 },
      template: { spec: { containers: [{ name: 'main', image: 'python:3.12', resources: { limits: { cpu: '1' } } }] } },
    },
  });
});
