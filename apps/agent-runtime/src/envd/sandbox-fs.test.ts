import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SandboxFs } from './sandbox-fs';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-fs-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('SandboxFs', () => {
  const sfs = new SandboxFs(root);

  it('maps sandbox paths under the root and back', () => {
    expect(sfs.resolve('/home/user/a.txt', '/home/user')).toBe(path.join(root, 'home/user/a.txt'));
    expect(sfs.resolve('a.txt', '/home/user')).toBe(path.join(root, 'home/user/a.txt'));
    expect(sfs.resolve('~/a.txt', '/home/user')).toBe(path.join(root, 'home/user/a.txt'));
    expect(sfs.toSandbox(path.join(root, 'home/user'))).toBe('/home/user');
    expect(sfs.toSandbox(root)).toBe('/');
  });

  it('clamps .. at the sandbox root', () => {
    expect(sfs.resolve('../../../../etc/passwd', '/home/user')).toBe(path.join(root, 'etc/passwd'));
  });

  it('rejects symlinks leading out of the root, and NUL bytes', () => {
    fs.symlinkSync('/etc', path.join(root, 'out'));
    fs.symlinkSync('.', path.join(root, 'self'));
    expect(() => sfs.resolve('/out/passwd', '/')).toThrow(/escapes/);
    expect(() => sfs.resolve('/out/new/dir/file', '/')).toThrow(/escapes/);
    expect(sfs.resolve('/self/x', '/')).toBe(path.join(root, 'self/x'));
    expect(() => sfs.resolve('/a\0b', '/')).toThrow(/NUL/);
  });

  it('is the identity for root "/"', () => {
    const host = new SandboxFs('/');
    expect(host.resolve('/etc/passwd', '/')).toBe('/etc/passwd');
    expect(host.toSandbox('/etc/passwd')).toBe('/etc/passwd');
  });
});
