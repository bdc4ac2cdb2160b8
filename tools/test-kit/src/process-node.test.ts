import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import type { KubeLite } from './kube-lite';
import { processNodeOptions, recordedPid } from './process-node';
import { makeTempDir } from './temp-dir';

it('points a process-mode node at the cluster, with the cluster’s dir as its data dir and a range of its own', () => {
  const cluster = { api: { kubeconfig: 'apiVersion: v1' }, dir: '/tmp/cluster' } as KubeLite;
  const options = processNodeOptions(cluster, 'node-a');
  expect(options).toMatchObject({
    kubeconfig: { yaml: 'apiVersion: v1' },
    mode: 'process',
    nodeName: 'node-a',
    dataDir: '/tmp/cluster',
  });
  expect(options.ipRange.prefix).toBe(20);
  expect(options.ipRange.base).toMatch(/^127\./);
});

it('reads a container’s pid from the pod’s state file, undefined without a live process', () => {
  const dir = makeTempDir('test-kit-process-node');
  try {
    const containers = [
      { name: 'setup', image: 'demo:1', imageID: 'demo:1', restartCount: 0 },
      { name: 'main', image: 'demo:1', imageID: 'demo:1', restartCount: 1, record: { pid: 4242, startTime: 7 } },
    ];
    writeFileSync(path.join(dir.path, 'state.json'), JSON.stringify({ name: 'p', containers }));
    expect(recordedPid(dir.path, 'main')).toBe(4242);
    expect(recordedPid(dir.path, 'setup')).toBeUndefined();
    expect(recordedPid(dir.path, 'other')).toBeUndefined();
  } finally {
    dir.remove();
  }
});
