/** Creates a user's home on first use: a path-mapped root starts empty, and templates may skip creating it. */
import fs from 'node:fs/promises';
import type { RuntimeState } from './state';
import type { SandboxUser } from './users';

const created = new WeakMap<RuntimeState, Set<string>>();

export async function ensureHome(state: RuntimeState, user: SandboxUser): Promise<void> {
  let seen = created.get(state);
  if (!seen) created.set(state, (seen = new Set()));
  if (seen.has(user.home)) return;
  const host = state.fs.hostPath(user.home);
  try {
    await fs.mkdir(host, { recursive: true });
    if (user.uid !== undefined) await fs.chown(host, user.uid, user.gid ?? user.uid).catch(() => {});
    seen.add(user.home);
  } catch {
    // Not fatal: the call that needs it reports the real error.
  }
}
