import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../errors';
import type { KubeObject } from '../types';
import { kubeletEndpoint, kubeletLogPath, logContainer, parsePodLogOptions } from './log-options';

const parse = (s: string) => parsePodLogOptions('p', new URLSearchParams(s));

function thrown(f: () => unknown): ApiError {
  try {
    f();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('parsePodLogOptions', () => {
  it('decodes what kubectl logs sends', () => {
    expect(
      parse('container=c&follow=true&previous=true&timestamps=true&tailLines=2&limitBytes=10&sinceSeconds=5'),
    ).toEqual({
      container: 'c',
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 2,
      limitBytes: 10,
      sinceSeconds: 5,
    });
    expect(parse('sinceTime=2026-01-02T03:04:05Z')).toMatchObject({ sinceTime: '2026-01-02T03:04:05Z' });
    expect(parse('')).toEqual({ follow: false, previous: false, timestamps: false });
  });

  it('is 400 for values that do not parse', () => {
    expect(thrown(() => parse('tailLines=abc'))).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(thrown(() => parse('follow=yes'))).toMatchObject({ code: 400 });
    expect(thrown(() => parse('sinceTime=yesterday'))).toMatchObject({ code: 400 });
  });

  it('is 422 Invalid for values out of range, as ValidatePodLogOptions says', () => {
    const e = thrown(() => parse('tailLines=-1&limitBytes=0'));
    expect(e).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(e.message).toBe(
      'PodLogOptions "p" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
    );
    expect(thrown(() => parse('sinceSeconds=0')).message).toContain('sinceSeconds: Invalid value: 0');
    expect(thrown(() => parse('sinceSeconds=1&sinceTime=2026-01-02T03:04:05Z')).message).toContain(
      'at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  });
});

const pod = (containers: string[], inits: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: containers.map((name) => ({ name })), initContainers: inits.map((name) => ({ name })) },
});

describe('logContainer', () => {
  it('takes the only container, or the one named', () => {
    expect(logContainer(pod(['main']), undefined)).toBe('main');
    expect(logContainer(pod(['a', 'b'], ['init']), 'init')).toBe('init');
  });

  it('is 400 without a name when there are several, naming them', () => {
    expect(thrown(() => logContainer(pod(['a', 'b']), undefined))).toMatchObject({
      code: 400,
      message: 'a container name must be specified for pod p, choose one of: [a b]',
    });
    expect(thrown(() => logContainer(pod(['a', 'b'], ['i']), undefined)).message).toBe(
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    );
    expect(thrown(() => logContainer(pod(['a']), 'z')).message).toBe('container z is not valid for pod p');
  });
});

describe('the node endpoint', () => {
  const node = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    status,
  });

  it('is the kubelet port on the InternalIP', () => {
    const n = node({
      addresses: [
        { type: 'Hostname', address: 'localhost' },
        { type: 'InternalIP', address: '127.0.0.1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    });
    expect(kubeletEndpoint(n)).toEqual({ host: '127.0.0.1', port: 10250 });
  });

  it('is 503 naming the node when it publishes none', () => {
    expect(
      thrown(() => kubeletEndpoint(node({ addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] }))),
    ).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
  });

  it('passes the options on in the kubelet path', () => {
    expect(kubeletLogPath('ns', 'p', 'c', { follow: false, previous: false, timestamps: false })).toBe(
      '/containerLogs/ns/p/c',
    );
    expect(
      kubeletLogPath('ns', 'p', 'c', { follow: true, previous: true, timestamps: true, tailLines: 0, sinceSeconds: 3 }),
    ).toBe('/containerLogs/ns/p/c?follow=true&previous=true&timestamps=true&sinceSeconds=3&tailLines=0');
  });
});
