import { describe, expect, it } from '@jest/globals';
import { IpAllocator, IpRangeExhaustedError, ipToNumber, numberToIp } from './ip-allocator';

describe('IpAllocator', () => {
  it('hands out loopback addresses in order, skipping .0, .255 and 127.0.0.1', () => {
    const a = new IpAllocator({ base: '127.0.0.0', prefix: 23 });
    expect(a.allocate('p1')).toBe('127.0.0.2'); // .0 and .1 skipped: 127.0.0.1 is the host
    expect(a.allocate('p2')).toBe('127.0.0.3');
    expect(a.allocate('p1')).toBe('127.0.0.2'); // stable per key
    for (let i = 0; i < 251; i++) a.allocate(`x${i}`);
    expect(a.allocate('next')).toBe('127.0.1.1'); // 127.0.0.255 and 127.0.1.0 skipped
  });

  it('defaults to 127.64.0.0/10', () => {
    const a = new IpAllocator();
    expect(a.allocate('p')).toBe('127.64.0.1');
    expect(a.contains('127.127.255.254')).toBe(true);
    expect(a.contains('127.128.0.1')).toBe(false);
    expect(a.contains('10.0.0.1')).toBe(false);
  });

  it('reserves recovered addresses and never hands them out twice', () => {
    const a = new IpAllocator();
    expect(a.reserve('old', '127.64.0.1')).toBe(true);
    expect(a.reserve('other', '127.64.0.1')).toBe(false);
    expect(a.reserve('bad', '127.200.0.1')).toBe(false);
    expect(a.reserve('bad', 'not-an-ip')).toBe(false);
    expect(a.allocate('new')).toBe('127.64.0.2');
    expect(a.allocated).toBe(2);
  });

  it('reuses released addresses once the range comes round, and says when it is full', () => {
    const a = new IpAllocator({ base: '127.9.9.0', prefix: 30 }); // .0 .1 .2 .3 → .1 .2 .3 usable
    expect([a.allocate('a'), a.allocate('b'), a.allocate('c')]).toEqual(['127.9.9.1', '127.9.9.2', '127.9.9.3']);
    expect(() => a.allocate('d')).toThrow(IpRangeExhaustedError);
    a.release('b');
    expect(a.allocate('d')).toBe('127.9.9.2');
  });

  it('rejects ranges outside loopback', () => {
    expect(() => new IpAllocator({ base: '10.0.0.0', prefix: 8 })).toThrow(/loopback/);
  });

  it.each([
    ['127.0.0.1', 0x7f000001],
    ['127.64.1.2', 0x7f400102],
    ['1.2.3', undefined],
    ['1.2.3.256', undefined],
  ])('ipToNumber(%s)', (ip, n) => {
    expect(ipToNumber(ip)).toBe(n);
    if (n !== undefined) expect(numberToIp(n)).toBe(ip);
  });
});
