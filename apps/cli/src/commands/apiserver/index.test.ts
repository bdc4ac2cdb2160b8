/** `kruise-agents apiserver`: starts kube-lite from a data dir, writes a kubeconfig kubectl uses, survives a restart. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { command, parseOptions } from './index';

const dir = mkdtempSync(join(tmpdir(), 'ka-apiserver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
}

async function runUntil<T>(args: string[], body: () => Promise<T>): Promise<{ code: number; result: T }> {
  const controller = new AbortController();
  const logs: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => logs.push(parts.join(' '));
  try {
    const running = command.run(args, controller.signal);
    for (let i = 0; i < 1200 && !logs.some((l) => l.startsWith('kubeconfig:')); i++)
      await new Promise((r) => setTimeout(r, 25));
    const result = await body();
    controller.abort();
    return { code: await running, result };
  } finally {
    console.log = log;
  }
}

describe('kruise-agents apiserver', () => {
  it('rejects bad options with a usage error', () => {
    expect(() => parseOptions(['--port', 'x', '--data-dir', dir])).toThrow('--port');
    expect(() => parseOptions(['--tls-cert', 'a', '--data-dir', dir])).toThrow('--tls-cert and --tls-key');
    expect(() => parseOptions(['--bogus'])).toThrow();
  });

  it('serves the CRDs over TLS with a kubeconfig for kubectl, and keeps objects, token and certificate across restarts', async () => {
    const args = ['--port', '0', '--data-dir', dir];
    const first = await runUntil(args, async () => {
      const create = await new Promise<{ code: number; stderr: string }>((resolve) => {
        const child = execFile(
          'kubectl',
          ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), 'apply', '-f', '-'],
          (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }),
        );
        child.stdin!.end(
          'apiVersion: agents.kruise.io/v1alpha1\nkind: SandboxSet\nmetadata:\n  name: cli-pool\nspec:\n  replicas: 1\n  template: {}\n',
        );
      });
      return { create, get: await kubectl(['get', 'sbs']) };
    });
    expect(first.code).toBe(0);
    expect(first.result.create).toEqual({ code: 0, stderr: '' });
    expect(first.result.get.stdout).toMatch(/cli-pool\s+1/);
    expect(existsSync(join(dir, 'db', 'kube-lite.db'))).toBe(true);
    const token = readFileSync(join(dir, 'token'), 'utf8');
    const kubeconfig = readFileSync(join(dir, 'kubeconfig'), 'utf8');
    expect(kubeconfig).toContain('certificate-authority-data');
    expect(kubeconfig).toContain(token.trim());

    const second = await runUntil(args, () => kubectl(['get', 'sbs', 'cli-pool', '-o', 'jsonpath={.spec.replicas}']));
    expect(second.code).toBe(0);
    expect(second.result.stdout).toBe('1');
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe(token);
  }, 60_000);
});
