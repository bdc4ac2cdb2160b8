/**
 * Polling watchers (CreateWatcher / GetWatcherEvents / RemoveWatcher), used by the Python sync SDK. Events are
 * buffered per watcher (bounded, oldest dropped) until fetched.
 */
import crypto from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import {
  CreateWatcherResponseSchema,
  GetWatcherEventsResponseSchema,
  RemoveWatcherResponseSchema,
  type CreateWatcherRequest,
  type CreateWatcherResponse,
  type FilesystemEvent,
  type GetWatcherEventsRequest,
  type GetWatcherEventsResponse,
  type RemoveWatcherRequest,
  type RemoveWatcherResponse,
} from '../../gen/filesystem/filesystem_pb';
import { RuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { fsRequest } from './request';
import { watchDirectory, type Watch } from './watcher';

const MAX_BUFFERED = 10_000;

interface PollingWatcher {
  watch: Watch;
  events: FilesystemEvent[];
  error?: unknown;
}

export class WatcherRegistry {
  private readonly watchers = new Map<string, PollingWatcher>();

  constructor(private readonly state: RuntimeState) {}

  createWatcher = async (req: CreateWatcherRequest, ctx: HandlerContext): Promise<CreateWatcherResponse> => {
    const { resolve } = await fsRequest(this.state, ctx);
    const id = crypto.randomUUID();
    const entry: PollingWatcher = { events: [], watch: { close() {} } };
    entry.watch = await watchDirectory(
      this.state,
      resolve(req.path),
      { recursive: req.recursive, includeEntry: req.includeEntry },
      (event) => {
        entry.events.push(event);
        if (entry.events.length > MAX_BUFFERED) entry.events.shift();
      },
      (error) => (entry.error = error),
    );
    this.watchers.set(id, entry);
    return create(CreateWatcherResponseSchema, { watcherId: id });
  };

  getWatcherEvents = (req: GetWatcherEventsRequest): GetWatcherEventsResponse => {
    const entry = this.get(req.watcherId);
    if (entry.error) throw entry.error;
    const events = entry.events.splice(0);
    return create(GetWatcherEventsResponseSchema, { events });
  };

  removeWatcher = (req: RemoveWatcherRequest): RemoveWatcherResponse => {
    this.get(req.watcherId).watch.close();
    this.watchers.delete(req.watcherId);
    return create(RemoveWatcherResponseSchema);
  };

  closeAll(): void {
    for (const w of this.watchers.values()) w.watch.close();
    this.watchers.clear();
  }

  private get(id: string): PollingWatcher {
    const entry = this.watchers.get(id);
    if (!entry) throw new RuntimeError('not_found', `watcher ${id} not found`);
    return entry;
  }
}
