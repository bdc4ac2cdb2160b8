/**
 * Starts one container's process: its own process group (detached), stdin closed, stdout and stderr on the write ends
 * the caller gives (the run's log pipes, see logs/log-pipes.ts), wrapped in bubblewrap when the pod is isolated. The handle reports the exit
 * once, with the code (or signal) a kubelet would turn into a terminated state.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LaunchSpec } from '../launch-spec';
import { bubblewrapArgv } from './bubblewrap';
import { isSameProcess, processStartTime } from './proc';
import { rfc3339 } from '../time';

export interface ExitInfo {
  /** Exit code; 128 + signal number when a signal ended it, as a container runtime reports. */
  exitCode: number;
  signal?: NodeJS.Signals;
  finishedAt: string;
}

export interface ProcessHandle {
  pid: number;
  /** The process group: the pid, since each container leads its own. */
  pgid: number;
  /** /proc start time, to recognise the process after a node restart. */
  startTime: string | undefined;
  startedAt: string;
  exited: Promise<ExitInfo>;
}

export interface SpawnOptions {
  spec: LaunchSpec;
  isolation: 'bubblewrap' | 'none';
  bwrap?: string;
  sandboxRoot: string;
  hostname: string;
  /** File descriptors for the child's stdout and stderr; the caller closes its copies. */
  output: { stdout: number; stderr: number };
}

export class SpawnError extends Error {
  override readonly name = 'SpawnError';
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGTERM: 15,
  SIGABRT: 6,
};

/** Spawns; rejects with SpawnError when the program cannot be started at all (not found, not executable). */
export async function spawnContainer(options: SpawnOptions): Promise<ProcessHandle> {
  const { spec } = options;
  mkdirSync(spec.cwd, { recursive: true });
  const argv =
    options.isolation === 'bubblewrap'
      ? bubblewrapArgv(
          options.bwrap ?? 'bwrap',
          { sandboxRoot: options.sandboxRoot, cwd: spec.cwd, hostname: options.hostname },
          spec.argv,
        )
      : spec.argv;
  const [file, ...args] = argv;
  if (!file) throw new SpawnError('empty command');
  // Checked here, not left to exec: under bubblewrap a missing program would look like a crash, not a start failure.
  if (!findExecutable(spec.argv[0] ?? '', spec.env.PATH ?? '', spec.cwd)) {
    throw new SpawnError(`executable file not found: ${spec.argv[0] ?? ''}`);
  }
  const child = spawn(file, args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', options.output.stdout, options.output.stderr],
  });
  // The node must not wait for its containers to exit before it can exit itself.
  child.unref();
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0);
      resolve({ exitCode, signal: signal ?? undefined, finishedAt: rfc3339() });
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new SpawnError(`cannot run ${file}: ${error.message}`)));
  });
  const pid = child.pid!;
  return { pid, pgid: pid, startTime: processStartTime(pid), startedAt: rfc3339(), exited };
}

/** A handle on a process the node did not start in this life (found after a restart): its exit is polled for. */
export function adoptProcess(
  pid: number,
  startTime: string | undefined,
  startedAt: string,
  pollMs = 250,
): ProcessHandle {
  const exited = new Promise<ExitInfo>((resolve) => {
    const timer = setInterval(() => {
      if (isSameProcess(pid, startTime)) return;
      clearInterval(timer);
      // The exit code of a process that is not our child is lost; kubelet reports the same case as 137/Unknown.
      resolve({ exitCode: 137, finishedAt: rfc3339() });
    }, pollMs);
    timer.unref();
  });
  return { pid, pgid: pid, startTime, startedAt, exited };
}

/** The program's path as exec would find it (PATH lookup for a bare name), or undefined. */
export function findExecutable(file: string, pathEnv: string, cwd: string): string | undefined {
  const candidates = file.includes('/')
    ? [path.resolve(cwd, file)]
    : pathEnv
        .split(':')
        .filter(Boolean)
        .map((d) => path.join(d, file));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}
