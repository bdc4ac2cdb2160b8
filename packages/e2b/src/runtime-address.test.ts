import { describe, expect, it } from '@jest/globals';
import { Annotations } from '@kruise-agents/api';
import { runtimeAddressOf, runtimeBaseUrl, sandboxPortAddress } from './runtime-address';
import { toSandboxMetric } from './metrics';

const sandbox = (annotations: Record<string, string>, status?: object) => ({
  metadata: { name: 'a', namespace: 'n', annotations },
  status,
});

describe('runtimeAddressOf', () => {
  it('prefers the runtime-url annotation, then the pod IP, then the sandbox IP', () => {
    expect(
      runtimeAddressOf(
        sandbox({ [Annotations.RuntimeUrl]: 'http://10.0.0.9:1234' }, { podInfo: { podIP: '1.2.3.4' } }),
      ),
    ).toEqual({
      host: '10.0.0.9',
      envdPort: 1234,
    });
    expect(runtimeAddressOf(sandbox({}, { podInfo: { podIP: '1.2.3.4' } }))).toEqual({
      host: '1.2.3.4',
      envdPort: 49983,
    });
    expect(runtimeAddressOf(sandbox({}, { sandboxIp: '5.6.7.8' }))).toEqual({ host: '5.6.7.8', envdPort: 49983 });
    expect(runtimeAddressOf(sandbox({ [Annotations.RuntimeUrl]: 'not a url' }, {}))).toBeUndefined();
  });

  it('maps only the envd port through the annotation; IPv6 hosts are bracketed in URLs', () => {
    const address = { host: 'fd00::1', envdPort: 1234 };
    expect(sandboxPortAddress(address, 49983)).toEqual({ host: 'fd00::1', port: 1234 });
    expect(sandboxPortAddress(address, 49999)).toEqual({ host: 'fd00::1', port: 49999 });
    expect(runtimeBaseUrl(address)).toBe('http://[fd00::1]:1234');
  });
});

describe('toSandboxMetric', () => {
  it('turns envd metrics into an E2B sample with an ISO timestamp', () => {
    expect(
      toSandboxMetric({ ts: 1_700_000_000, cpu_count: 2, cpu_used_pct: 12.5, mem_used: 10, mem_total: 20 }, 0),
    ).toEqual({
      timestamp: '2023-11-14T22:13:20.000Z',
      timestampUnix: 1_700_000_000,
      cpuCount: 2,
      cpuUsedPct: 12.5,
      memUsed: 10,
      memTotal: 20,
      memCache: 0,
      diskUsed: 0,
      diskTotal: 0,
    });
  });
});
