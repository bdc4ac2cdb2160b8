/** Filesystem.Move: rename, creating the destination's parents; returns the destination entry. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { MoveResponseSchema, type MoveRequest, type MoveResponse } from '../../gen/filesystem/filesystem_pb';
import type { RuntimeState } from '../state';
import { entryInfo } from './entry';
import { makeDirs } from './ownership';
import { fsRequest } from './request';

export function moveHandler(state: RuntimeState) {
  return async function move(req: MoveRequest, ctx: HandlerContext): Promise<MoveResponse> {
    const { user, resolve } = await fsRequest(state, ctx);
    const source = resolve(req.source);
    const destination = resolve(req.destination);
    await fs.lstat(source);
    await makeDirs(user, path.dirname(destination));
    await fs.rename(source, destination);
    const metadata = state.fileMetadata.get(source);
    if (metadata) {
      state.fileMetadata.delete(source);
      state.fileMetadata.set(destination, metadata);
    }
    return create(MoveResponseSchema, { entry: await entryInfo(state, destination) });
  };
}
