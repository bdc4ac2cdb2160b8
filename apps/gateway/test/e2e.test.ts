/**
 * MISSION points 1, 4–8 through the real JS SDKs against the whole platform: kube-lite + operator + local node
 * (agent-runtime processes) + gateway. Create from "demo", timeout, auto-pause, metadata + list query, in-place
 * image, volume mount, run_code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Sandbox, SandboxNotFoundError } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import { createPool, startPlatform, waitForStock, type Platform } from './e2e-stack';
import { createHostVolume } from 'test-kit';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
  await createPool(platform, { namespace: 'team-a', name: 'demo', replicas: 3 });
  await waitForStock(platform, 'team-a', 'demo', 3);
}, 60_000);

afterAll(async () => {
  await platform?.close();
});

const until = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('E2B SDK against the whole platform', () => {
  it('creates from the "demo" pool, runs commands, moves files, lists by metadata', async () => {
    const sbx = await Sandbox.create('demo', { ...platform.sdk, metadata: { userId: 'alice' }, envs: { A: '1' } });
    const result = await sbx.commands.run('echo A=$A');
    expect(result.stdout).toBe('A=1\n');
    await sbx.files.write('hello.txt', 'hi');
    expect(await sbx.files.read('hello.txt')).toBe('hi');
    const listed = await Sandbox.list({ ...platform.sdk, query: { metadata: { userId: 'alice' } } }).nextItems();
    expect(listed.map((s) => s.sandboxId)).toEqual([sbx.sandboxId]);
    expect(listed[0]!.metadata).toEqual({ userId: 'alice' });
    await sbx.kill();
  });

  it('runs code through the code interpreter (port 49999)', async () => {
    const ci = await CodeInterpreter.create('demo', platform.sdk);
    const execution = await ci.runCode('x = 20\nx * 2 + 2');
    expect(execution.text).toBe('42');
    await ci.kill();
  });

  it('deletes a sandbox when its timeout ends', async () => {
    const sbx = await Sandbox.create('demo', { ...platform.sdk, timeoutMs: 2_000 });
    expect(await sbx.isRunning()).toBe(true);
    await until('the sandbox to be deleted', async () => {
      try {
        await Sandbox.getInfo(sbx.sandboxId, platform.sdk);
        return undefined;
      } catch (error) {
        return error instanceof SandboxNotFoundError ? true : undefined;
      }
    });
    expect(await sbx.isRunning()).toBe(false);
  });

  it('pauses at the timeout with auto-pause, and resumes on connect', async () => {
    const sbx = await Sandbox.create('demo', { ...platform.sdk, timeoutMs: 2_000, lifecycle: { onTimeout: 'pause' } });
    await sbx.files.write('/tmp/kept.txt', 'still here');
    await until('auto-pause', async () =>
      (await Sandbox.getInfo(sbx.sandboxId, platform.sdk)).state === 'paused' ? true : undefined,
    );
    expect(await sbx.isRunning()).toBe(false);
    const resumed = await Sandbox.connect(sbx.sandboxId, { ...platform.sdk, timeoutMs: 60_000 });
    const info = await resumed.getInfo();
    expect(info.state).toBe('running');
    expect((await resumed.commands.run('echo back')).stdout).toBe('back\n');
    await resumed.kill();
  });

  it('replaces the image in place at claim time (e2b.agents.kruise.io/image), not as metadata', async () => {
    const sbx = await Sandbox.create('demo', {
      ...platform.sdk,
      metadata: { 'e2b.agents.kruise.io/image': 'demo:2', purpose: 'rl' },
    });
    const stored = platform.gateway.context.registry.byE2bId(sbx.sandboxId)!;
    expect(stored.spec.template?.spec.containers[0]?.image).toBe('demo:2');
    expect((await sbx.getInfo()).metadata).toEqual({ purpose: 'rl' });
    expect((await sbx.commands.run('echo upgraded')).stdout).toBe('upgraded\n');
    await sbx.kill();
  });

  it('mounts a PersistentVolume through the runtime (csi-volume-name + csi-mount-point)', async () => {
    // Sandbox commands run as the unprivileged `user`: the volume must be theirs to write.
    const { dir, remove } = await createHostVolume(
      platform.kube,
      'pv-data',
      { 'dataset.txt': 'from the volume' },
      0o777,
    );
    try {
      const sbx = await Sandbox.create('demo', {
        ...platform.sdk,
        metadata: {
          'e2b.agents.kruise.io/csi-volume-name': 'pv-data',
          'e2b.agents.kruise.io/csi-mount-point': '/data',
        },
      });
      // The mount point is inside the sandbox root: a command there reads the volume (cwd is mapped into the root).
      const read = await sbx.commands.run('cat data/dataset.txt && echo more >> data/dataset.txt', { cwd: '/' });
      expect(read.stdout).toBe('from the volume');
      expect(fs.readFileSync(path.join(dir, 'dataset.txt'), 'utf8')).toBe('from the volumemore\n');
      // A bind mount: the files API sees it too (it stays inside the sandbox root).
      expect(await sbx.files.read('/data/dataset.txt')).toBe('from the volumemore\n');
      await sbx.kill();
      // Deleting the sandbox (and its directory) leaves the volume's data alone.
      await new Promise((r) => setTimeout(r, 1500));
      expect(fs.readFileSync(path.join(dir, 'dataset.txt'), 'utf8')).toBe('from the volumemore\n');
    } finally {
      remove();
    }
  });

  it('waits for the pool to be replenished when it is empty', async () => {
    await createPool(platform, { namespace: 'team-a', name: 'small', replicas: 1 });
    await waitForStock(platform, 'team-a', 'small', 1);
    const [first, second] = await Promise.all([
      Sandbox.create('small', platform.sdk),
      Sandbox.create('small', platform.sdk),
    ]);
    expect(first.sandboxId).not.toBe(second.sandboxId);
    expect((await second.commands.run('echo refilled')).stdout).toBe('refilled\n');
    await Promise.all([first.kill(), second.kill()]);
  });

  it('creates a sandbox at once when asked to and the pool has no stock', async () => {
    await createPool(platform, { namespace: 'team-a', name: 'empty', replicas: 0 });
    const sbx = await Sandbox.create('empty', {
      ...platform.sdk,
      metadata: { 'e2b.agents.kruise.io/create-on-no-stock': 'true' },
    });
    expect((await sbx.commands.run('echo fresh')).stdout).toBe('fresh\n');
    await sbx.kill();
  });

  it('pause and connect racing end consistent with the real operator', async () => {
    const sbx = await Sandbox.create('demo', { ...platform.sdk, timeoutMs: 120_000 });
    const outcomes = await Promise.allSettled([
      Sandbox.pause(sbx.sandboxId, platform.sdk),
      Sandbox.connect(sbx.sandboxId, platform.sdk),
      Sandbox.pause(sbx.sandboxId, platform.sdk),
      Sandbox.connect(sbx.sandboxId, platform.sdk),
    ]);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(String(outcome.reason)).toMatch(/409|paused|Conflict/i);
    }
    // Whatever won, a final connect brings it back running and usable.
    const final = await Sandbox.connect(sbx.sandboxId, { ...platform.sdk, timeoutMs: 60_000 });
    expect((await final.getInfo()).state).toBe('running');
    expect((await final.commands.run('echo settled')).stdout).toBe('settled\n');
    await final.kill();
  });
});
