import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { PodConditions } from '../src';
import { HTTP_SERVER_COMMAND, condition, httpGetJson, isReady, podManifest, startHarness, waitForPod } from './harness';

const h = fileFixture(() => startHarness({ defaultCommand: HTTP_SERVER_COMMAND }));

describe('local node against kube-lite', () => {
  it('binds, runs on its own loopback IP, reports Ready by its readiness probe, and deletes gracefully', async () => {
    await h.pods.create(
      podManifest('web', [
        {
          name: 'main',
          image: 'sandbox:latest',
          env: [{ name: 'GREETING', value: 'hello $(POD_NAME)' }],
          workingDir: '/work',
          readinessProbe: { httpGet: { path: '/', port: 49983 }, periodSeconds: 1 },
        },
      ]),
    );
    const pod = await waitForPod(h.pods, 'web', 'Ready', isReady);
    expect(pod.spec.nodeName).toBe('test-node');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.podIP).toMatch(/^127\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
      expect(condition(pod, type)).toBe('True');
    expect(pod.status?.conditions?.find((c) => c.type === PodConditions.Isolated)?.reason).toBe(
      h.node.isolation === 'bubblewrap' ? 'Bubblewrap' : 'None',
    );
    const cs = pod.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({ name: 'main', ready: true, restartCount: 0, image: 'sandbox:latest', started: true });
    expect(cs.imageID).toMatch(/^local-node:\/\/sha256:[0-9a-f]{64}$/);
    expect(cs.state?.running).toBeDefined();

    const answer = await httpGetJson(pod.status!.podIP!);
    expect(answer.env).toBe('hello web');
    expect(String(answer.cwd)).toMatch(/\/root\/work$/);
    const sandboxRoot = path.dirname(String(answer.cwd));

    expect(existsSync(sandboxRoot)).toBe(true);
    await h.pods.delete('default', 'web');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'web')) === undefined);
    expect(existsSync(sandboxRoot)).toBe(false);
    await expect(httpGetJson(pod.status!.podIP!)).rejects.toThrow();
  });

  it('gives every pod its own IP, so all listen on the same port', async () => {
    const names = ['a1', 'a2', 'a3'];
    for (const name of names) {
      await h.pods.create(
        podManifest(name, [{ name: 'main', image: 'x', readinessProbe: { tcpSocket: { port: 49983 } } }]),
      );
    }
    const pods = await Promise.all(names.map((n) => waitForPod(h.pods, n, 'Ready', isReady)));
    const ips = new Set(pods.map((p) => p.status!.podIP));
    expect(ips.size).toBe(3);
    const answers = await Promise.all(pods.map(async (p) => (await httpGetJson(p.status!.podIP!)).name));
    expect(answers).toEqual(names);
    await Promise.all(names.map((n) => h.pods.delete('default', n)));
    await waitFor('pods removed', async () => (await h.pods.list('default')).items.length === 0);
  });

  it('exec readiness probe decides Ready', async () => {
    await h.pods.create(
      podManifest('exec-probe', [
        {
          name: 'main',
          image: 'x',
          command: ['sh', '-c', 'sleep 0.7; touch ready; exec sleep 60'],
          readinessProbe: { exec: { command: ['test', '-f', 'ready'] }, periodSeconds: 1 },
        },
      ]),
    );
    const notYet = await waitForPod(h.pods, 'exec-probe', 'Running', (p) => p.status?.phase === 'Running');
    expect(condition(notYet, 'Ready')).toBe('False');
    const ready = await waitForPod(h.pods, 'exec-probe', 'Ready', isReady);
    expect(ready.status?.containerStatuses?.[0]?.ready).toBe(true);
    await h.pods.delete('default', 'exec-probe');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'exec-probe')) === undefined);
  });

  it('deletes gracefully: SIGTERM to the group, the grace period, then SIGKILL', async () => {
    // Ready only once the shell has set its trap: a SIGTERM that comes before it finds the default action, as it would
    // on a kubelet (the node delivers a SIGTERM even to a program that started after it was sent).
    const trapping = (trap: string) => ({
      name: 'main',
      image: 'x',
      command: ['sh', '-c', `${trap}; touch trapped; while :; do sleep 0.05; done`],
      readinessProbe: { exec: { command: ['test', '-f', 'trapped'] }, periodSeconds: 1 },
    });
    const obeys = podManifest('obeys', [trapping('trap "exit 0" TERM')], { terminationGracePeriodSeconds: 20 });
    const ignores = podManifest('ignores', [trapping('trap "" TERM')], { terminationGracePeriodSeconds: 2 });
    await h.pods.create(obeys);
    await h.pods.create(ignores);
    await waitForPod(h.pods, 'obeys', 'Ready', isReady);
    await waitForPod(h.pods, 'ignores', 'Ready', isReady);
    const removal = async (name: string) => {
      const t = Date.now();
      await h.pods.delete('default', name);
      await waitFor(`${name} removed`, async () => (await h.pods.find('default', name)) === undefined);
      return Date.now() - t;
    };
    const [fast, slow] = await Promise.all([removal('obeys'), removal('ignores')]);
    expect(fast).toBeLessThan(10_000); // well within its 20 s grace: SIGTERM handled
    expect(slow).toBeGreaterThanOrEqual(1900);
    expect(slow).toBeLessThan(15_000);
  }, 40_000);

  it('logs stdout and stderr under the pod directory and reports honoured spec in the sandbox root', async () => {
    await h.pods.create(
      podManifest('logger', [
        {
          name: 'main',
          image: 'x',
          command: ['sh', '-c', 'echo out-$POD_NAME; echo err >&2; pwd > where; exec sleep 60'],
        },
      ]),
    );
    const pod = await waitForPod(h.pods, 'logger', 'Ready', isReady);
    const dir = path.join(h.dataDir, 'pods', `default_logger_${pod.metadata.uid}`);
    const log = await waitFor('log written', async () => {
      const text = existsSync(path.join(dir, 'logs/main/0.log'))
        ? readFileSync(path.join(dir, 'logs/main/0.log'), 'utf8')
        : '';
      return text.includes('err') ? text : undefined;
    });
    expect(log).toContain('out-logger');
    expect(readFileSync(path.join(dir, 'root/where'), 'utf8').trim()).toBe(path.join(dir, 'root'));
    await h.pods.delete('default', 'logger');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'logger')) === undefined);
  });

  it('under bubblewrap, a pod sees neither the other pods nor their files', async () => {
    await h.pods.create(
      podManifest('peer-a', [{ name: 'main', image: 'x', command: ['sh', '-c', 'echo s > secret; exec sleep 60'] }]),
    );
    const a = await waitForPod(h.pods, 'peer-a', 'Ready', isReady);
    const secret = path.join(h.dataDir, 'pods', `default_peer-a_${a.metadata.uid}`, 'root', 'secret');
    await waitFor('secret written', async () => existsSync(secret));
    const probe = `if test -e ${secret}; then echo seen > seen; else echo hidden > seen; fi; exec sleep 60`;
    await h.pods.create(podManifest('peer-b', [{ name: 'main', image: 'x', command: ['sh', '-c', probe] }]));
    const b = await waitForPod(h.pods, 'peer-b', 'Ready', isReady);
    const seen = path.join(h.dataDir, 'pods', `default_peer-b_${b.metadata.uid}`, 'root', 'seen');
    const verdict = await waitFor('verdict', async () => existsSync(seen) && readFileSync(seen, 'utf8').trim());
    expect(verdict).toBe(h.node.isolation === 'bubblewrap' ? 'hidden' : 'seen');
    await Promise.all(['peer-a', 'peer-b'].map((n) => h.pods.delete('default', n)));
    await waitFor('pods removed', async () => (await h.pods.list('default')).items.length === 0);
  });
});
