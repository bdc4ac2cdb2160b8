import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { waitFor } from 'test-kit';
import { bubblewrapAvailable } from './bubblewrap';
import { groupProcesses, sigtermDropped } from './proc';
import { killGroup, terminateGroup } from './signals';

const dir = mkdtempSync(path.join(tmpdir(), 'local-node-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withBubblewrap = bubblewrapAvailable().ok ? it : it.skip;

describe('terminateGroup', () => {
  withBubblewrap(
    "hands the SIGTERM that bubblewrap's PID 1 drops during setup to the program it forks afterwards",
    async () => {
      // --block-fd holds bubblewrap's PID 1 (the sandbox's init, no SIGTERM handler) before it forks the program: the
      // state of a pod deleted, or frozen and then deleted, in its first moments on a loaded machine.
      // prettier-ignore
      const argv = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--block-fd', '3', '--', 'sleep', '60'];
      const child = spawn('bwrap', argv, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
      const pgid = child.pid!;
      const block = child.stdio[3] as Writable;
      block.on('error', () => undefined); // reset when the sandbox exits
      const outerExited = new Promise((resolve) => child.once('exit', resolve));
      const init = await waitFor('the sandbox init', () => groupProcesses(pgid).find((p) => p.ppid === pgid));
      expect(sigtermDropped(init.pid)).toBe(true);

      try {
        const ending = terminateGroup(pgid, { graceMs: 10_000 });
        await outerExited; // the outer bwrap took its SIGTERM; the init dropped its own
        block.end('go'); // setup goes on: the init forks the program
        // Not 'killed': the program got a SIGTERM within the grace period.
        expect(await ending).toBe('exited');
      } finally {
        killGroup(pgid);
      }
    },
  );

  it('does not signal a process the program starts after its SIGTERM (a shutdown helper)', () =>
    expectHelperUnsignalled(false));

  withBubblewrap('does not signal a shutdown helper that runs in a PID namespace of its own either', () =>
    expectHelperUnsignalled(true),
  );
});

/** A program that, on SIGTERM, starts a helper in its group and exits once the helper has written its file. */
async function expectHelperUnsignalled(ownNamespace: boolean): Promise<void> {
  const ready = path.join(dir, `ready-${ownNamespace}`);
  const done = path.join(dir, `done-${ownNamespace}`);
  const helper = [
    process.execPath,
    '-e',
    `setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(done)}, 'done'), 300)`,
  ];
  // prettier-ignore
  const command = ownNamespace
    ? ['bwrap', '--ro-bind', '/', '/', '--bind', dir, dir, '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--', ...helper]
    : helper;
  const program = `
    const { spawn } = require('node:child_process');
    const [file, ...args] = ${JSON.stringify(command)};
    process.on('SIGTERM', () => spawn(file, args, { stdio: 'ignore' }).on('exit', () => process.exit(0)));
    require('node:fs').writeFileSync(${JSON.stringify(ready)}, '');
    setInterval(() => {}, 50);`;
  const child = spawn(process.execPath, ['-e', program], { detached: true, stdio: 'ignore' });
  try {
    await waitFor('the SIGTERM handler', () => existsSync(ready));
    expect(await terminateGroup(child.pid!, { graceMs: 15_000 })).toBe('exited');
    expect(readFileSync(done, 'utf8')).toBe('done');
  } finally {
    killGroup(child.pid!);
  }
}
