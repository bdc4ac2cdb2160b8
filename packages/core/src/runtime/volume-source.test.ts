import { describe, expect, it } from '@jest/globals';
import { CoreError } from '../errors';
import { bindMountCommand, safeSubPath, splitMountPath, volumeSourceOf } from './volume-source';

describe('volumeSourceOf', () => {
  it.each([
    ['hostPath', { hostPath: { path: '/srv/pv' } }],
    ['local', { local: { path: '/srv/pv' } }],
    ['a CSI path attribute', { csi: { driver: 'd', volumeAttributes: { path: '/srv/pv' } } }],
  ])('takes the directory from %s', (_what, spec) => {
    expect(volumeSourceOf({ spec }, { pvName: 'pv' })).toBe('/srv/pv');
    expect(volumeSourceOf({ spec }, { pvName: 'pv', subPath: 'a/b' })).toBe('/srv/pv/a/b');
  });

  it('joins a subPath under the base whatever its slashes', () => {
    expect(volumeSourceOf({ spec: { hostPath: { path: '/srv/pv/' } } }, { pvName: 'pv', subPath: '//a//b/' })).toBe(
      '/srv/pv/a/b',
    );
  });

  it('refuses a volume with no directory to mount', () => {
    expect(() => volumeSourceOf({ spec: { csi: { driver: 'd' } } }, { pvName: 'pv' })).toThrow(
      /PersistentVolume "pv" has no hostPath, local or CSI path attribute/,
    );
  });
});

describe('safeSubPath', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['/', ''],
    ['/a/b', 'a/b'],
    ['a/./b', null],
    ['../etc', null],
    ['a/../../etc', null],
    ['a\0b', null],
  ])('%j → %j', (input, expected) => {
    if (expected === null) expect(() => safeSubPath(input)).toThrow(CoreError);
    else expect(safeSubPath(input)).toBe(expected);
  });
});

describe('mount command', () => {
  it('splits the mount point into its parent and name', () => {
    expect(splitMountPath('/data')).toEqual({ parent: '/', leaf: 'data' });
    expect(splitMountPath('/home/user/data')).toEqual({ parent: '/home/user', leaf: 'data' });
  });

  it('quotes what it mounts, so a path is never shell syntax', () => {
    const command = bindMountCommand("/srv/it's; rm -rf /", 'data');
    expect(command).toContain(`mount --bind -- '/srv/it'\\''s; rm -rf /' 'data'`);
    expect(command).toContain(`ln -sfn -- '/srv/it'\\''s; rm -rf /' 'data'`);
  });
});
