import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseArgs, resolveConfig } from './config';

describe('parseArgs', () => {
  it('reads flags over environment variables', () => {
    const options = parseArgs(['--envd-port', '5000', '--root=/tmp/x'], {
      AGENT_RUNTIME_ENVD_PORT: '1',
      AGENT_RUNTIME_HOST: '127.0.0.2',
    });
    expect(options).toEqual({ envdPort: 5000, root: '/tmp/x', host: '127.0.0.2' });
  });

  it('can turn the interpreter listener off and rejects bad input', () => {
    expect(parseArgs(['--interpreter-port', 'off'], {})).toEqual({ interpreterPort: false });
    expect(() => parseArgs(['--envd-port', '70000'], {})).toThrow(ConfigError);
    expect(() => parseArgs(['--nope'], {})).toThrow(ConfigError);
    expect(() => parseArgs(['--root'], {})).toThrow(/needs a value/);
  });

  it('defaults to the standard ports, loopback and user', () => {
    expect(resolveConfig({})).toMatchObject({
      host: '127.0.0.1',
      envdPort: 49983,
      interpreterPort: 49999,
      root: '/',
      defaultUser: 'user',
    });
  });
});
