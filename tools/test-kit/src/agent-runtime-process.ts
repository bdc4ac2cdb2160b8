import { fileURLToPath } from 'node:url';
import { awaitOutput, spawnSource, stopProcess } from './source-process';
import { makeTempDir } from './temp-dir';

/** By path, not by package: the agent-runtime's own tests use this kit, and a dependency on it would be a cycle. */
const MAIN = fileURLToPath(new URL('../../../apps/agent-runtime/src/main.ts', import.meta.url));

export interface AgentRuntimeProcess {
  envdUrl: string;
  pid: number;
  /** The host directory that the sandbox's "/" maps to: a fresh temp dir, removed by close(). */
  root: string;
  close(): Promise<void>;
}

/**
 * The agent-runtime in a process of its own, as in a sandbox (its memory and CPU are its own to measure), with envd on
 * a free loopback port and the code interpreter on another or off.
 */
export async function startAgentRuntimeProcess(options: { interpreter: boolean }): Promise<AgentRuntimeProcess> {
  const root = makeTempDir('agent-runtime');
  const args = ['--envd-port', '0', '--interpreter-port', options.interpreter ? '0' : 'off', '--root', root.path];
  const child = spawnSource(MAIN, args, ['ignore', 'ignore', 'pipe']);
  try {
    // It logs "envd <version> on http://<host>:<port>, root …" to stderr once envd listens.
    const [, envdUrl] = await awaitOutput(child, 'stderr', /on (http:\/\/[^,\s]+)/);
    return {
      envdUrl: envdUrl!,
      pid: child.pid!,
      root: root.path,
      async close() {
        await stopProcess(child);
        root.remove();
      },
    };
  } catch (error) {
    root.remove();
    throw error;
  }
}
