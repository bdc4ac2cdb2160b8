import { describe, expect, it } from '@jest/globals';
import { ENVD_VERSION } from '@kruise-agents/agent-runtime';
import { GatewayConfigError, parseGatewayArgs } from './config';
import { DEFAULT_ENVD_VERSION } from './create-gateway';

describe('parseGatewayArgs', () => {
  it('reads flags over the environment over defaults', () => {
    const config = parseGatewayArgs(['--port', '9000', '--admin-key=e2b_abc123'], {
      KRUISE_GATEWAY_PORT: '7000',
      E2B_DOMAIN: 'example.test',
    });
    expect(config).toMatchObject({ port: 9000, adminKey: 'e2b_abc123', domain: 'example.test', host: '0.0.0.0' });
  });

  it('rejects unknown flags, bad ports and admin keys the SDK would refuse', () => {
    expect(() => parseGatewayArgs(['--nope'], {})).toThrow(GatewayConfigError);
    expect(() => parseGatewayArgs(['--port', 'x'], {})).toThrow(/port/);
    expect(() => parseGatewayArgs(['--admin-key', 'secret'], {})).toThrow(/e2b_/);
  });

  it('reports the envd version the agent-runtime really has', () => {
    expect(DEFAULT_ENVD_VERSION).toBe(ENVD_VERSION);
  });
});
