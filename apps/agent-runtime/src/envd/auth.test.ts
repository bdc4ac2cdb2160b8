import { describe, expect, it } from '@jest/globals';
import { authorizeFiles, basicAuthUser, fileSignature } from './auth';

describe('file signatures', () => {
  it('matches the SDK formula and checks expiry', () => {
    const sig = fileSignature('/a.txt', 'read', '', 'tok');
    expect(sig).toMatch(/^v1_[A-Za-z0-9+/]+$/);
    const query = new URLSearchParams({ path: '/a.txt', signature: sig });
    expect(() => authorizeFiles('tok', {}, query, 'read')).not.toThrow();
    expect(() => authorizeFiles('tok', {}, query, 'write')).toThrow(/invalid signature/);
    const exp = Math.floor(Date.now() / 1000) - 1;
    const expired = new URLSearchParams({
      path: '/a.txt',
      signature: fileSignature('/a.txt', 'read', '', 'tok', exp),
      signature_expiration: String(exp),
    });
    expect(() => authorizeFiles('tok', {}, expired, 'read')).toThrow(/expired/);
    expect(() => authorizeFiles('tok', { 'x-access-token': 'tok' }, new URLSearchParams(), 'read')).not.toThrow();
    expect(() => authorizeFiles(undefined, {}, new URLSearchParams(), 'read')).not.toThrow();
  });

  it('reads the user from Basic auth', () => {
    expect(basicAuthUser({ authorization: `Basic ${Buffer.from('root:').toString('base64')}` })).toBe('root');
    expect(basicAuthUser({})).toBeUndefined();
    expect(() => basicAuthUser({ authorization: 'Bearer x' })).toThrow();
  });
});
