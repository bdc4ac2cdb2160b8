import { describe, expect, it } from '@jest/globals';
import type { Pod } from '@kruise-agents/kube-runtime';
import { ImageMap } from './image-map';
import { buildLaunchSpec, expand, type ContainerSpec, type LaunchContext } from './launch-spec';

const ctx: LaunchContext = {
  podIP: '127.64.0.7',
  sandboxRoot: '/data/pods/p/root',
  nodeName: 'n1',
  nodeBinary: '/usr/bin/node24',
  hostEnv: { PATH: '/bin', SECRET: 'leak', LANG: 'C' },
};
const pod: Pod = {
  metadata: { name: 'sbx', namespace: 'team', uid: 'u-1', labels: { app: 'a' } },
  spec: { containers: [] },
};
const images = new ImageMap(
  {
    images: {
      img: { command: ['$(NODE)', 'server.js'], args: ['--port', '49983'], env: { MODE: 'img', HOST: '$(POD_IP)' } },
    },
  },
  { command: ['default'] },
);
const launch = (c: Partial<ContainerSpec>) =>
  buildLaunchSpec(pod, { name: 'main', image: 'img', ...c }, images.resolve(c.image ?? 'img'), ctx);

describe('buildLaunchSpec', () => {
  it('runs the image entry with its args when the container says nothing', () => {
    const spec = launch({});
    expect(spec.argv).toEqual(['/usr/bin/node24', 'server.js', '--port', '49983']);
    expect(spec.cwd).toBe('/data/pods/p/root');
    expect(spec.env).toMatchObject({
      PATH: '/bin',
      LANG: 'C',
      HOME: '/data/pods/p/root',
      MODE: 'img',
      HOST: '127.64.0.7',
    });
    expect(spec.env).toMatchObject({ POD_IP: '127.64.0.7', POD_NAME: 'sbx', POD_NAMESPACE: 'team', HOSTNAME: 'sbx' });
    expect(spec.env.SECRET).toBeUndefined(); // the node's environment does not leak into sandboxes
  });

  it.each([
    [{ args: ['--port', '1'] }, ['/usr/bin/node24', 'server.js', '--port', '1']], // args replace the default args
    [{ command: ['sh', '-c'] }, ['sh', '-c']], // command replaces entrypoint and drops the default args
    [
      { command: ['echo'], args: ['$(POD_IP)', '$$(POD_IP)', '$(NOPE)'] },
      ['echo', '127.64.0.7', '$(POD_IP)', '$(NOPE)'],
    ],
  ])('%j → %j', (container, argv) => {
    expect(launch(container as Partial<ContainerSpec>).argv).toEqual(argv);
  });

  it('honours env in order (with $(VAR) references), downward-API fieldRefs, and workingDir under the root', () => {
    const spec = launch({
      workingDir: '/home/user/../app',
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-b' },
        { name: 'MODE', value: 'mine' },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
      envFrom: [{ configMapRef: { name: 'c' } }],
    });
    expect(spec.env).toMatchObject({ A: 'a', B: 'a-b', MODE: 'mine', NS: 'team', APP: 'a', IP: '127.64.0.7' });
    expect(spec.env.S).toBeUndefined();
    expect(spec.notes).toEqual([
      'env S: valueFrom secretKeyRef is not resolved by the local node',
      'envFrom is not resolved by the local node',
    ]);
    expect(spec.cwd).toBe('/data/pods/p/root/home/app');
  });
});

describe('expand', () => {
  const vars: Record<string, string> = { A: '1', B: '2' };
  it.each([
    ['$(A)$(B)', '12'],
    ['x$(A', 'x$(A'],
    ['$$', '$'],
    ['$', '$'],
    ['a$b', 'a$b'],
    ['$(C)', '$(C)'],
  ])('%s → %s', (input, out) => {
    expect(expand(input, (n) => vars[n])).toBe(out);
  });
});
