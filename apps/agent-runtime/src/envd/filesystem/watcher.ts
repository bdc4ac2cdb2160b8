/**
 * Directory watching on top of fs.watch (inotify on Linux; recursive is native in Node 24). fs.watch only says
 * "rename" or "change", so the event type is recovered from what is on disk now: a "rename" of an existing path is a
 * create, of a missing one a remove (a move within the directory is therefore a remove plus a create, where envd
 * reports a rename); a "change" is a write or a chmod.
 */
import fs, { type Stats } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import { EventType, FilesystemEventSchema, type FilesystemEvent } from '../../gen/filesystem/filesystem_pb';
import { RuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { entryInfo } from './entry';

export interface WatchOptions {
  recursive: boolean;
  includeEntry: boolean;
}

export interface Watch {
  close(): void;
}

/** Starts watching; throws not_found / invalid_argument before returning if the directory is unusable. */
export async function watchDirectory(
  state: RuntimeState,
  hostDir: string,
  options: WatchOptions,
  onEvent: (event: FilesystemEvent) => void,
  onError: (error: unknown) => void,
): Promise<Watch> {
  const stats = await fsp.stat(hostDir);
  if (!stats.isDirectory()) throw new RuntimeError('invalid_argument', 'path is not a directory');
  // Events are handled in order so that a create is never reported after the remove that followed it.
  let chain = Promise.resolve();
  const watcher = fs.watch(hostDir, { recursive: options.recursive }, (kind, filename) => {
    if (filename === null) return;
    const name = filename.toString();
    chain = chain.then(async () => {
      const full = path.join(hostDir, name);
      const current = await fsp.lstat(full).catch(() => undefined);
      const type = kind === 'rename' ? (current ? EventType.CREATE : EventType.REMOVE) : changeType(current);
      const event = create(FilesystemEventSchema, { name, type });
      if (options.includeEntry && current) event.entry = await entryInfo(state, full, current).catch(() => undefined);
      onEvent(event);
    });
  });
  watcher.on('error', onError);
  return { close: () => watcher.close() };
}

/**
 * A "change" is a write or a chmod. A write sets mtime and ctime together; a chmod (or chown) moves only ctime, so a
 * ctime ahead of mtime means the metadata changed, not the content.
 */
function changeType(current: Stats | undefined): EventType {
  if (current && current.ctimeMs - current.mtimeMs > 1) return EventType.CHMOD;
  return EventType.WRITE;
}
