import { describe, expect, it } from '@jest/globals';
import { IpAllocator } from './ip-allocator';
import { defaultIpRange, defaultNodeName } from './options';

describe('defaultIpRange', () => {
  it('gives virtual nodes all of 127.64.0.0/10', () => {
    expect(defaultIpRange('virtual', 'n', '/d')).toEqual({ base: '127.64.0.0', prefix: 10 });
  });

  it('gives process-mode nodes a stable /18 inside it, by name and data directory', () => {
    const a = defaultIpRange('process', 'n', '/data/a');
    expect(a.prefix).toBe(18);
    expect(defaultIpRange('process', 'n', '/data/a')).toEqual(a);
    const bases = new Set(
      ['/data/b', '/data/c', '/data/d', '/data/e'].map((d) => defaultIpRange('process', 'n', d).base),
    );
    expect(bases.size).toBeGreaterThan(1);
    const ip = new IpAllocator(a).allocate('p');
    expect(new IpAllocator({ base: '127.64.0.0', prefix: 10 }).contains(ip)).toBe(true);
  });

  it('names the node after the host', () => {
    expect(defaultNodeName()).toMatch(/^local-[a-z0-9-]+$/);
  });
});
