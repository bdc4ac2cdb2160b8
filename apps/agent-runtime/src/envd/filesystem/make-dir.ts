/** Filesystem.MakeDir: mkdir -p; an existing directory is already_exists (the SDK turns it into `false`). */
import fs from 'node:fs/promises';
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { MakeDirResponseSchema, type MakeDirRequest, type MakeDirResponse } from '../../gen/filesystem/filesystem_pb';
import { RuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { entryInfo } from './entry';
import { makeDirs } from './ownership';
import { fsRequest } from './request';

export function makeDirHandler(state: RuntimeState) {
  return async function makeDir(req: MakeDirRequest, ctx: HandlerContext): Promise<MakeDirResponse> {
    const { user, resolve } = await fsRequest(state, ctx);
    const host = resolve(req.path);
    const existing = await fs.lstat(host).catch(() => undefined);
    if (existing) {
      if (existing.isDirectory()) throw new RuntimeError('already_exists', `directory ${req.path} already exists`);
      throw new RuntimeError('invalid_argument', `path ${req.path} already exists and is not a directory`);
    }
    await makeDirs(user, host);
    return create(MakeDirResponseSchema, { entry: await entryInfo(state, host) });
  };
}
