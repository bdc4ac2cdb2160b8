import { describe, expect, it } from '@jest/globals';
import { API_VERSION, Annotations, FOREVER_MS, Labels, type PodTemplateSpec, type Sandbox } from '@kruise-agents/api';
import { resolveSandboxTarget, sandboxHost, sandboxPathPrefix } from './addressing';
import { E2bApiError } from './errors';
import { isCleanAbsolutePath, splitMetadata } from './extensions';
import { encodeCursor, pageListed, parseListQuery } from './list-query';
import { parseRequest } from './parse-request';
import { parseQuantity, sandboxSize } from './resources';
import { isValidSandboxId, newSandboxId, parseLegacySandboxId, sandboxIdOf } from './sandbox-id';
import { NewSandboxRequestSchema, SetTimeoutRequestSchema } from './schemas/requests';
import type { ListedSandbox } from './schemas/responses';
import { timeoutPolicyOf, timersFor, timersForConnect, timersForPause, timersForSetTimeout } from './timeouts';
import { e2bStateOf, toSandboxDetail, toSandboxResponse } from './to-e2b';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString().replace('.000Z', 'Z');

function expect400(fn: () => unknown, message: string | RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(E2bApiError);
    expect((error as E2bApiError).status).toBe(400);
    expect((error as E2bApiError).message).toMatch(message);
    return;
  }
  throw new Error('expected a 400');
}

describe('request schemas', () => {
  it('accept what the SDK sends, ignoring fields it adds', () => {
    const body = parseRequest(NewSandboxRequestSchema, {
      templateID: 'demo',
      timeout: 600,
      autoPause: true,
      metadata: { userId: 'alice' },
      envVars: { A: 'b' },
      secure: true,
      allow_internet_access: false,
    });
    expect(body).toMatchObject({ templateID: 'demo', timeout: 600, autoPause: true, metadata: { userId: 'alice' } });
  });

  it.each([
    [{}, 'templateID: is required'],
    [{ templateID: '' }, 'templateID: must be a template name'],
    [{ templateID: 'demo', timeout: -1 }, 'timeout: must be ≥ 0 seconds'],
    [{ templateID: 'demo', timeout: 1.5 }, 'timeout: must be an integer number of seconds'],
    [{ templateID: 'demo', metadata: { a: 1 } }, 'metadata.a: must be a map of strings'],
    [{ templateID: 'demo', metadata: ['a'] }, 'metadata: must be a map of strings'],
    [{ templateID: 'demo', autoPause: 'yes' }, 'autoPause: must be a boolean'],
    [
      { templateID: 'demo', volumeMounts: [{ name: 'v', path: 'data' }] },
      'volumeMounts[0].path: must be an absolute path',
    ],
  ])('reject %j: %s', (body, message) => {
    expect400(() => parseRequest(NewSandboxRequestSchema, body), message);
  });

  it('reject a body that is not an object', () => {
    expect400(() => parseRequest(SetTimeoutRequestSchema, [1]), 'request body: must be a JSON object');
    expect400(() => parseRequest(SetTimeoutRequestSchema, { timeout: 0 }), 'timeout: must be ≥ 1 second');
  });
});

describe('metadata and extension keys', () => {
  it('keeps user metadata and pulls extension keys out of it', () => {
    const split = splitMetadata({
      userId: 'alice',
      'example.com/team': 'a',
      'e2b.agents.kruise.io/image': 'python:3.12',
      'e2b.agents.kruise.io/csi-volume-name': 'pv-data',
      'e2b.agents.kruise.io/csi-mount-point': '/data',
      'e2b.agents.kruise.io/claim-timeout-seconds': '30',
      'e2b.agents.kruise.io/create-on-no-stock': 'false',
    });
    expect(split.metadata).toEqual({ userId: 'alice', 'example.com/team': 'a' });
    expect(split.extensions).toEqual({
      image: 'python:3.12',
      volumeMounts: [{ pvName: 'pv-data', mountPath: '/data' }],
      claimTimeoutSeconds: 30,
      createOnNoStock: false,
      neverTimeout: false,
      skipInitRuntime: false,
    });
  });

  it.each([
    [{ 'agents.kruise.io/lock': 'x' }, /Forbidden metadata key \[agents\.kruise\.io\/lock\]/],
    [{ 'not a key': 'x' }, /Unqualified metadata key \[not a key\]/],
    [{ 'e2b.agents.kruise.io/csi-volume-name': 'pv' }, /must be given together/],
    [
      { 'e2b.agents.kruise.io/csi-volume-name': 'pv', 'e2b.agents.kruise.io/csi-mount-point': '/a/../b' },
      /clean absolute path/,
    ],
    [{ 'e2b.agents.kruise.io/claim-timeout-seconds': '-3' }, /positive integer/],
    [{ 'e2b.agents.kruise.io/never-timeout': 'yes' }, /"true" or "false"/],
    [{ 'e2b.agents.kruise.io/cpu-limit': 'lots' }, /quantity/],
    [{ 'e2b.agents.kruise.io/teleport': 'now' }, /unknown key e2b\.agents\.kruise\.io\/teleport/],
    [{ 'e2b.agents.kruise.io/image': ' ' }, /must be an image reference/],
  ])('rejects %j', (metadata, message) => {
    expect400(() => splitMetadata(metadata), message);
  });

  it('judges mount paths', () => {
    expect(['/', '/data', '/mnt/a-b'].map(isCleanAbsolutePath)).toEqual([true, true, true]);
    expect(['data', '/data/', '/a//b', '/a/./b', '/a/..'].map(isCleanAbsolutePath)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('sandbox IDs and addressing', () => {
  it('makes DNS-label IDs that start with a letter', () => {
    let n = 0;
    const bytes = (size: number) => Uint8Array.from({ length: size }, () => n++ * 7);
    for (let i = 0; i < 50; i++) {
      const id = newSandboxId(bytes);
      expect(id).toMatch(/^[a-z][a-z2-7]{15}$/);
      expect(isValidSandboxId(id)).toBe(true);
    }
  });

  it('falls back to the legacy <namespace>--<name> form', () => {
    const meta = { name: 'demo-abc', namespace: 'team-a' };
    expect(sandboxIdOf({ metadata: meta })).toBe('team-a--demo-abc');
    expect(sandboxIdOf({ metadata: { ...meta, labels: { [Labels.SandboxId]: 'sabcdefgh' } } })).toBe('sabcdefgh');
    expect(parseLegacySandboxId('team-a--demo-abc')).toEqual({ namespace: 'team-a', name: 'demo-abc' });
    expect(parseLegacySandboxId('sabcdefgh')).toBeUndefined();
  });

  it('reads the ID from the lock of a claimed sandbox the gateway locked with it, until the label lands', () => {
    const claimed = { [Labels.SandboxClaimed]: 'true' };
    const meta = { name: 'demo-abc', namespace: 'team-a', labels: claimed };
    const locked = (lock: string) => ({ metadata: { ...meta, annotations: { [Annotations.Lock]: lock } } });
    expect(sandboxIdOf(locked('kq2hzl7mw4c5dyxa'))).toBe('kq2hzl7mw4c5dyxa');
    // A SandboxClaim's UUID lock is no ID; nor is a lock on a pool member.
    expect(sandboxIdOf(locked('6f1c2d0e-8a4b-4c55-9f0e-3a2b1c0d9e8f'))).toBe('team-a--demo-abc');
    expect(
      sandboxIdOf({ metadata: { ...meta, labels: {}, annotations: { [Annotations.Lock]: 'kq2hzl7mw4c5dyxa' } } }),
    ).toBe('team-a--demo-abc');
  });

  const request = (url: string, headers: Record<string, string>) => ({
    url,
    header: (name: string) => headers[name.toLowerCase()],
  });

  it('routes by headers first, then host, then path', () => {
    expect(
      resolveSandboxTarget(request('/files?path=a', { 'e2b-sandbox-id': 'ABC', host: '49999-xyz.localhost' })),
    ).toEqual({
      sandboxId: 'abc',
      port: 49983,
      path: '/files?path=a',
      via: 'header',
    });
    expect(resolveSandboxTarget(request('/execute', { host: '49999-sabc.e2b.local:8080' }))).toEqual({
      sandboxId: 'sabc',
      port: 49999,
      path: '/execute',
      via: 'host',
    });
    expect(
      resolveSandboxTarget(request('/kruise/sabc/49983/process.Process/Start', { host: 'localhost:3000' })),
    ).toEqual({
      sandboxId: 'sabc',
      port: 49983,
      path: '/process.Process/Start',
      via: 'path',
    });
    expect(resolveSandboxTarget(request('/kruise/sabc/49983?x=1', { host: 'localhost' }))?.path).toBe('/?x=1');
  });

  it('leaves control-plane requests alone', () => {
    expect(resolveSandboxTarget(request('/v2/sandboxes', { host: 'api.localhost:3000' }))).toBeUndefined();
    expect(resolveSandboxTarget(request('/kruise/api/sandboxes', { host: 'localhost' }))).toBeUndefined();
    expect(resolveSandboxTarget(request('/kruise/sabc/notaport/x', { host: 'localhost' }))).toBeUndefined();
    expect(resolveSandboxTarget(request('/', { host: '99999-sabc.localhost' }))).toBeUndefined();
  });

  it('builds the addresses it parses', () => {
    expect(sandboxHost('sabc', 49983, 'localhost:3000')).toBe('49983-sabc.localhost:3000');
    expect(sandboxPathPrefix('sabc', 49999)).toBe('/kruise/sabc/49999');
  });
});

describe('timeouts', () => {
  const kill = { onTimeout: 'kill' as const, retentionMs: FOREVER_MS };
  const pause = { onTimeout: 'pause' as const, retentionMs: 3_600_000 };

  it('reads the policy from the annotations', () => {
    expect(timeoutPolicyOf({ metadata: {} })).toEqual(kill);
    expect(
      timeoutPolicyOf({
        metadata: {
          annotations: { [Annotations.OnTimeout]: 'pause', [Annotations.ReservePausedSandboxDuration]: '1h' },
        },
      }),
    ).toEqual(pause);
  });

  it('turns a timeout into a shutdown time, or a pause time then the retention with auto-pause', () => {
    expect(timersFor(NOW, 600, kill)).toEqual({ shutdownTime: at(600) });
    expect(timersFor(NOW, 600, pause)).toEqual({ pauseTime: at(600), shutdownTime: at(600 + 3600) });
  });

  it('sets a timeout shorter or longer, and leaves never-timeout sandboxes alone', () => {
    expect(timersForSetTimeout({ shutdownTime: at(600) }, NOW, 60, kill)).toEqual({ shutdownTime: at(60) });
    expect(timersForSetTimeout({ pauseTime: at(600), shutdownTime: at(9000) }, NOW, 60, pause)).toEqual({
      pauseTime: at(60),
      shutdownTime: at(60 + 3600),
    });
    expect(timersForSetTimeout({}, NOW, 60, kill)).toBeUndefined();
  });

  it('connect to a running sandbox extends but never shortens', () => {
    expect(timersForConnect({ shutdownTime: at(600) }, NOW, 60, kill, false)).toBeUndefined();
    expect(timersForConnect({ shutdownTime: at(600) }, NOW, 900, kill, false)).toEqual({ shutdownTime: at(900) });
    expect(timersForConnect({ pauseTime: at(600), shutdownTime: at(4200) }, NOW, 60, pause, false)).toBeUndefined();
  });

  it('connect that resumes starts a fresh timeout of at least five minutes', () => {
    // Auto-paused: pauseTime was cleared and shutdownTime sits at the end of the retention.
    expect(timersForConnect({ shutdownTime: at(3000) }, NOW, 60, pause, true)).toEqual({
      pauseTime: at(300),
      shutdownTime: at(300 + 3600),
    });
    expect(timersForConnect({ shutdownTime: at(99_999) }, NOW, 900, kill, true)).toEqual({ shutdownTime: at(900) });
    expect(timersForConnect({}, NOW, 900, kill, true)).toBeUndefined();
  });

  it('pausing moves the deletion to the end of the retention, so paused time consumes no timeout', () => {
    expect(timersForPause({ shutdownTime: at(60) }, NOW, pause)).toEqual({ shutdownTime: at(3600) });
    expect(timersForPause({}, NOW, pause)).toBeUndefined();
  });
});

describe('sizes', () => {
  it('parses quantities', () => {
    expect([
      parseQuantity('500m'),
      parseQuantity('2'),
      parseQuantity('1Gi'),
      parseQuantity('1k'),
      parseQuantity(3),
    ]).toEqual([0.5, 2, 2 ** 30, 1000, 3]);
    expect(parseQuantity('lots')).toBeNaN();
  });

  it('sums limits, else requests, over the containers', () => {
    const template: PodTemplateSpec = {
      spec: {
        containers: [
          { name: 'a', resources: { limits: { cpu: '1500m', memory: '512Mi' }, requests: { cpu: '1' } } },
          { name: 'b', resources: { requests: { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '2Gi' } } },
        ],
      },
    };
    expect(sandboxSize(template)).toEqual({ cpuCount: 2, memoryMB: 1536, diskSizeMB: 2048 });
    expect(sandboxSize(undefined)).toEqual({ cpuCount: 0, memoryMB: 0, diskSizeMB: 0 });
  });
});

function claimedSandbox(
  overrides: { phase?: string; ready?: boolean; paused?: boolean; labels?: Record<string, string> } = {},
): Sandbox {
  return {
    apiVersion: API_VERSION,
    kind: 'Sandbox',
    metadata: {
      name: 'demo-x1',
      namespace: 'default',
      creationTimestamp: at(-100),
      labels: {
        [Labels.SandboxPool]: 'demo',
        [Labels.SandboxClaimed]: 'true',
        [Labels.SandboxId]: 'sid1',
        ...overrides.labels,
      },
      annotations: {
        [Annotations.ClaimTimestamp]: at(-10),
        [Annotations.RuntimeAccessToken]: 'tok',
        [Annotations.UpdatedMetadataInClaim]: JSON.stringify({ labels: [], annotations: ['userId'] }),
        userId: 'alice',
        'inherited-from-template': 'x',
      },
    },
    spec: {
      template: {
        spec: { containers: [{ name: 'main', image: 'demo', resources: { limits: { cpu: '2', memory: '1Gi' } } }] },
      },
      shutdownTime: at(600),
      ...(overrides.paused ? { paused: true } : {}),
    },
    status: {
      phase: (overrides.phase ?? 'Running') as 'Running',
      conditions: [{ type: 'Ready', status: overrides.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('Sandbox → E2B', () => {
  const view = { now: NOW, domain: 'localhost:3000', envdVersion: '0.5.0' };

  it('shows a claimed sandbox with its own metadata only', () => {
    const sbx = claimedSandbox();
    expect(e2bStateOf(sbx, NOW)).toBe('running');
    expect(toSandboxDetail(sbx, 'running', view)).toEqual({
      sandboxID: 'sid1',
      templateID: 'demo',
      clientID: '',
      metadata: { userId: 'alice' },
      startedAt: at(-10),
      endAt: at(600),
      state: 'running',
      cpuCount: 2,
      memoryMB: 1024,
      diskSizeMB: 0,
      envdVersion: '0.5.0',
      envdAccessToken: 'tok',
      domain: 'localhost:3000',
      lifecycle: { onTimeout: 'kill', autoResume: false },
    });
    expect(toSandboxResponse(sbx, view, 'fresh')).toEqual({
      sandboxID: 'sid1',
      templateID: 'demo',
      clientID: '',
      envdVersion: '0.5.0',
      envdAccessToken: 'fresh',
      domain: 'localhost:3000',
    });
  });

  it.each([
    ['paused', { phase: 'Paused', ready: false }, 'paused'],
    ['pausing', { paused: true }, 'paused'],
    ['briefly not ready', { ready: false }, 'running'],
    ['an unclaimed pool member', { labels: { [Labels.SandboxClaimed]: 'false' } }, undefined],
    ['kept after a failed claim', { labels: { [Labels.ReservedFailedSandbox]: 'true' } }, undefined],
    ['failed', { phase: 'Failed' }, undefined],
    ['still creating', { phase: 'Pending' }, undefined],
  ])('state of a sandbox that is %s', (_name, overrides, state) => {
    expect(e2bStateOf(claimedSandbox(overrides), NOW)).toBe(state);
  });

  it('hides a sandbox past its shutdown time', () => {
    expect(e2bStateOf(claimedSandbox(), NOW + 601_000)).toBeUndefined();
  });
});

describe('list query and paging', () => {
  const item = (
    id: string,
    startedAt: string,
    state: 'running' | 'paused',
    metadata: Record<string, string> = {},
  ): ListedSandbox => ({
    sandboxID: id,
    templateID: 'demo',
    clientID: '',
    metadata,
    startedAt,
    endAt: at(600),
    state,
    cpuCount: 1,
    memoryMB: 512,
    diskSizeMB: 0,
    envdVersion: '0.5.0',
  });

  it('decodes the SDK metadata filter (double-encoded) and defaults to both states', () => {
    const query = parseListQuery(new URLSearchParams('metadata=user%3Du%2525201&limit=10'));
    expect(query).toEqual({ states: ['running', 'paused'], metadata: { user: 'u 1' }, limit: 10 });
    expect(parseListQuery(new URLSearchParams(''), 'v1').states).toEqual(['running']);
    expect(parseListQuery(new URLSearchParams('state=paused&userId=alice')).metadata).toEqual({ userId: 'alice' });
  });

  it.each([
    ['state=dead', /state: must be "running" or "paused"/],
    ['limit=0', /limit: must be an integer from 1 to 100/],
    ['limit=abc', /limit/],
    ['nextToken=garbage', /nextToken/],
  ])('rejects %s', (qs, message) => {
    expect400(() => parseListQuery(new URLSearchParams(qs)), message);
  });

  it('filters, sorts and pages with a stable cursor', () => {
    const items = [
      item('c', at(3), 'running', { userId: 'alice' }),
      item('a', at(1), 'running', { userId: 'alice' }),
      item('b', at(1), 'paused', { userId: 'alice' }),
      item('d', at(2), 'running', { userId: 'bob' }),
    ];
    const first = pageListed(items, { states: ['running', 'paused'], metadata: { userId: 'alice' }, limit: 2 });
    expect(first.page.map((i) => i.sandboxID)).toEqual(['a', 'b']);
    expect(first.nextToken).toBe(encodeCursor(items[2]!));
    const second = pageListed(
      items,
      parseListQuery(new URLSearchParams(`metadata=userId%3Dalice&limit=2&nextToken=${first.nextToken}`)),
    );
    expect(second.page.map((i) => i.sandboxID)).toEqual(['c']);
    expect(second.nextToken).toBeUndefined();
    expect(pageListed(items, { states: ['paused'], metadata: {}, limit: 10 }).page.map((i) => i.sandboxID)).toEqual([
      'b',
    ]);
  });
});
