/** Filesystem.WatchDir: start{}, then filesystem events (and keepalives) until the client stops or the deadline. */
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import {
  WatchDirResponseSchema,
  type FilesystemEvent,
  type WatchDirRequest,
  type WatchDirResponse,
} from '../../gen/filesystem/filesystem_pb';
import { Channel } from '../../util/channel';
import type { RuntimeState } from '../state';
import { withKeepalive } from '../stream-control';
import { fsRequest } from './request';
import { watchDirectory } from './watcher';

export function watchDirHandler(state: RuntimeState) {
  return async function* watchDir(req: WatchDirRequest, ctx: HandlerContext): AsyncGenerator<WatchDirResponse> {
    const { resolve } = await fsRequest(state, ctx);
    const channel = new Channel<FilesystemEvent>();
    const watch = await watchDirectory(
      state,
      resolve(req.path),
      { recursive: req.recursive, includeEntry: req.includeEntry },
      (event) => channel.push(event),
      (error) => channel.close(error),
    );
    try {
      yield create(WatchDirResponseSchema, { event: { case: 'start', value: {} } });
      for await (const event of withKeepalive(channel, ctx, () => null)) {
        yield event === null
          ? create(WatchDirResponseSchema, { event: { case: 'keepalive', value: {} } })
          : create(WatchDirResponseSchema, { event: { case: 'filesystem', value: event } });
      }
    } finally {
      // Ends at the deadline too: withKeepalive rethrows deadline_exceeded, which the SDK turns into onExit(TimeoutError).
      watch.close();
      channel.close();
    }
  };
}
