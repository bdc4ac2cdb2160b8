import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { Resources } from '@kruise-agents/kube-runtime';
import { startKubeLite } from './kube-lite';
import { sandboxSetManifest } from './sandbox-set';

it('serves the CRDs to its client, writes the kubeconfig into its dir, and close() removes the dir', async () => {
  const cluster = await startKubeLite('test-kit-kube-lite');
  try {
    expect(readFileSync(cluster.kubeconfigPath, 'utf8')).toBe(cluster.api.kubeconfig);
    const sets = cluster.kube.resource(Resources.SandboxSet);
    await sets.create(sandboxSetManifest({ name: 'pool', replicas: 2, labels: { app: 'pool' } }));
    const stored = await sets.get('default', 'pool');
    expect(stored.spec.replicas).toBe(2);
    expect(stored.spec.template?.metadata?.labels).toEqual({ app: 'pool' });
    expect(stored.spec.template?.spec.containers).toEqual([{ name: 'main', image: 'demo:1' }]);
  } finally {
    await cluster.close();
  }
  expect(existsSync(cluster.dir)).toBe(false);
});
