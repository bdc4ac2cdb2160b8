/**
 * The PyPI SDKs the Python examples run with, in virtualenvs under node_modules/.cache (as agent-runtime's tests do),
 * created on first use and reused while their requirements file is unchanged. Two of them: the newest SDKs, and the
 * older pinned pair that still has Sandbox.beta_create (see examples/python/requirements-beta-create.txt).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);

export class VenvError extends Error {
  override readonly name = 'VenvError';
}

/** Returns the venv's python, creating the venv (python3 -m venv + pip install -r) when missing or stale. */
export async function ensureVenv(name: string, requirementsFile: string): Promise<string> {
  const venv = path.join(REPO_ROOT, 'node_modules/.cache', name);
  const python = path.join(venv, 'bin', 'python');
  const marker = path.join(venv, '.requirements-sha256');
  const wanted = createHash('sha256').update(fs.readFileSync(requirementsFile)).digest('hex');
  if (fs.existsSync(python) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) return python;
  fs.rmSync(venv, { recursive: true, force: true });
  try {
    await run('python3', ['-m', 'venv', venv], { timeout: 60_000 });
  } catch (error) {
    throw new VenvError(
      `python3 -m venv failed (${(error as Error).message.split('\n')[0]}): install python3 with venv ` +
        '(Debian/Ubuntu: apt-get install python3-venv)',
    );
  }
  try {
    await run(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '-r', requirementsFile], {
      timeout: 180_000,
    });
  } catch (error) {
    throw new VenvError(`pip install -r ${requirementsFile} failed (is PyPI reachable?): ${(error as Error).message}`);
  }
  fs.writeFileSync(marker, wanted);
  return python;
}
