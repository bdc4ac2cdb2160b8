/**
 * A bash "context": each execution is a fresh `bash -c` in the context's directory (bash keeps no state that
 * could be carried without a terminal protocol). A non-zero exit is reported as an error.
 */
import { spawn } from 'node:child_process';
import type { RuntimeState } from '../envd/state';
import type { SandboxUser } from '../envd/users';
import type { Executor } from './contexts';
import type { KernelEvent } from './messages';

export function bashExecutor(state: RuntimeState, user: SandboxUser, cwd: string): Executor {
  let queue: Promise<void> = Promise.resolve();
  const runOne = (code: string, env: Record<string, string>, sink: (e: KernelEvent) => void, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const hostCwd = state.fs.hostPath(cwd);
      const child = spawn('/bin/bash', ['-c', code], {
        cwd: hostCwd,
        env: state.processEnv(user, hostCwd, env),
        uid: user.uid,
        gid: user.gid,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onAbort = () => child.kill('SIGKILL');
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (d: Buffer) => sink({ type: 'stdout', text: d.toString('utf8') }));
      child.stderr.on('data', (d: Buffer) => sink({ type: 'stderr', text: d.toString('utf8') }));
      child.on('error', (error) => {
        sink({ type: 'error', name: 'Error', value: error.message, traceback: String(error.stack) });
      });
      child.on('close', (code, sig) => {
        signal.removeEventListener('abort', onAbort);
        if (code !== 0 && !signal.aborted) {
          const value = sig ? `killed by ${sig}` : `exit status ${code}`;
          sink({ type: 'error', name: 'CommandExitError', value, traceback: value });
        }
        resolve();
      });
    });
  return {
    execute(command, sink, signal) {
      const run = queue.then(() =>
        runOne(String(command.code), (command.env as Record<string, string>) ?? {}, sink, signal),
      );
      queue = run.catch(() => {});
      return run;
    },
    shutdown() {},
  };
}
