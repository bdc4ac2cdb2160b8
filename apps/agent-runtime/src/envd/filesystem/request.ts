/** Shared request plumbing for filesystem RPCs: the acting user and path resolution against their home. */
import type { HandlerContext } from '@connectrpc/connect';
import { basicAuthUser } from '../auth';
import { RuntimeError } from '../errors';
import { ensureHome } from '../home';
import type { RuntimeState } from '../state';
import type { SandboxUser } from '../users';

export interface FsRequest {
  user: SandboxUser;
  /** Client path → host path (relative paths start at the user's home). */
  resolve(requestPath: string): string;
}

export async function fsRequest(state: RuntimeState, ctx: HandlerContext): Promise<FsRequest> {
  const user = state.user(basicAuthUser(ctx.requestHeader));
  await ensureHome(state, user);
  return {
    user,
    resolve(requestPath: string) {
      if (requestPath === '') throw new RuntimeError('invalid_argument', 'path is required');
      return state.fs.resolve(requestPath, user.home);
    },
  };
}
