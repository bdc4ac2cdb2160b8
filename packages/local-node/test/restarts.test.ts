import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import {
  containerStatus,
  HTTP_SERVER_COMMAND,
  httpGetJson,
  isReady,
  podManifest,
  startHarness,
  waitForPod,
} from './harness';

const h = fileFixture(() =>
  startHarness({
    defaultCommand: HTTP_SERVER_COMMAND,
    imageMap: {
      images: {
        'web:v1': { command: HTTP_SERVER_COMMAND, env: { VERSION: 'v1' } },
        'web:v2': { command: HTTP_SERVER_COMMAND, env: { VERSION: 'v2' } },
        'crash:*': { command: ['sh', '-c', 'sleep 0.2; exit 3'] },
      },
    },
  }),
);

const status = containerStatus;

describe('restarts', () => {
  it('restarts a crashing container with back-off (restartPolicy Always)', async () => {
    await h.pods.create(podManifest('crasher', [{ name: 'main', image: 'crash:1' }]));
    const pod = await waitForPod(h.pods, 'crasher', 'restarted twice', (p) => (status(p)?.restartCount ?? 0) >= 2);
    expect(pod.status?.phase).toBe('Running');
    const cs = status(pod)!;
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    // Between restarts the kubelet reports CrashLoopBackOff.
    await waitForPod(
      h.pods,
      'crasher',
      'CrashLoopBackOff',
      (p) => status(p)?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    await h.pods.delete('default', 'crasher');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'crasher')) === undefined);
  });

  it('fails a pod whose container exits non-zero under restartPolicy Never; succeeds one that exits 0 under OnFailure', async () => {
    await h.pods.create(podManifest('never', [{ name: 'main', image: 'crash:1' }], { restartPolicy: 'Never' }));
    await h.pods.create(
      podManifest('onfailure', [{ name: 'main', image: 'x', command: ['sh', '-c', 'exit 0'] }], {
        restartPolicy: 'OnFailure',
      }),
    );
    const failed = await waitForPod(h.pods, 'never', 'Failed', (p) => p.status?.phase === 'Failed');
    expect(status(failed)).toMatchObject({ restartCount: 0, ready: false });
    expect(status(failed)?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(failed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
    const succeeded = await waitForPod(h.pods, 'onfailure', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    expect(status(succeeded)?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    // A finished pod is deleted at once (no kubelet to wait for).
    await h.pods.delete('default', 'never');
    await h.pods.delete('default', 'onfailure');
  });

  it('reports a command that cannot start as RunContainerError and keeps the pod Pending', async () => {
    await h.pods.create(podManifest('missing', [{ name: 'main', image: 'x', command: ['/nonexistent/binary'] }]));
    const pod = await waitForPod(
      h.pods,
      'missing',
      'RunContainerError',
      (p) => status(p)?.state?.waiting?.reason === 'RunContainerError',
    );
    expect(pod.status?.phase).toBe('Pending');
    await h.pods.delete('default', 'missing');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'missing')) === undefined);
  });

  it('changes a container image in place: restart with the new mapping, same IP, restartCount + 1, new imageID', async () => {
    await h.pods.create(
      podManifest('upgrade', [
        { name: 'main', image: 'web:v1', readinessProbe: { httpGet: { port: 49983 }, periodSeconds: 1 } },
      ]),
    );
    const before = await waitForPod(h.pods, 'upgrade', 'Ready', isReady);
    const ip = before.status!.podIP!;
    expect((await httpGetJson(ip)).version).toBe('v1');
    await h.pods.patch('default', 'upgrade', 'strategic', {
      spec: { containers: [{ name: 'main', image: 'web:v2' }] },
    });
    const after = await waitForPod(
      h.pods,
      'upgrade',
      'Ready on v2',
      (p) => isReady(p) && status(p)?.image === 'web:v2',
    );
    expect(after.status?.podIP).toBe(ip);
    expect(status(after)?.restartCount).toBe(1);
    expect(status(after)?.imageID).not.toBe(status(before)?.imageID);
    expect((await httpGetJson(ip)).version).toBe('v2');
    await h.pods.delete('default', 'upgrade');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'upgrade')) === undefined);
  });

  it('restarts a container that fails its liveness probe', async () => {
    await h.pods.create(
      podManifest('unhealthy', [
        {
          name: 'main',
          image: 'x',
          // Healthy for a moment, then its health file disappears (restarts start healthy again: a new root file).
          command: ['sh', '-c', 'touch healthy; sleep 0.5; rm healthy; exec sleep 60'],
          livenessProbe: { exec: { command: ['test', '-f', 'healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ]),
    );
    const pod = await waitForPod(h.pods, 'unhealthy', 'restarted', (p) => (status(p)?.restartCount ?? 0) >= 1);
    expect(status(pod)?.lastState?.terminated).toMatchObject({ message: 'failed its liveness probe' });
    await h.pods.delete('default', 'unhealthy');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'unhealthy')) === undefined);
  });

  it('runs init containers in order before the containers, and a native sidecar beside them', async () => {
    await h.pods.create(
      podManifest(
        'with-init',
        [{ name: 'main', image: 'x', command: ['sh', '-c', 'cat first second > both; exec sleep 60'] }],
        {
          initContainers: [
            { name: 'one', image: 'x', command: ['sh', '-c', 'sleep 0.2; echo 1 > first'] },
            { name: 'sidecar', image: 'x', restartPolicy: 'Always', command: ['sleep', '60'] },
            { name: 'two', image: 'x', command: ['sh', '-c', 'test -f first && echo 2 > second'] },
          ],
        },
      ),
    );
    const initializing = await waitForPod(
      h.pods,
      'with-init',
      'initializing',
      (p) => p.status?.phase === 'Pending' && !!p.status.containerStatuses,
    );
    expect(initializing.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('False');
    const pod = await waitForPod(h.pods, 'with-init', 'Ready', isReady);
    const inits = (
      pod.status as { initContainerStatuses?: Array<{ name: string; state?: Record<string, { exitCode?: number }> }> }
    ).initContainerStatuses;
    expect(inits?.map((c) => [c.name, Object.keys(c.state ?? {})[0]])).toEqual([
      ['one', 'terminated'],
      ['sidecar', 'running'],
      ['two', 'terminated'],
    ]);
    const both = await waitFor('main read both files', async () => {
      const { readFileSync, existsSync } = await import('node:fs');
      const file = `${h.dataDir}/pods/default_with-init_${pod.metadata.uid}/root/both`;
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      return text.endsWith('\n2\n') ? text : undefined;
    });
    expect(both).toBe('1\n2\n');
    await h.pods.delete('default', 'with-init');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'with-init')) === undefined);
  });
});
