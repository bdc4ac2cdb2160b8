/** Filesystem.Stat: the entry for one path (not following a final symlink). */
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { StatResponseSchema, type StatRequest, type StatResponse } from '../../gen/filesystem/filesystem_pb';
import type { RuntimeState } from '../state';
import { entryInfo } from './entry';
import { fsRequest } from './request';

export function statHandler(state: RuntimeState) {
  return async function stat(req: StatRequest, ctx: HandlerContext): Promise<StatResponse> {
    const { resolve } = await fsRequest(state, ctx);
    return create(StatResponseSchema, { entry: await entryInfo(state, resolve(req.path)) });
  };
}
