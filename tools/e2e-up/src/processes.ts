/**
 * Runs things the way a user types them: `npx kruise-agents …` as a child process, and shell commands in a bash that
 * sourced <data-dir>/e2b.env first (`set -a; source …; set +a`), exactly as the README says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PATH_WITH_BIN, REPO_ROOT } from './paths';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A port that was free a moment ago (the OS hands out a fresh one each time). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function bash(script: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: PATH_WITH_BIN, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `set -a; source <data-dir>/e2b.env; set +a; <command>` — the README's way of configuring the SDKs. */
export const withE2bEnv = (dataDir: string, command: string, timeoutMs?: number) =>
  bash(`set -a; source '${dataDir}/e2b.env'; set +a; ${command}`, { timeoutMs });

export const cli = (args: string, timeoutMs?: number) => bash(`npx kruise-agents ${args}`, { timeoutMs });

/** A running `npx kruise-agents up`, its output so far, and a way to wait for a line of it. */
export class UpProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string) {
    this.child = spawn('bash', ['-c', `exec npx kruise-agents up ${args}`], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: PATH_WITH_BIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves when stdout matches; rejects with the output when `up` exits first or the time runs out. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!pattern.test(this.stdout)) {
      if (exited || Date.now() > deadline) {
        throw new Error(
          `kruise-agents up ${exited ? 'exited' : 'timed out'} before ${pattern}:\n${this.stdout}\n${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
