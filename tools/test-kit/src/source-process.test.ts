import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { awaitOutput, spawnSource, stopProcess } from './source-process';

const FIXTURE = fileURLToPath(new URL('./fixtures/announce.ts', import.meta.url));

describe('a process run from source', () => {
  it('runs the TypeScript entry with its arguments, without jest NODE_OPTIONS, and stops on SIGTERM', async () => {
    const child = spawnSource(FIXTURE, ['serve'], ['ignore', 'pipe', 'inherit']);
    const [, mode, nodeOptions] = await awaitOutput(child, 'stdout', /ready (\w+) \(NODE_OPTIONS=(.*)\)/);
    expect(mode).toBe('serve');
    expect(nodeOptions).toBe('');
    await stopProcess(child);
    expect(child.exitCode).toBe(0);
    await stopProcess(child); // already gone: resolves at once
  }, 20_000);

  it('rejects, quoting the output, when the process exits before printing the pattern', async () => {
    const child = spawnSource(FIXTURE, ['fail'], ['ignore', 'pipe', 'inherit']);
    await expect(awaitOutput(child, 'stdout', /ready/)).rejects.toThrow(
      /exited \(3\) before printing \/ready\/: cannot start/,
    );
  }, 20_000);

  it('refuses a stream that is not piped', async () => {
    const child = spawnSource(FIXTURE, ['serve'], ['ignore', 'ignore', 'ignore']);
    await expect(awaitOutput(child, 'stdout', /ready/)).rejects.toThrow("the child's stdout is not piped");
    await stopProcess(child);
  }, 20_000);
});
