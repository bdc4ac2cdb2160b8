/** Gives new files and directories to the acting user when the daemon runs as root and switches users. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SandboxUser } from '../users';

export async function chownTo(user: SandboxUser, hostPath: string): Promise<void> {
  if (user.uid === undefined) return;
  await fs.lchown(hostPath, user.uid, user.gid ?? user.uid).catch(() => {});
}

/** mkdir -p that chowns every directory it creates (not the ones that already existed). */
export async function makeDirs(user: SandboxUser, hostDir: string): Promise<void> {
  const first = await fs.mkdir(hostDir, { recursive: true });
  if (first === undefined || user.uid === undefined) return;
  let dir = hostDir;
  for (;;) {
    await chownTo(user, dir);
    if (dir === first) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
}
