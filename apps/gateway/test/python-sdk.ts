/**
 * The PyPI SDKs (e2b, e2b-code-interpreter) in a virtualenv under node_modules/.cache/kruise-agents-py-sdk (shared
 * with the agent-runtime's tests; $KRUISE_PY_SDK_VENV overrides), created on first use. When PyPI is unreachable the
 * Python checks are skipped with the reason: the JS SDK tests cover the same server.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function pythonWithSdk(): Promise<string | { skipped: string }> {
  const venv =
    process.env.KRUISE_PY_SDK_VENV ??
    path.resolve(import.meta.dirname, '../../../node_modules/.cache/kruise-agents-py-sdk');
  const python = path.join(venv, 'bin', 'python');
  const ready = () =>
    run(python, ['-c', 'import e2b, e2b_code_interpreter']).then(
      () => true,
      () => false,
    );
  if (fs.existsSync(python) && (await ready())) return python;
  try {
    if (!fs.existsSync(python)) await run('python3', ['-m', 'venv', venv], { timeout: 60_000 });
    await run(path.join(venv, 'bin', 'pip'), ['install', '-q', 'e2b', 'e2b-code-interpreter'], { timeout: 180_000 });
    return python;
  } catch (error) {
    return { skipped: `no Python SDK venv in ${venv}: ${(error as Error).message.split('\n')[0]}` };
  }
}

export function runPython(
  python: string,
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', script], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
