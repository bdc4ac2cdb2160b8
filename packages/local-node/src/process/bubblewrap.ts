/**
 * Isolation with bubblewrap (the Debian package `bubblewrap`), when it is installed and works here: the host file
 * system read-only (other pods' directories hidden), the sandbox root the only writable place, a private /tmp, /dev
 * and /proc, and own PID, IPC and UTS namespaces. The network namespace is shared on purpose: the pod's loopback
 * address must be reachable from the host, as a pod IP is in a cluster. No --new-session and no --die-with-parent: the container stays in the process
 * group the node signals (freeze, stop), and outlives a crash of the node, which adopts it again on restart.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export type IsolationChoice = 'auto' | 'bubblewrap' | 'none';

export class IsolationUnavailableError extends Error {
  override readonly name = 'IsolationUnavailableError';
}

let probed: { ok: boolean; path: string; reason?: string } | undefined;

/** Whether `bwrap` is on PATH and can create a sandbox here (user namespaces or root). Cached per process. */
export function bubblewrapAvailable(bwrap = 'bwrap'): { ok: boolean; path: string; reason?: string } {
  if (probed && probed.path === bwrap) return probed;
  const result = spawnSync(
    bwrap,
    ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--', 'true'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 5000,
    },
  );
  probed =
    result.status === 0
      ? { ok: true, path: bwrap }
      : {
          ok: false,
          path: bwrap,
          reason: result.error?.message ?? result.stderr?.toString().trim() ?? `exit ${result.status}`,
        };
  return probed;
}

/** Resolves 'auto' to what works here; asking for bubblewrap where it does not work is an error. */
export function chooseIsolation(choice: IsolationChoice, bwrap = 'bwrap'): 'bubblewrap' | 'none' {
  if (choice === 'none') return 'none';
  const available = bubblewrapAvailable(bwrap);
  if (available.ok) return 'bubblewrap';
  if (choice === 'bubblewrap') throw new IsolationUnavailableError(`bubblewrap is not usable: ${available.reason}`);
  return 'none';
}

export interface BubblewrapSandbox {
  sandboxRoot: string;
  cwd: string;
  hostname: string;
}

/**
 * The directories under /tmp that the command itself lives in (its program, its script, the node_modules beside
 * them), so the sandbox's private /tmp does not hide them: a checkout under /tmp (as CI's is) must still run.
 */
export function programDirsUnderTmp(argv: readonly string[], sandboxRoot: string): string[] {
  const dirs = new Set<string>();
  for (const arg of argv) {
    const match = /^\/tmp\/[^/]+/.exec(arg);
    // What lies in the sandbox root is visible anyway: the root is bound read-write after these.
    if (match && !arg.startsWith(`${sandboxRoot}/`)) dirs.add(match[0]);
  }
  return [...dirs];
}

/** The bwrap argv that runs `argv` in the pod's sandbox. */
export function bubblewrapArgv(bwrap: string, box: BubblewrapSandbox, argv: readonly string[]): string[] {
  const keep = programDirsUnderTmp([...argv, box.cwd], box.sandboxRoot).flatMap((dir) => ['--ro-bind', dir, dir]);
  // Sandbox roots are <dataDir>/pods/<pod>/root: an empty tmpfs over the pods directory hides the other pods' roots,
  // logs and state (readable otherwise through the read-only host), then only this pod's root is bound back.
  const pods = path.dirname(path.dirname(box.sandboxRoot));
  // prettier-ignore
  return [
    bwrap,
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    ...keep,
    '--tmpfs', pods,
    '--bind', box.sandboxRoot, box.sandboxRoot,
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname', box.hostname,
    '--chdir', box.cwd,
    '--',
    ...argv,
  ];
}
