/**
 * The SDKs' debug mode (reference §1.4): Sandbox.create({debug:true}) makes no API call and talks to
 * localhost:49983 / localhost:49999. This is the only test file that owns those standard ports; it waits for them if
 * something else on the machine holds them, rather than failing or stealing them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Sandbox } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ENVD_PORT, DEFAULT_INTERPRETER_PORT, startAgentRuntime, type AgentRuntime } from '../src/index';
import { ensureVenv, runPythonSdk } from './python-sdk';
import { startHarness } from './helpers';

let runtime: AgentRuntime;
let root: string;

async function startOnStandardPorts(deadline: number): Promise<AgentRuntime> {
  for (;;) {
    try {
      return await startAgentRuntime({
        // What `kruise-agents runtime` binds by default; the SDKs resolve localhost and fall back to IPv4.
        host: '127.0.0.1',
        envdPort: DEFAULT_ENVD_PORT,
        interpreterPort: DEFAULT_INTERPRETER_PORT,
        root,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-runtime-debug-'));
  runtime = await startOnStandardPorts(Date.now() + 60_000);
}, 70_000);
afterAll(async () => {
  await runtime.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('JS SDK in debug mode', () => {
  it('runs commands and moves files', async () => {
    const sbx = await Sandbox.create({ debug: true });
    expect(sbx.sandboxId).toBe('debug_sandbox_id');
    expect(await sbx.isRunning()).toBe(true);
    const result = await sbx.commands.run('echo debug $((6*7))');
    expect(result.stdout).toBe('debug 42\n');
    await sbx.files.write('/home/user/debug.txt', 'via localhost');
    expect(await sbx.files.read('/home/user/debug.txt')).toBe('via localhost');
  });

  it('runs code on the interpreter port', async () => {
    const ci = await CodeInterpreter.create({ debug: true });
    const execution = await ci.runCode('sum(range(10))');
    expect(execution.text).toBe('45');
    const js = await ci.runCode('[1, 2, 3].map((x) => x * 2).join(",")', { language: 'javascript' });
    expect(js.text).toBe('2,4,6');
  });
});

describe('Python SDK in debug mode', () => {
  it('runs commands, files and code through the PyPI packages', async () => {
    const outcome = await runPythonSdk(path.join(import.meta.dirname, 'python', 'sdk_check.py'));
    if (outcome.skipped) {
      console.warn(`Python SDK test skipped: ${outcome.skipped}`);
      return;
    }
    expect(outcome.stderr).not.toMatch(/Traceback/);
    expect(outcome.stdout).toContain('ALL OK');
    expect(outcome.code).toBe(0);
  }, 240_000);
});

describe('matplotlib figures (Python from the PyPI venv)', () => {
  it('returns a PNG result for a figure', async () => {
    const python = await ensureVenv();
    if (typeof python !== 'string') {
      console.warn(`matplotlib test skipped: ${python.skipped}`);
      return;
    }
    const h = await startHarness({ python });
    try {
      const execution = await h
        .codeInterpreter()
        .runCode('import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.title("squares")\nplt.show()');
      expect(execution.error).toBeUndefined();
      const figure = execution.results.find((r) => r.png);
      expect(figure?.png?.startsWith('iVBORw0KGgo')).toBe(true);
      expect(figure?.isMainResult).toBe(false);
    } finally {
      await h.close();
    }
  }, 240_000);
});
