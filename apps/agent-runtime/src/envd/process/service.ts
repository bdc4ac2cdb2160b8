/** The process.Process service: one handler per RPC, sharing the runtime's process table. */
import type { ServiceImpl } from '@connectrpc/connect';
import type { Process } from '../../gen/process/process_pb';
import type { RuntimeState } from '../state';
import { closeStdinHandler } from './close-stdin';
import { connectHandler } from './connect';
import { listHandler } from './list';
import { sendInputHandler } from './send-input';
import { sendSignalHandler } from './send-signal';
import { startHandler } from './start';
import { streamInputHandler } from './stream-input';
import type { ProcessTable } from './table';
import { updateHandler } from './update';

export function processService(state: RuntimeState, table: ProcessTable): ServiceImpl<typeof Process> {
  return {
    start: startHandler(state, table),
    connect: connectHandler(table),
    list: listHandler(table),
    sendInput: sendInputHandler(table),
    sendSignal: sendSignalHandler(table),
    update: updateHandler(table),
    closeStdin: closeStdinHandler(table),
    streamInput: streamInputHandler(table),
  };
}
