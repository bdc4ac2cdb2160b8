/**
 * `kubectl logs` end to end: the real kubectl 1.32 against kube-lite, which proxies pods/log to the process-mode local
 * node's log endpoint (found from the Node object), which reads the containers' CRI-format log files.
 */
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { podDirectory } from '../src';
import { containerStatus, podManifest, startHarness, waitForPod } from './harness';

const h = fileFixture(() => startHarness());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', path.join(h.dataDir, 'kubeconfig'), ...args],
      { timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function logs(...args: string[]): Promise<string> {
  const r = await kubectl('logs', ...args);
  if (r.code !== 0) throw new Error(`kubectl logs ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Runs a pod whose container is `sh -c script`, and waits until it runs. */
async function runPod(name: string, containers: Record<string, string>, spec: Record<string, unknown> = {}) {
  const list = Object.entries(containers).map(([c, script]) => ({
    name: c,
    image: 'sh',
    command: ['sh', '-c', script],
  }));
  await h.pods.create(podManifest(name, list, spec));
  return waitForPod(h.pods, name, 'Running', (p) => p.status?.phase === 'Running');
}

/** Polls `kubectl logs args` until its output satisfies `test` (lines reach the file a moment after they are printed). */
function logsUntil(what: string, test: (out: string) => boolean, ...args: string[]): Promise<string> {
  return waitFor(what, async () => {
    const out = await logs(...args);
    return test(out) ? out : undefined;
  });
}

const PRINT_FIVE = 'for i in 1 2 3 4 5; do echo "line $i"; done; echo "to stderr" >&2; exec sleep 600';
const FIVE = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'to stderr'];

describe('kubectl logs', () => {
  it('shows what the container printed, stdout and stderr, and --tail the last lines', async () => {
    await runPod('printer', { main: PRINT_FIVE });
    const out = await logsUntil('six lines', (o) => o.includes('to stderr'), 'printer');
    expect(out.split('\n').filter(Boolean)).toEqual(FIVE);
    expect(await logs('printer', '--tail', '2')).toBe('line 5\nto stderr\n');
    expect(await logs('printer', '--tail', '0')).toBe('');
    expect(await logs('printer', '--limit-bytes', '9')).toBe('line 1\nli');
  });

  it('--timestamps prefixes each line with the time it was recorded; --since-time keeps the lines from then on', async () => {
    const before = Date.now();
    // More than a second apart: kubectl sends --since-time in whole seconds.
    await runPod('clock', { main: 'echo early; sleep 1.2; echo late; exec sleep 600' });
    const out = await logsUntil('two lines', (o) => o.includes('late'), 'clock', '--timestamps');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [early, late] = lines.map((l) => l.match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (\w+)$/)!);
    expect([early![2], late![2]]).toEqual(['early', 'late']);
    const t = [early![1]!, late![1]!].map((s) => Date.parse(s));
    expect(t[0]).toBeGreaterThanOrEqual(before - 1000);
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(1000);
    expect(await logs('clock', `--since-time=${late![1]!.slice(0, 19)}Z`)).toBe('late\n');
    expect(await logs('clock', '--since=1h')).toBe('early\nlate\n');
  });

  it('-c picks one of two containers; without it the API answers 400 naming them (kubectl picks the first)', async () => {
    await runPod('two', { first: 'echo from first; exec sleep 600', second: 'echo from second; exec sleep 600' });
    expect(await logsUntil('second', (o) => o !== '', 'two', '-c', 'second')).toBe('from second\n');
    expect(await logs('two', '-c', 'first')).toBe('from first\n');
    const raw = await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/two/log');
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toContain(
      'Error from server (BadRequest): a container name must be specified for pod two, choose one of: [first second]',
    );
    // kubectl itself defaults to the first container and says so.
    const r = await kubectl('logs', 'two');
    expect(r).toMatchObject({ code: 0, stdout: 'from first\n' });
    expect(r.stderr).toContain('Defaulted container "first" out of: first, second');
    const wrong = await kubectl('logs', 'two', '-c', 'third');
    expect(wrong.stderr).toContain('container third is not valid for pod two');
  });

  it('answers NotFound for an unknown pod', async () => {
    const r = await kubectl('logs', 'no-such-pod');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pods "no-such-pod" not found');
    const raw = await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/no-such-pod/log');
    expect(raw.stderr).toContain('Error from server (NotFound): pods "no-such-pod" not found');
  });

  it('-f streams lines printed after the call started, and ends when the container exits', async () => {
    // The container prints, waits for a file the test writes into its sandbox root, prints again and exits.
    const pod = await runPod(
      'follower',
      { main: 'echo waiting; while [ ! -e "$HOME/go" ]; do sleep 0.05; done; echo "after the call"; exit 0' },
      { restartPolicy: 'Never' },
    );
    const child = spawn('kubectl', ['--kubeconfig', path.join(h.dataDir, 'kubeconfig'), 'logs', '-f', 'follower']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor('the first line through -f', () => out.includes('waiting') || undefined);
      expect(out).not.toContain('after the call');
      const root = path.join(podDirectory(h.dataDir, 'default', 'follower', pod.metadata.uid!), 'root');
      writeFileSync(path.join(root, 'go'), '');
      await waitFor('the line printed after the call', () => out.includes('after the call') || undefined);
      expect(await exited).toBe(0);
      expect(out).toBe('waiting\nafter the call\n');
    } finally {
      child.kill();
    }
  });

  it('--previous shows the last terminated run, and says so when there is none', async () => {
    // The first run fails; the restarted one keeps running.
    await runPod('twice', {
      main: 'if [ -e "$HOME/ran" ]; then echo "second run"; exec sleep 600; fi; touch "$HOME/ran"; echo "first run"; exit 1',
    });
    await waitForPod(h.pods, 'twice', 'restarted and running', (p) => {
      const s = containerStatus(p);
      return (s?.restartCount ?? 0) >= 1 && !!s?.state?.running;
    });
    expect(await logsUntil('second run', (o) => o !== '', 'twice')).toBe('second run\n');
    expect(await logs('twice', '--previous')).toBe('first run\n');
    await runPod('once', { main: 'echo only; exec sleep 600' });
    const r = await kubectl('logs', 'once', '--previous');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('previous terminated container "main" in pod "once" not found');
  });
});
