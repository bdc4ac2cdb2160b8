/** EntryInfo for a host path, as envd reports it: sandbox path, lstat type, Go-style permission string. */
import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { EntryInfoSchema, FileType, type EntryInfo } from '../../gen/filesystem/filesystem_pb';
import type { RuntimeState } from '../state';

export function fileType(stats: Stats): FileType {
  if (stats.isSymbolicLink()) return FileType.SYMLINK;
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isFile()) return FileType.FILE;
  return FileType.UNSPECIFIED;
}

/** Go's os.FileMode.String(): type letter then rwx triplets, e.g. "drwxr-xr-x", "Lrwxrwxrwx", "-rw-r--r--". */
export function permissionString(stats: Stats): string {
  const type = stats.isDirectory()
    ? 'd'
    : stats.isSymbolicLink()
      ? 'L'
      : stats.isFIFO()
        ? 'p'
        : stats.isSocket()
          ? 'S'
          : stats.isCharacterDevice()
            ? 'c'
            : stats.isBlockDevice()
              ? 'D'
              : '-';
  const bits = 'rwxrwxrwx';
  let perms = '';
  for (let i = 0; i < 9; i++) perms += stats.mode & (1 << (8 - i)) ? bits[i] : '-';
  return type + perms;
}

export async function entryInfo(state: RuntimeState, hostPath: string, stats?: Stats): Promise<EntryInfo> {
  stats ??= await fs.lstat(hostPath);
  const entry = create(EntryInfoSchema, {
    name: path.basename(hostPath),
    type: fileType(stats),
    path: state.fs.toSandbox(hostPath),
    size: BigInt(stats.size),
    mode: stats.mode & 0o7777,
    permissions: permissionString(stats),
    owner: state.users.ownerName(stats.uid),
    group: state.users.groupName(stats.gid),
    modifiedTime: timestampFromMs(Math.floor(stats.mtimeMs)),
    metadata: state.fileMetadata.get(hostPath) ?? {},
  });
  if (stats.isSymbolicLink()) {
    const target = await fs.readlink(hostPath).catch(() => undefined);
    if (target !== undefined) entry.symlinkTarget = state.fs.linkTargetToSandbox(hostPath, target);
  }
  return entry;
}
