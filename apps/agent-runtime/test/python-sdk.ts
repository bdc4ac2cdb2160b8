/**
 * Runs a script with the PyPI SDKs (e2b, e2b-code-interpreter; plus matplotlib for the interpreter's figures). Their virtualenv lives in
 * node_modules/.cache/kruise-agents-py-sdk (or $AGENT_RUNTIME_PY_VENV) and is created on first use; when PyPI is
 * unreachable the check is skipped with the reason, since the JS SDK tests cover the same server.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PACKAGES = ['e2b', 'e2b-code-interpreter', 'matplotlib'];

export function pythonVenvDir(): string {
  if (process.env.AGENT_RUNTIME_PY_VENV) return process.env.AGENT_RUNTIME_PY_VENV;
  return path.resolve(import.meta.dirname, '../../../node_modules/.cache/kruise-agents-py-sdk');
}

export async function ensureVenv(): Promise<string | { skipped: string }> {
  const venv = pythonVenvDir();
  const python = path.join(venv, 'bin', 'python');
  if (fs.existsSync(python)) {
    const ok = await run(python, ['-c', 'import e2b, e2b_code_interpreter, matplotlib']).then(
      () => true,
      () => false,
    );
    if (ok) return python;
  }
  try {
    if (!fs.existsSync(python)) await run('python3', ['-m', 'venv', venv], { timeout: 60_000 });
    // matplotlib: the interpreter's figure-to-PNG path is tested with the real library.
    await run(path.join(venv, 'bin', 'pip'), ['install', '-q', ...PACKAGES], { timeout: 180_000 });
    return python;
  } catch (error) {
    return { skipped: `could not create the Python SDK venv in ${venv}: ${(error as Error).message.split('\n')[0]}` };
  }
}

export interface PythonOutcome {
  skipped?: string;
  code?: number | null;
  stdout: string;
  stderr: string;
}

export async function runPythonSdk(script: string): Promise<PythonOutcome> {
  const python = await ensureVenv();
  if (typeof python !== 'string') return { ...python, stdout: '', stderr: '' };
  return new Promise((resolve) => {
    const child = spawn(python, [script], {
      env: { ...process.env, E2B_DEBUG: 'true', E2B_API_KEY: 'unused' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
