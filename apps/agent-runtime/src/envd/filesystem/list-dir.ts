/** Filesystem.ListDir: entries up to `depth` levels below a directory (0 means 1), not following symlinks. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import {
  ListDirResponseSchema,
  type EntryInfo,
  type ListDirRequest,
  type ListDirResponse,
} from '../../gen/filesystem/filesystem_pb';
import { RuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { entryInfo } from './entry';
import { fsRequest } from './request';

/** Bounds a single response: a depth-100 listing of / must not take the daemon down. */
const MAX_ENTRIES = 100_000;

export function listDirHandler(state: RuntimeState) {
  return async function listDir(req: ListDirRequest, ctx: HandlerContext): Promise<ListDirResponse> {
    const { resolve } = await fsRequest(state, ctx);
    const host = resolve(req.path);
    // The listed directory itself may be a symlink to a directory (envd follows it); entries inside are not followed.
    const stats = await fs.stat(host);
    if (!stats.isDirectory()) throw new RuntimeError('invalid_argument', `path ${req.path} is not a directory`);
    const depth = Math.max(1, req.depth);
    const entries: EntryInfo[] = [];
    await walk(state, host, depth, entries);
    return create(ListDirResponseSchema, { entries });
  };
}

async function walk(state: RuntimeState, dir: string, depth: number, out: EntryInfo[]): Promise<void> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch {
    return; // An unreadable subdirectory is skipped, as envd's WalkDir does.
  }
  for (const name of names) {
    if (out.length >= MAX_ENTRIES) throw new RuntimeError('resource_exhausted', `more than ${MAX_ENTRIES} entries`);
    const child = path.join(dir, name);
    const stats = await fs.lstat(child).catch(() => undefined);
    if (!stats) continue;
    out.push(await entryInfo(state, child, stats));
    if (depth > 1 && stats.isDirectory()) await walk(state, child, depth - 1, out);
  }
}
