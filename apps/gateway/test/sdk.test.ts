/**
 * The real JS SDK (npm e2b 2.51) against gateway + kube-lite + agent-runtimes (stand-in pool, see stand-in.ts):
 * the reference's P0 lifecycle and data-plane calls, unmodified, through one gateway port.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Sandbox, SandboxNotFoundError, CommandExitError } from 'e2b';
import { Annotations, Labels } from '@kruise-agents/api';
import { Resources } from '@kruise-agents/kube-runtime';
import { waitFor } from 'test-kit';
import { standInPool, startStack, type Stack } from './stand-in';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await standInPool(stack, { namespace: 'team-a', name: 'demo', replicas: 10 });
});

afterAll(async () => {
  await stack?.close();
});

describe('JS SDK: create, data plane, info, kill', () => {
  it('creates from "demo" with timeout, metadata and env vars; runs commands and moves files', async () => {
    const sbx = await Sandbox.create('demo', {
      ...stack.sdk,
      timeoutMs: 120_000,
      metadata: { userId: 'alice' },
      envs: { GREETING: 'hello' },
    });
    expect(sbx.sandboxId).toMatch(/^[a-z][a-z2-7]{15}$/);

    const run = await sbx.commands.run('echo $GREETING from $(whoami 2>/dev/null || echo sandbox)');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^hello from /);
    await expect(sbx.commands.run('exit 3')).rejects.toBeInstanceOf(CommandExitError);

    await sbx.files.write('/tmp/gw.txt', 'through the gateway');
    expect(await sbx.files.read('/tmp/gw.txt')).toBe('through the gateway');
    expect(await sbx.isRunning()).toBe(true);

    const info = await sbx.getInfo();
    expect(info.sandboxId).toBe(sbx.sandboxId);
    expect(info.templateId).toBe('demo');
    expect(info.metadata).toEqual({ userId: 'alice' });
    expect(info.state).toBe('running');
    expect(info.cpuCount).toBe(1);
    expect(info.memoryMB).toBe(512);
    const left = info.endAt.getTime() - Date.now();
    expect(left).toBeGreaterThan(100_000);
    expect(left).toBeLessThanOrEqual(121_000);

    // The Sandbox object carries the ID (lock, then label), the metadata annotation and the timer.
    await waitFor(
      'the sandbox-id label',
      () =>
        stack.gateway.context.registry.byE2bId(sbx.sandboxId)?.metadata.labels?.[Labels.SandboxId] === sbx.sandboxId,
    );
    const stored = stack.gateway.context.registry.byE2bId(sbx.sandboxId)!;
    expect(stored.metadata.annotations?.userId).toBe('alice');
    expect(stored.spec.shutdownTime).toBeDefined();

    expect(await sbx.kill()).toBe(true);
    // A killed sandbox is known as such: no waiting for it to appear (as there is for a fresh ID).
    const asked = Date.now();
    expect(await sbx.isRunning()).toBe(false);
    expect(Date.now() - asked).toBeLessThan(500);
    expect(await Sandbox.kill(sbx.sandboxId, stack.sdk)).toBe(false);
    await expect(Sandbox.getInfo(sbx.sandboxId, stack.sdk)).rejects.toBeInstanceOf(SandboxNotFoundError);
  });

  it('enforces the access token at the runtime: a client without it is refused', async () => {
    const sbx = await Sandbox.create('demo', stack.sdk);
    const stranger = new Sandbox({
      sandboxId: sbx.sandboxId,
      envdVersion: '0.6.4',
      sandboxUrl: stack.gateway.url,
      apiKey: stack.key,
    });
    await expect(stranger.commands.run('true')).rejects.toThrow();
    const stored = stack.gateway.context.registry.byE2bId(sbx.sandboxId)!;
    expect(stored.metadata.annotations?.[Annotations.RuntimeAccessToken]).toBeTruthy();
    await sbx.kill();
  });

  it('sets the timeout, lists with a metadata query, connects and extends', async () => {
    const sbx = await Sandbox.create('demo', { ...stack.sdk, metadata: { userId: 'bob', run: 'list' } });
    await sbx.setTimeout(30_000);
    let info = await sbx.getInfo();
    expect(info.endAt.getTime() - Date.now()).toBeLessThanOrEqual(31_000);

    const found = await Sandbox.list({ ...stack.sdk, query: { metadata: { userId: 'bob' } } }).nextItems();
    expect(found.map((s) => s.sandboxId)).toEqual([sbx.sandboxId]);
    const none = await Sandbox.list({ ...stack.sdk, query: { metadata: { userId: 'nobody' } } }).nextItems();
    expect(none).toEqual([]);

    // Connect extends (never shortens) a running sandbox's timeout.
    const again = await Sandbox.connect(sbx.sandboxId, { ...stack.sdk, timeoutMs: 600_000 });
    info = await again.getInfo();
    expect(info.endAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    await Sandbox.connect(sbx.sandboxId, { ...stack.sdk, timeoutMs: 10_000 });
    info = await again.getInfo();
    expect(info.endAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    expect((await again.commands.run('echo ok')).stdout).toBe('ok\n');
    await again.kill();
  });

  it('pauses (data plane 502, state paused) and resumes on connect', async () => {
    const sbx = await Sandbox.create('demo', stack.sdk);
    await sbx.files.write('/tmp/keep.txt', 'kept');
    expect(await sbx.pause()).toBe(true);
    expect(await Sandbox.pause(sbx.sandboxId, stack.sdk)).toBe(false);
    expect((await sbx.getInfo()).state).toBe('paused');
    expect(await sbx.isRunning()).toBe(false);
    const paused = await Sandbox.list({ ...stack.sdk, query: { state: ['paused'] } }).nextItems();
    expect(paused.map((s) => s.sandboxId)).toContain(sbx.sandboxId);

    const resumed = await Sandbox.connect(sbx.sandboxId, stack.sdk);
    expect((await resumed.getInfo()).state).toBe('running');
    expect(await resumed.files.read('/tmp/keep.txt')).toBe('kept');
    await resumed.kill();
  });

  it('does not let paused time consume the timeout: resuming starts a full timeout', async () => {
    const sbx = await Sandbox.create('demo', { ...stack.sdk, timeoutMs: 3_000 });
    await sbx.pause();
    await new Promise((r) => setTimeout(r, 3_500)); // longer than the whole timeout
    expect((await sbx.getInfo()).state).toBe('paused');
    const resumed = await Sandbox.connect(sbx.sandboxId, { ...stack.sdk, timeoutMs: 60_000 });
    const info = await resumed.getInfo();
    expect(info.state).toBe('running');
    expect(info.endAt.getTime() - Date.now()).toBeGreaterThan(55_000);
    await resumed.kill();
  });

  it('discards a pool member whose runtime refuses /init and hands over the next one', async () => {
    const broken = await standInPool(stack, {
      namespace: 'team-a',
      name: 'flaky',
      replicas: 1,
      foreignToken: 'theirs',
    });
    const [bad] = [...broken.runtimes.keys()];
    const creating = Sandbox.create('flaky', stack.sdk);
    await waitFor(
      'the refusing sandbox discarded',
      async () => !(await stack.kube.resource(Resources.Sandbox).find('team-a', bad!)),
    );
    await broken.add(1, ''); // the healthy replacement the operator would have made
    const sbx = await creating;
    expect((await sbx.commands.run('echo second')).stdout).toBe('second\n');
    await sbx.kill();
  });

  it('answers 401 to a bad key and 404 naming an unknown template', async () => {
    await expect(Sandbox.create('demo', { ...stack.sdk, apiKey: `e2b_${'0'.repeat(40)}` })).rejects.toThrow(
      /Unauthorized/,
    );
    await expect(Sandbox.create('no-such-template', stack.sdk)).rejects.toThrow(/no-such-template/);
  });

  it('keeps teams apart: a team-a key cannot see another team’s sandbox; the admin key can', async () => {
    const sbx = await Sandbox.create('demo', stack.sdk);
    const other = await stack.gateway.createApiKey('team-b');
    await expect(Sandbox.getInfo(sbx.sandboxId, { ...stack.sdk, apiKey: other.key })).rejects.toBeInstanceOf(
      SandboxNotFoundError,
    );
    const admin = await Sandbox.getInfo(sbx.sandboxId, { ...stack.sdk, apiKey: 'e2b_' + 'a'.repeat(40) });
    expect(admin.sandboxId).toBe(sbx.sandboxId);
    await sbx.kill();
    expect(
      (await stack.kube.resource(Resources.Sandbox).list('team-a')).items.some(
        (s) => s.metadata.labels?.[Labels.SandboxId] === sbx.sandboxId,
      ),
    ).toBe(false);
  });
});
