/** A Python context: a python3 process running the driver, with the sandbox environment and the context's cwd. */
import fs from 'node:fs';
import type { RuntimeState } from '../../envd/state';
import type { SandboxUser } from '../../envd/users';
import { Kernel } from '../kernel';
import { PYTHON_DRIVER } from './driver';

export function pythonKernel(state: RuntimeState, user: SandboxUser, cwd: string): Kernel {
  return new Kernel(() => {
    const hostCwd = state.fs.hostPath(cwd);
    // A fresh root has no home yet; other directories must exist (the client chose them).
    if (cwd === user.home) fs.mkdirSync(hostCwd, { recursive: true });
    return {
      command: state.config.python,
      args: ['-u', '-c', PYTHON_DRIVER],
      cwd: hostCwd,
      // Agg: figures render to PNG results, never to a display the sandbox does not have.
      env: state.processEnv(user, hostCwd, { MPLBACKEND: 'Agg', PYTHONUNBUFFERED: '1' }),
      uid: user.uid,
      gid: user.gid,
    };
  });
}
