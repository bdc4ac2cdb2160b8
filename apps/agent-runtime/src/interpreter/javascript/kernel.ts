/** A JavaScript or TypeScript context: a Node process (the runtime's own binary) running the vm driver. */
import fs from 'node:fs';
import type { RuntimeState } from '../../envd/state';
import type { SandboxUser } from '../../envd/users';
import { Kernel } from '../kernel';
import { JS_DRIVER } from './driver';

export function javascriptKernel(state: RuntimeState, user: SandboxUser, cwd: string, typescript: boolean): Kernel {
  return new Kernel(() => {
    const hostCwd = state.fs.hostPath(cwd);
    // A fresh root has no home yet; other directories must exist (the client chose them).
    if (cwd === user.home) fs.mkdirSync(hostCwd, { recursive: true });
    return {
      command: process.execPath,
      // --no-warnings: stripTypeScriptTypes' experimental warning would otherwise show up as the cell's stderr.
      args: ['--no-warnings', '-e', JS_DRIVER, '--', ...(typescript ? ['--typescript'] : [])],
      cwd: hostCwd,
      env: state.processEnv(user, hostCwd),
      uid: user.uid,
      gid: user.gid,
    };
  });
}
