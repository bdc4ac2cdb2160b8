/** Process.Connect: attaches to a running process, starting again with start{pid}. */
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { ConnectResponseSchema, type ConnectRequest, type ConnectResponse } from '../../gen/process/process_pb';
import { processEvents } from './events';
import type { ProcessTable } from './table';

export function connectHandler(table: ProcessTable) {
  return async function* connect(req: ConnectRequest, ctx: HandlerContext): AsyncGenerator<ConnectResponse> {
    const proc = table.find(req.process);
    for await (const event of processEvents(proc, ctx, false)) yield create(ConnectResponseSchema, { event });
  };
}
