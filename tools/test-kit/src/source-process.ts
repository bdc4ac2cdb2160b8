/** Running a TypeScript entry point of the workspace in a process of its own: a runtime, an operator, a second client. */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/**
 * Spawns `entry` from source, as the benchmarks and tests run workspace code: tsx, with workspace packages resolved to
 * their TypeScript. NODE_OPTIONS is cleared: jest's --experimental-vm-modules is for jest, not for the child.
 */
export function spawnSource(entry: string, args: readonly string[], stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, ['--conditions=@kruise-agents/source', '--import', 'tsx', entry, ...args], {
    stdio,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

/**
 * Resolves with the first match of `pattern` in what the child writes to `stream` (piped) from now on; rejects, quoting
 * that output, when the child is gone first ('close', not 'exit': what it wrote just before exiting is read first).
 * The stream keeps flowing afterwards, so a chatty child never blocks on a full pipe.
 */
export function awaitOutput(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<RegExpExecArray> {
  const source = child[stream];
  if (!source) return Promise.reject(new Error(`the child's ${stream} is not piped`));
  return new Promise((resolve, reject) => {
    let output = '';
    const done = () => {
      source.off('data', onData);
      child.off('close', onClose);
      source.resume();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match) {
        done();
        resolve(match);
      }
    };
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      reject(
        new Error(`${child.spawnargs.join(' ')} exited (${code ?? signal}) before printing ${pattern}: ${output}`),
      );
    };
    source.on('data', onData);
    child.once('close', onClose);
  });
}

/** SIGTERM, resolved once the child has exited (at once when it already had). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
