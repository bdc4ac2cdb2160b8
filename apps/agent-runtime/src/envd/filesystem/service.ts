/** The filesystem.Filesystem service. */
import type { ServiceImpl } from '@connectrpc/connect';
import type { Filesystem } from '../../gen/filesystem/filesystem_pb';
import type { RuntimeState } from '../state';
import { listDirHandler } from './list-dir';
import { makeDirHandler } from './make-dir';
import { moveHandler } from './move';
import { removeHandler } from './remove';
import { statHandler } from './stat';
import { watchDirHandler } from './watch-dir';
import type { WatcherRegistry } from './watchers';

export function filesystemService(state: RuntimeState, watchers: WatcherRegistry): ServiceImpl<typeof Filesystem> {
  return {
    stat: statHandler(state),
    makeDir: makeDirHandler(state),
    move: moveHandler(state),
    listDir: listDirHandler(state),
    remove: removeHandler(state),
    watchDir: watchDirHandler(state),
    createWatcher: watchers.createWatcher,
    getWatcherEvents: watchers.getWatcherEvents,
    removeWatcher: watchers.removeWatcher,
  };
}
