/** The code interpreter through the real @e2b/code-interpreter SDK (checklist P2 24-27). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotFoundError, type Sandbox } from '@e2b/code-interpreter';
import { startHarness, type Harness } from './helpers';

let h: Harness;
let ci: Sandbox;

beforeAll(async () => {
  h = await startHarness({ accessToken: 'ci-token' });
  ci = h.codeInterpreter();
});
afterAll(() => h.close());

describe('python', () => {
  it('returns the last expression as the main result and keeps state', async () => {
    const first = await ci.runCode('x = 40\nprint("side effect")\nx + 2');
    expect(first.text).toBe('42');
    expect(first.results[0]?.isMainResult).toBe(true);
    expect(first.logs.stdout).toEqual(['side effect\n']);
    const second = await ci.runCode('x * 2');
    expect(second.text).toBe('80');
    expect(second.executionCount).toBeGreaterThan(first.executionCount ?? 0);
  });

  it('reports errors with name, value and traceback, and carries on', async () => {
    const failed = await ci.runCode('def f():\n    raise ValueError("bad")\nf()');
    expect(failed.error).toMatchObject({ name: 'ValueError', value: 'bad' });
    expect(failed.error?.traceback).toContain('line 2, in f');
    expect((await ci.runCode('x')).text).toBe('40');
    const syntax = await ci.runCode('def (:');
    expect(syntax.error?.name).toBe('SyntaxError');
  });

  it('streams stdout and stderr, including from subprocesses', async () => {
    const out: string[] = [];
    const result = await ci.runCode('import sys, os\nprint("a")\nprint("b", file=sys.stderr)\nos.system("echo sub")', {
      onStdout: (m) => void out.push(m.line),
    });
    expect(result.logs.stderr).toEqual(['b\n']);
    expect(result.logs.stdout.join('')).toContain('a\n');
    expect(result.logs.stdout.join('')).toContain('sub\n');
    expect(out.join('')).toContain('a\n');
  });

  it('returns rich formats (PNG, HTML) from display-protocol objects', async () => {
    const code = [
      'import base64',
      'PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")',
      'class Pic:',
      '    def _repr_png_(self): return PNG',
      '    def _repr_html_(self): return "<b>pic</b>"',
      '    def __repr__(self): return "Pic()"',
      'display(Pic())',
      'Pic()',
    ].join('\n');
    const result = await ci.runCode(code);
    expect(result.results).toHaveLength(2);
    expect(result.results[0]?.isMainResult).toBe(false);
    const main = result.results[1];
    expect(main?.isMainResult).toBe(true);
    expect(main?.png?.startsWith('iVBORw0KGgo')).toBe(true);
    expect(main?.html).toBe('<b>pic</b>');
    expect(main?.text).toBe('Pic()');
    expect(main?.formats()).toEqual(expect.arrayContaining(['png', 'html']));
  });

  it('sets per-execution environment variables only for that execution', async () => {
    const withEnv = await ci.runCode('import os\nos.environ.get("ONLY_NOW")', { envs: { ONLY_NOW: 'yes' } });
    expect(withEnv.text).toBe("'yes'");
    expect((await ci.runCode('os.environ.get("ONLY_NOW")')).text).toBeUndefined();
  });

  it('cancels an execution when the client gives up, and the context survives', async () => {
    await ci.runCode('keep = "kept"');
    const started = Date.now();
    await expect(ci.runCode('import time\nwhile True: time.sleep(0.05)', { timeoutMs: 500 })).rejects.toThrow(
      /abort|time/i,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const after = await ci.runCode('keep');
    expect(after.text).toBe("'kept'");
  });
});

describe('javascript and typescript', () => {
  it('keeps state in a vm context and returns the completion value', async () => {
    await ci.runCode('const base = 5; let counter = 0;', { language: 'javascript' });
    const result = await ci.runCode('counter += base; console.log("log", counter); counter * 2', {
      language: 'javascript',
    });
    expect(result.text).toBe('10');
    expect(result.logs.stdout).toEqual(['log 5\n']);
  });

  it('supports top-level await and reports thrown errors', async () => {
    const awaited = await ci.runCode('const v = await Promise.resolve(7)\nv * 6', { language: 'js' as 'javascript' });
    expect(awaited.text).toBe('42');
    const failed = await ci.runCode('throw new TypeError("nope")', { language: 'javascript' });
    expect(failed.error).toMatchObject({ name: 'TypeError', value: 'nope' });
  });

  it('runs TypeScript with types stripped', async () => {
    const result = await ci.runCode(
      'const n: number = 21;\nfunction double(x: number): number { return x * 2 }\ndouble(n)',
      {
        language: 'typescript',
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('42');
  });

  it('sees per-execution env vars in process.env', async () => {
    const result = await ci.runCode('process.env.JS_ENV', { language: 'javascript', envs: { JS_ENV: 'set' } });
    expect(result.text).toBe('set');
  });
});

describe('contexts', () => {
  it('creates, lists, isolates, restarts and removes contexts', async () => {
    await ci.files.makeDir('/ctx-dir');
    const a = await ci.createCodeContext({ language: 'python', cwd: '/ctx-dir' });
    const b = await ci.createCodeContext({ language: 'python' });
    expect(a).toMatchObject({ language: 'python', cwd: '/ctx-dir' });
    await ci.runCode('secret = 1', { context: a });
    expect((await ci.runCode('"secret" in globals()', { context: b })).text).toBe('False');
    expect((await ci.runCode('import os\nos.getcwd()', { context: a })).text).toBe(`'${h.root}/ctx-dir'`);
    const ids = (await ci.listCodeContexts()).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));

    await ci.restartCodeContext(a);
    expect((await ci.runCode('"secret" in globals()', { context: a })).text).toBe('False');

    await ci.removeCodeContext(b.id);
    expect((await ci.listCodeContexts()).map((c) => c.id)).not.toContain(b.id);
    // A short requestTimeoutMs: the SDK leaves its request timer running when the call fails.
    await expect(ci.runCode('1', { context: b, requestTimeoutMs: 1000 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('runs bash', async () => {
    const result = await ci.runCode('echo "from bash"; exit 2', { language: 'bash' });
    expect(result.logs.stdout).toEqual(['from bash\n']);
    expect(result.error?.name).toBe('CommandExitError');
  });

  it('requires the access token on /execute', async () => {
    const intruder = h.codeInterpreter({ accessToken: 'wrong' });
    await expect(intruder.runCode('1', { requestTimeoutMs: 1000 })).rejects.toThrow(/401|nauthori/);
  });
});

describe('kernel failures', () => {
  it('reports a kernel that died and starts a fresh one', async () => {
    const ctx = await ci.createCodeContext({ language: 'python' });
    await ci.runCode('state = 1', { context: ctx });
    const died = await ci.runCode('import os\nos._exit(3)', { context: ctx });
    expect(died.error?.name).toBe('KernelDied');
    const fresh = await ci.runCode('"state" in globals()', { context: ctx });
    expect(fresh.text).toBe('False');
    const exit = await ci.runCode('import sys\nsys.exit(2)', { context: ctx });
    expect(exit.error?.name).toBe('SystemExit');
    expect((await ci.runCode('1 + 1', { context: ctx })).text).toBe('2');
  });

  it('refuses languages it cannot run and bad bodies', async () => {
    await expect(ci.runCode('1', { language: 'r', requestTimeoutMs: 1000 })).rejects.toThrow(/400|not supported/);
    const bad = await fetch(`${h.runtime.envdUrl}/execute`, {
      method: 'POST',
      headers: { 'x-access-token': 'ci-token' },
      body: '{"code": 5}',
    });
    expect(bad.status).toBe(400);
  });
});
