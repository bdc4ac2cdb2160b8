import { expect, it } from '@jest/globals';
import { Resources } from '@kruise-agents/kube-runtime';
import { startKubeLite } from './kube-lite';
import { sandboxSetManifest } from './sandbox-set';
import { recordWatch } from './watch-record';

it('records every version of the object after the one it starts from, until stop()', async () => {
  const cluster = await startKubeLite('test-kit-watch-record');
  try {
    const sets = cluster.kube.resource(Resources.SandboxSet);
    const created = await sets.create(sandboxSetManifest({ name: 'pool', replicas: 1 }));
    await sets.create(sandboxSetManifest({ name: 'other', replicas: 5 }));
    const watch = recordWatch(sets, created, (s) => s.spec.replicas);
    await sets.patch('default', 'pool', 'merge', { spec: { replicas: 2 } });
    await sets.patch('default', 'pool', 'merge', { spec: { replicas: 3 } });
    await watch.stop();
    expect(watch.seen).toEqual([2, 3]);
    await sets.patch('default', 'pool', 'merge', { spec: { replicas: 4 } });
    expect(watch.seen).toEqual([2, 3]);
  } finally {
    await cluster.close();
  }
});
