/** commands.* and pty.* through the real e2b SDK (checklist P0 3-4, P1 18-21, P3 29). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandExitError, TimeoutError, type Sandbox } from 'e2b';
import { envelope, parseEnvelopes, startHarness, waitFor, type Harness } from './helpers';

let h: Harness;
let sbx: Sandbox;

beforeAll(async () => {
  h = await startHarness({ envVars: { SANDBOX_WIDE: 'from-init' } });
  sbx = h.sandbox();
});
afterAll(() => h.close());

describe('commands.run', () => {
  it('returns stdout, stderr and exit code 0', async () => {
    const result = await sbx.commands.run('echo hi; echo oops >&2');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'hi\n', stderr: 'oops\n' });
  });

  it('throws CommandExitError with the exit code', async () => {
    const error = await sbx.commands.run('echo partial; exit 3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandExitError);
    expect((error as CommandExitError).exitCode).toBe(3);
    expect((error as CommandExitError).stdout).toBe('partial\n');
    expect((error as CommandExitError).error).toBe('exit status 3');
  });

  it('runs in the user home under the root, with sandbox env, request env and cwd', async () => {
    const home = await sbx.commands.run('pwd');
    expect(home.stdout.trim()).toBe(`${h.root}/home/user`);
    const env = await sbx.commands.run('echo "$SANDBOX_WIDE $PER_CALL $HOME $USER"', { envs: { PER_CALL: 'x' } });
    expect(env.stdout.trim()).toBe(`from-init x ${h.root}/home/user user`);
    await sbx.files.makeDir('/work');
    const cwd = await sbx.commands.run('pwd', { cwd: '/work' });
    expect(cwd.stdout.trim()).toBe(`${h.root}/work`);
  });

  it('rejects a cwd that does not exist', async () => {
    await expect(sbx.commands.run('pwd', { cwd: '/does/not/exist' })).rejects.toThrow(/not a directory/);
  });

  it('streams output as it comes through onStdout', async () => {
    const lines: string[] = [];
    await sbx.commands.run('for i in 1 2 3; do echo $i; sleep 0.05; done', { onStdout: (l) => void lines.push(l) });
    expect(lines.join('')).toBe('1\n2\n3\n');
  });

  it('gives EOF on stdin by default and accepts input with stdin:true', async () => {
    expect((await sbx.commands.run('cat')).stdout).toBe('');
    const handle = await sbx.commands.run('cat', { background: true, stdin: true });
    await sbx.commands.sendStdin(handle.pid, 'typed\n');
    await sbx.commands.closeStdin(handle.pid);
    const result = await handle.wait();
    expect(result.stdout).toBe('typed\n');
  });

  it('kills a command at its timeout with a TimeoutError', async () => {
    const started = Date.now();
    await expect(sbx.commands.run('sleep 30', { timeoutMs: 500 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(
      'sleep 30 gone from the list',
      async () => !(await sbx.commands.list()).some((p) => p.args.includes('sleep 30')),
      2000,
    );
  });
});

describe('background processes', () => {
  it('survive disconnect, are listed, reconnectable and killable', async () => {
    const handle = await sbx.commands.run('echo started; sleep 60', { background: true, envs: { TAGGED: '1' } });
    await handle.disconnect();
    const list = await sbx.commands.list();
    const info = list.find((p) => p.pid === handle.pid);
    expect(info).toMatchObject({
      cmd: '/bin/bash',
      args: ['-l', '-c', 'echo started; sleep 60'],
      envs: { TAGGED: '1' },
    });
    const reattached = await sbx.commands.connect(handle.pid);
    expect(reattached.pid).toBe(handle.pid);
    expect(await sbx.commands.kill(handle.pid)).toBe(true);
    const result = await reattached.wait().catch((e: unknown) => e);
    expect((result as CommandExitError).exitCode).toBe(-1);
    expect((result as CommandExitError).error).toBe('signal: killed');
    await waitFor(
      'the killed process gone from the list',
      async () => !(await sbx.commands.list()).some((p) => p.pid === handle.pid),
    );
  });

  it('kill and connect of an unknown pid', async () => {
    expect(await sbx.commands.kill(999_999)).toBe(false);
    await expect(sbx.commands.connect(999_999)).rejects.toThrow(/not found/);
  });
});

describe('keepalives and deadlines on the wire', () => {
  it('sends keepalive events when idle, per Keepalive-Ping-Interval', async () => {
    const response = await fetch(`${h.runtime.envdUrl}/process.Process/Start`, {
      method: 'POST',
      headers: {
        'content-type': 'application/connect+json',
        'connect-protocol-version': '1',
        'keepalive-ping-interval': '1',
      },
      body: envelope({ process: { cmd: '/bin/bash', args: ['-c', 'sleep 2.5; echo done'] }, stdin: false }),
    });
    expect(response.status).toBe(200);
    const frames = parseEnvelopes(Buffer.from(await response.arrayBuffer()));
    const events = frames.map((f) => JSON.stringify(f.data));
    expect(events[0]).toMatch(/"start":\{"pid":\d+\}/);
    expect(events.filter((e) => e.includes('keepalive')).length).toBeGreaterThanOrEqual(2);
    expect(events.at(-2)).toContain('"end"');
    expect(frames.at(-1)).toEqual({ flags: 2, data: {} });
  });
});

describe('pty', () => {
  it('runs an interactive shell on a real terminal', async () => {
    let output = '';
    const decoder = new TextDecoder();
    const terminal = await sbx.pty.create({ cols: 80, rows: 24, onData: (d) => void (output += decoder.decode(d)) });
    await sbx.pty.sendInput(terminal.pid, new TextEncoder().encode('tty; stty size\n'));
    await waitFor('the PTY size 24 80', () => output.includes('24 80'));
    expect(output).toMatch(/\/dev\/pts\/\d+/);
    await sbx.pty.resize(terminal.pid, { cols: 100, rows: 30 });
    await sbx.pty.sendInput(terminal.pid, new TextEncoder().encode('stty size\n'));
    await waitFor('the PTY size 30 100 after resize', () => output.includes('30 100'));
    expect(await sbx.pty.kill(terminal.pid)).toBe(true);
    await expect(terminal.wait()).rejects.toBeInstanceOf(CommandExitError);
  });
});

describe('large output', () => {
  it('streams 16 MB of output intact through flow control', async () => {
    const result = await sbx.commands.run('head -c 16777216 /dev/zero | tr "\\0" "a"', { timeoutMs: 30_000 });
    expect(result.stdout.length).toBe(16 * 1024 * 1024);
    expect(result.stdout.replaceAll('a', '')).toBe('');
  }, 40_000);
});

describe('exit with output pending', () => {
  it('delivers everything a process wrote before exiting, and ends despite a background grandchild', async () => {
    const all = await sbx.commands.run('head -c 3000000 /dev/zero | tr "\\0" "b"; exit 0');
    expect(all.stdout.length).toBe(3_000_000);
    const started = Date.now();
    const detached = await sbx.commands.run('sleep 3 & echo parent-done');
    expect(detached.stdout).toBe('parent-done\n');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
