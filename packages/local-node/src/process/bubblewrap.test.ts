import { describe, expect, it } from '@jest/globals';
import { bubblewrapArgv, programDirsUnderTmp } from './bubblewrap';

describe('bubblewrapArgv', () => {
  it('keeps a program that lives under /tmp visible (read-only) beneath the private /tmp', () => {
    const argv = ['/tmp/ci/node_modules/node/bin/node', '/tmp/ci/apps/agent-runtime/dist/main.js', '--root', '/x'];
    expect(programDirsUnderTmp(argv, '/tmp/pods/a/root')).toEqual(['/tmp/ci']);
    const bwrap = bubblewrapArgv(
      'bwrap',
      { sandboxRoot: '/tmp/pods/a/root', cwd: '/tmp/pods/a/root', hostname: 'a' },
      argv,
    );
    const tmpfs = bwrap.indexOf('--tmpfs');
    const keep = bwrap.indexOf('/tmp/ci');
    const root = bwrap.lastIndexOf('/tmp/pods/a/root', bwrap.indexOf('--unshare-pid'));
    expect(bwrap.slice(keep - 1, keep + 2)).toEqual(['--ro-bind', '/tmp/ci', '/tmp/ci']);
    expect(tmpfs).toBeLessThan(keep);
    expect(keep).toBeLessThan(root);
    expect(bwrap.slice(-argv.length)).toEqual(argv);
  });

  it('binds nothing extra for programs outside /tmp, nor for the sandbox itself', () => {
    expect(programDirsUnderTmp(['/usr/bin/python3', '-m', 'http.server'], '/tmp/pods/a/root')).toEqual([]);
    expect(programDirsUnderTmp(['/tmp/pods/a/root/run.sh'], '/tmp/pods/a/root')).toEqual([]);
  });

  it('hides the other pods of the node behind an empty tmpfs, then binds this pod root back', () => {
    const bwrap = bubblewrapArgv(
      'bwrap',
      { sandboxRoot: '/var/lib/n/pods/a/root', cwd: '/var/lib/n/pods/a/root', hostname: 'a' },
      ['sh'],
    );
    const hide = bwrap.indexOf('/var/lib/n/pods');
    expect(bwrap[hide - 1]).toBe('--tmpfs');
    expect(bwrap.slice(hide + 1, hide + 4)).toEqual(['--bind', '/var/lib/n/pods/a/root', '/var/lib/n/pods/a/root']);
  });

  it('keeps a working directory under /tmp visible too', () => {
    expect(programDirsUnderTmp(['sh', '/tmp/work/x'], '/tmp/pods/a/root')).toEqual(['/tmp/work']);
  });
});
