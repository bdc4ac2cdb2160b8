/** Filesystem.Remove: rm -rf; a missing path is not an error. The sandbox root itself cannot be removed. */
import fs from 'node:fs/promises';
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { RemoveResponseSchema, type RemoveRequest, type RemoveResponse } from '../../gen/filesystem/filesystem_pb';
import { RuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { fsRequest } from './request';

export function removeHandler(state: RuntimeState) {
  return async function remove(req: RemoveRequest, ctx: HandlerContext): Promise<RemoveResponse> {
    const { resolve } = await fsRequest(state, ctx);
    const host = resolve(req.path);
    if (state.fs.toSandbox(host) === '/') throw new RuntimeError('permission_denied', 'refusing to remove /');
    await fs.rm(host, { recursive: true, force: true });
    for (const key of state.fileMetadata.keys())
      if (key === host || key.startsWith(host + '/')) state.fileMetadata.delete(key);
    return create(RemoveResponseSchema);
  };
}
