import { describe, expect, it } from '@jest/globals';
import { Resources } from '@kruise-agents/kube-runtime';
import { fileFixture } from 'test-kit/jest';
import { ImageMapError, startLocalNode } from '../src';
import {
  HTTP_SERVER_COMMAND,
  TEST_IP_RANGE,
  httpGetJson,
  isReady,
  podManifest,
  startHarness,
  waitForPod,
} from './harness';

// No node at start: the tests start theirs once the ConfigMap they read exists.
const h = fileFixture(async () => {
  const harness = await startHarness({}, false);
  await harness.client.resource(Resources.ConfigMap).create({
    metadata: { name: 'images', namespace: 'kube-system' },
    data: {
      'images.json': JSON.stringify({
        images: { 'web:*': { command: HTTP_SERVER_COMMAND, env: { VERSION: 'from-configmap' } } },
      }),
    },
  } as never);
  return harness;
});

describe('the image table from a ConfigMap', () => {
  it('maps images through the ConfigMap', async () => {
    await h.startNode({
      imageMap: { configMap: { namespace: 'kube-system', name: 'images' } },
      defaultCommand: ['false'],
    });
    await h.pods.create(
      podManifest('cm', [{ name: 'main', image: 'web:1', readinessProbe: { tcpSocket: { port: 49983 } } }]),
    );
    const pod = await waitForPod(h.pods, 'cm', 'Ready', isReady);
    expect((await httpGetJson(pod.status!.podIP!)).version).toBe('from-configmap');
  });

  it('refuses to start on a missing key, saying which', async () => {
    await expect(
      startLocalNode({
        kubeconfig: { yaml: h.api.kubeconfig },
        nodeName: 'other',
        dataDir: h.dataDir,
        ipRange: TEST_IP_RANGE,
        imageMap: { configMap: { namespace: 'kube-system', name: 'images', key: 'nope.json' } },
      }),
    ).rejects.toThrow(ImageMapError);
  });
});
