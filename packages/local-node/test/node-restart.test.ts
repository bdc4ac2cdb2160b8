import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Pod } from '@kruise-agents/kube-runtime';
import { awaitOutput, spawnSource, waitFor } from 'test-kit';
import {
  TEST_IP_RANGE,
  containerStatus,
  FAST_BACKOFF,
  HTTP_SERVER_COMMAND,
  httpGetJson,
  isReady,
  podManifest,
  startHarness,
  waitForPod,
  type Harness,
} from './harness';

const serverPod = (name: string, restartPolicy = 'Always') =>
  podManifest(name, [{ name: 'main', image: 'x', readinessProbe: { httpGet: { port: 49983 }, periodSeconds: 1 } }], {
    restartPolicy,
  });
/** The ticks in a run's log file (CRI records), in order. */
const ticks = (pod: Pod) =>
  [
    ...readFileSync(
      path.join(h!.dataDir, 'pods', `default_${pod.metadata.name}_${pod.metadata.uid}`, 'logs', 'main', '0.log'),
      'utf8',
    ).matchAll(/^\S+ stdout F tick (\d+)$/gm),
  ].map((m) => Number(m[1]));
const idOf = (pod: Pod) => (pod.status?.containerStatuses?.[0] as { containerID?: string } | undefined)?.containerID;
const answers = (ip: string) =>
  httpGetJson(ip).then(
    () => true,
    () => false,
  );

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('restart of the node', () => {
  it('kills every child at a clean shutdown; the next node restarts or fails the pods per restartPolicy, keeping IPs', async () => {
    h = await startHarness({ defaultCommand: HTTP_SERVER_COMMAND });
    await h.pods.create(serverPod('always'));
    await h.pods.create(serverPod('never', 'Never'));
    const before = await waitForPod(h.pods, 'always', 'Ready', isReady);
    const never = await waitForPod(h.pods, 'never', 'Ready', isReady);
    expect(await answers(before.status!.podIP!)).toBe(true);

    await h.node.close();
    expect(await answers(before.status!.podIP!)).toBe(false);
    expect(await answers(never.status!.podIP!)).toBe(false);

    await h.startNode();
    const after = await waitForPod(
      h.pods,
      'always',
      'Ready after restart',
      (p) => isReady(p) && p.status?.containerStatuses?.[0]?.restartCount === 1,
    );
    expect(after.status?.podIP).toBe(before.status?.podIP);
    // A new process, so a new containerID (the operator re-initialises a runtime whose containerID changed).
    expect(idOf(after)).toBe(`local-node://${after.metadata.uid}/main/1`);
    expect(idOf(after)).not.toBe(idOf(before));
    expect(containerStatus(after)?.lastState?.terminated).toMatchObject({
      reason: 'ContainerStatusUnknown',
    });
    expect(await answers(after.status!.podIP!)).toBe(true);
    const failed = await waitForPod(h.pods, 'never', 'Failed', (p) => p.status?.phase === 'Failed');
    expect(failed.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      reason: 'ContainerStatusUnknown',
    });
  });

  it('after a crash of the node, adopts the processes of pods still here and kills those whose pods are gone', async () => {
    const harness = await startHarness({ defaultCommand: HTTP_SERVER_COMMAND }, false);
    h = harness;
    const options = {
      kubeconfig: { yaml: harness.api.kubeconfig },
      nodeName: 'test-node',
      dataDir: harness.dataDir,
      restartBackoff: FAST_BACKOFF,
      ipRange: TEST_IP_RANGE,
      defaultCommand: HTTP_SERVER_COMMAND,
    };
    const fixture = fileURLToPath(new URL('./fixtures/run-node.ts', import.meta.url));
    const child = spawnSource(fixture, [JSON.stringify(options)], ['ignore', 'pipe', 'inherit']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await awaitOutput(child, 'stdout', /ready/);
      await harness.pods.create(serverPod('keep'));
      await harness.pods.create(serverPod('gone'));
      const tick = 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done';
      await harness.pods.create(podManifest('talker', [{ name: 'main', image: 'x', command: ['sh', '-c', tick] }]));
      await waitForPod(harness.pods, 'keep', 'Ready', isReady);
      await waitForPod(harness.pods, 'talker', 'Ready', isReady);
      await waitForPod(harness.pods, 'gone', 'Ready', isReady);
    } finally {
      child.kill('SIGKILL'); // a crash: no clean shutdown
    }
    await exited;
    const keep = await harness.pods.get('default', 'keep');
    const gone = await harness.pods.get('default', 'gone');
    const keepBoot = (await httpGetJson(keep.status!.podIP!)).boot;
    // The containers outlived the crash; one pod is force-deleted while no node runs.
    expect(await answers(gone.status!.podIP!)).toBe(true);
    await harness.pods.delete('default', 'gone', { gracePeriodSeconds: 0 });

    await harness.startNode();
    await waitFor('the orphan killed', async () => !(await answers(gone.status!.podIP!)));
    // The survivor was adopted, not restarted: same process (same boot id), same IP, restartCount 0, still Ready.
    await new Promise((r) => setTimeout(r, 300));
    const after = await waitForPod(harness.pods, 'keep', 'Ready', isReady);
    expect(after.status?.podIP).toBe(keep.status?.podIP);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect((await httpGetJson(keep.status!.podIP!)).boot).toBe(keepBoot);
    // The same process keeps its containerID: nothing for the operator to re-initialise.
    expect(idOf(after)).toBe(idOf(keep));

    // The adopted process's output still reaches its log: what it printed while no node read (held in its pipe) and
    // after, every line once and in order, in the same run's file.
    const talker = await harness.pods.get('default', 'talker');
    const before = ticks(talker).length;
    await waitFor('ticks logged after the restart', () => ticks(talker).length > before + 10 || undefined);
    const all = ticks(talker);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(talker.status?.containerStatuses?.[0]?.restartCount).toBe(0);

    // An adopted process is stopped like any other when its pod is deleted.
    await harness.pods.delete('default', 'keep');
    await waitFor('pod removed', async () => (await harness.pods.find('default', 'keep')) === undefined);
    expect(await answers(keep.status!.podIP!)).toBe(false);
  });
});
