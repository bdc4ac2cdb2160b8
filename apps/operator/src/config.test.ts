import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('has defaults, reads KRUISE_AGENTS_* env, and lets flags win', () => {
    expect(parseConfig([], {})).toMatchObject({ healthPort: 8080, leaderElect: true, sandboxClaimWorkers: 64 });
    const config = parseConfig(['--health-port=9090', '--leader-elect', 'false', '--namespace', 'ns1'], {
      KRUISE_AGENTS_HEALTH_PORT: '7000',
      KRUISE_AGENTS_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ healthPort: 9090, leaderElect: false, namespace: 'ns1', logLevel: 'debug' });
  });

  it('names the option that is wrong', () => {
    expect(() => parseConfig(['--nope'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--health-port', 'x'], {})).toThrow(/--health-port/);
    expect(() => parseConfig(['--namespace'], {})).toThrow(/needs a value/);
  });
});
