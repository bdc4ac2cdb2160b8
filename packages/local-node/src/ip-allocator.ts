/**
 * Loopback addresses for pods. On Linux all of 127.0.0.0/8 reaches lo, so every pod can bind its own 127.x.y.z and
 * listen on the same ports as in a cluster (49983, 49999) without clashes and without any setup. 127.0.0.1 is never
 * handed out (it is the host's own address); addresses ending in .0 or .255 are skipped to spare tools that dislike
 * them. Allocation is deterministic (lowest free address after the last one handed out) and recoverable: a restarted
 * node reserves the addresses its pods already report in status.podIP.
 */

export class IpRangeExhaustedError extends Error {
  override readonly name = 'IpRangeExhaustedError';
}

export interface IpRange {
  /** First address of the range, e.g. 127.64.0.0 */
  base: string;
  /** Prefix length, e.g. 10 for 127.64.0.0/10 */
  prefix: number;
}

export const DEFAULT_IP_RANGE: IpRange = { base: '127.64.0.0', prefix: 10 };

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class IpAllocator {
  private readonly first: number;
  private readonly size: number;
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<number>();
  private cursor = 0;

  constructor(range: IpRange = DEFAULT_IP_RANGE) {
    const base = ipToNumber(range.base);
    if (base === undefined || base >>> 24 !== 127)
      throw new Error(`IP range base ${range.base} is not a loopback address`);
    if (range.prefix < 8 || range.prefix > 30) throw new Error(`IP range prefix /${range.prefix} must be in 8..30`);
    this.size = 2 ** (32 - range.prefix);
    this.first = base - (base % this.size);
  }

  get allocated(): number {
    return this.byKey.size;
  }

  contains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && n >= this.first && n < this.first + this.size && usable(n);
  }

  get(key: string): string | undefined {
    return this.byKey.get(key);
  }

  /** Keeps `ip` for `key` (recovery); false when it is outside the range or another key holds it. */
  reserve(key: string, ip: string): boolean {
    if (this.byKey.get(key) === ip) return true;
    const n = ipToNumber(ip);
    if (n === undefined || !this.contains(ip) || this.used.has(n)) return false;
    this.release(key);
    this.used.add(n);
    this.byKey.set(key, ip);
    return true;
  }

  /** The key's address, allocating the next free one if it has none. */
  allocate(key: string): string {
    const existing = this.byKey.get(key);
    if (existing) return existing;
    for (let i = 0; i < this.size; i++) {
      const n = this.first + ((this.cursor + i) % this.size);
      if (!usable(n) || this.used.has(n)) continue;
      this.cursor = (n - this.first + 1) % this.size;
      this.used.add(n);
      const ip = numberToIp(n);
      this.byKey.set(key, ip);
      return ip;
    }
    throw new IpRangeExhaustedError(`no free address left in ${numberToIp(this.first)}/${32 - Math.log2(this.size)}`);
  }

  release(key: string): void {
    const ip = this.byKey.get(key);
    if (!ip) return;
    this.byKey.delete(key);
    this.used.delete(ipToNumber(ip)!);
  }
}

function usable(n: number): boolean {
  const last = n & 255;
  return last !== 0 && last !== 255 && n !== 0x7f000001;
}
