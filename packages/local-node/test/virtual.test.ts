import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { FROZEN_ANNOTATION, PodConditions } from '../src';
import { condition, isReady, podManifest, startHarness, waitForPod } from './harness';

// A command that cannot run: virtual mode must never try.
const h = fileFixture(() => startHarness({ mode: 'virtual', defaultCommand: ['/nonexistent/never-run'] }));

describe('virtual mode', () => {
  it('reports pods Running and Ready with no process, and removes them at once on deletion', async () => {
    expect(h.node.isolation).toBe('virtual');
    await h.pods.create(
      podManifest('v1', [{ name: 'main', image: 'x', readinessProbe: { tcpSocket: { port: 49983 } } }], {
        terminationGracePeriodSeconds: 30,
      }),
    );
    const pod = await waitForPod(h.pods, 'v1', 'Ready', isReady);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.podIP).toMatch(/^127\./);
    expect(pod.status?.conditions?.find((c) => c.type === PodConditions.Isolated)).toMatchObject({
      status: 'False',
      reason: 'Virtual',
    });
    const t = Date.now();
    await h.pods.delete('default', 'v1');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'v1')) === undefined);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('answers kubectl logs with an empty log: a virtual container prints nothing', async () => {
    await h.pods.create(podManifest('quiet', [{ name: 'main', image: 'x' }]));
    await waitForPod(h.pods, 'quiet', 'Ready', isReady);
    // Asynchronously: kube-lite and the node answer from this very process.
    const kubeconfig = path.join(h.dataDir, 'kubeconfig');
    const { stdout } = await promisify(execFile)('kubectl', [
      '--kubeconfig',
      kubeconfig,
      'logs',
      'quiet',
      '--tail',
      '5',
    ]);
    expect(stdout).toBe('');
  });

  it('changes images in place and freezes, in status only', async () => {
    await h.pods.create(podManifest('v2', [{ name: 'main', image: 'a:1' }]));
    const before = await waitForPod(h.pods, 'v2', 'Ready', isReady);
    await h.pods.patch('default', 'v2', 'strategic', { spec: { containers: [{ name: 'main', image: 'a:2' }] } });
    const after = await waitForPod(
      h.pods,
      'v2',
      'on a:2',
      (p) => isReady(p) && p.status?.containerStatuses?.[0]?.image === 'a:2',
    );
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(after.status?.containerStatuses?.[0]?.imageID).not.toBe(before.status?.containerStatuses?.[0]?.imageID);
    expect(after.status?.podIP).toBe(before.status?.podIP);
    await h.pods.patch('default', 'v2', 'merge', { metadata: { annotations: { [FROZEN_ANNOTATION]: 'true' } } });
    const frozen = await waitForPod(h.pods, 'v2', 'Frozen', (p) => condition(p, PodConditions.Frozen) === 'True');
    expect(condition(frozen, 'Ready')).toBe('False');
    await h.pods.delete('default', 'v2');
  });

  it('runs hundreds of pods, and a restarted node recovers them from their status alone', async () => {
    const n = 300;
    await Promise.all(
      Array.from({ length: n }, (_, i) => h.pods.create(podManifest(`many-${i}`, [{ name: 'main', image: 'x' }]))),
    );
    const ready = async () =>
      (await h.pods.list('default')).items.filter((p) => p.metadata.name?.startsWith('many-') && isReady(p));
    await waitFor('all Ready', async () => (await ready()).length === n, 20_000);
    const ips = new Set((await ready()).map((p) => p.status?.podIP));
    expect(ips.size).toBe(n);
    const versions = async () =>
      Object.fromEntries((await ready()).map((p) => [p.metadata.name, p.metadata.resourceVersion]));
    const before = await versions();
    await h.node.close();
    await h.startNode();
    await new Promise((r) => setTimeout(r, 500));
    // Nothing to change: the restarted node rewrites no pod.
    expect(await versions()).toEqual(before);
    expect((await ready()).length).toBe(n);
  });
});
