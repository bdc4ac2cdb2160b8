import { existsSync, readFileSync, statSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { Resources } from '@kruise-agents/kube-runtime';
import { createHostVolume } from './host-volume';
import { startKubeLite } from './kube-lite';

it('makes a hostPath PersistentVolume outside /tmp holding the files, with the mode asked for', async () => {
  const cluster = await startKubeLite('test-kit-host-volume');
  try {
    const volume = await createHostVolume(cluster.kube, 'pv-x', { 'a.txt': 'hello' }, 0o777);
    expect(volume.dir.startsWith('/tmp/')).toBe(false);
    expect(readFileSync(`${volume.dir}/a.txt`, 'utf8')).toBe('hello');
    expect(statSync(volume.dir).mode & 0o777).toBe(0o777);
    expect(statSync(`${volume.dir}/a.txt`).mode & 0o777).toBe(0o666);
    const pv = await cluster.kube.resource(Resources.PersistentVolume).get(undefined, 'pv-x');
    expect((pv as unknown as { spec: { hostPath: { path: string } } }).spec.hostPath.path).toBe(volume.dir);
    volume.remove();
    expect(existsSync(volume.dir)).toBe(false);
  } finally {
    await cluster.close();
  }
});
