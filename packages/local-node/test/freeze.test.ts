import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { FROZEN_ANNOTATION, PodConditions } from '../src';
import { HTTP_SERVER_COMMAND, condition, isReady, podManifest, startHarness, waitForPod } from './harness';

const h = fileFixture(() => startHarness({ defaultCommand: HTTP_SERVER_COMMAND }));

/** Exits on SIGTERM. */
const GRACEFUL = `process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 50);`;

/** Counts in memory and writes the count to a file in its sandbox root every 20 ms. */
const COUNTER = `let n = 0; setInterval(() => require('node:fs').writeFileSync('count', String(++n)), 20);`;

describe('freeze and thaw', () => {
  it('stops the process group (no progress), reports Frozen and not Ready, and thaws with memory kept', async () => {
    const { readFileSync } = await import('node:fs');
    await h.pods.create(
      podManifest('frozen', [{ name: 'main', image: 'x', command: [process.execPath, '-e', COUNTER] }]),
    );
    const pod = await waitForPod(h.pods, 'frozen', 'Ready', isReady);
    const countFile = `${h.dataDir}/pods/default_frozen_${pod.metadata.uid}/root/count`;
    const count = () => Number(readFileSync(countFile, 'utf8') || '0');
    await waitFor('counting', async () => count() > 5);

    await h.pods.patch('default', 'frozen', 'merge', { metadata: { annotations: { [FROZEN_ANNOTATION]: 'true' } } });
    const frozen = await waitForPod(h.pods, 'frozen', 'Frozen', (p) => condition(p, PodConditions.Frozen) === 'True');
    expect(frozen.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Frozen',
    });
    const atFreeze = count();
    await new Promise((r) => setTimeout(r, 600));
    expect(count()).toBe(atFreeze); // a frozen process makes no progress

    await h.pods.patch('default', 'frozen', 'merge', { metadata: { annotations: { [FROZEN_ANNOTATION]: null } } });
    const thawed = await waitForPod(
      h.pods,
      'frozen',
      'thawed and Ready',
      (p) => isReady(p) && condition(p, PodConditions.Frozen) === 'False',
    );
    await waitFor('counting again', async () => count() > atFreeze + 3);
    // The same process continued from its count in memory: no restart, no reset to 1.
    expect(count()).toBeGreaterThan(atFreeze);
    expect(count()).toBeLessThan(atFreeze + 200);
    expect(thawed.status?.containerStatuses?.[0]?.restartCount).toBe(0);

    await h.pods.delete('default', 'frozen');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'frozen')) === undefined);
  });

  it('deletes a frozen pod promptly (SIGCONT with the SIGTERM)', async () => {
    await h.pods.create(
      podManifest(
        'frozen-delete',
        // Frozen and deleted moments after its start, maybe while bubblewrap still sets up the sandbox (the SIGTERM
        // its PID 1 drops then is passed on to the program, see terminateGroup).
        [{ name: 'main', image: 'x', command: [process.execPath, '-e', GRACEFUL] }],
        { terminationGracePeriodSeconds: 20 },
      ),
    );
    await waitForPod(h.pods, 'frozen-delete', 'Ready', isReady);
    await h.pods.patch('default', 'frozen-delete', 'merge', {
      metadata: { annotations: { [FROZEN_ANNOTATION]: 'true' } },
    });
    await waitForPod(h.pods, 'frozen-delete', 'Frozen', (p) => condition(p, PodConditions.Frozen) === 'True');
    const t = Date.now();
    await h.pods.delete('default', 'frozen-delete');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'frozen-delete')) === undefined);
    // Well within the 20 s grace period (even on a loaded machine): the SIGTERM was handled, no SIGKILL was needed.
    expect(Date.now() - t).toBeLessThan(10_000);
  }, 40_000);
});
