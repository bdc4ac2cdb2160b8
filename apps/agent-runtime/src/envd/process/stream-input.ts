/** Process.StreamInput (client stream): a start{process} message, then input chunks. Unused by the JS SDK. */
import { create } from '@bufbuild/protobuf';
import {
  StreamInputResponseSchema,
  type StreamInputRequest,
  type StreamInputResponse,
} from '../../gen/process/process_pb';
import { RuntimeError } from '../errors';
import type { ManagedProcess } from './managed-process';
import { writeInput } from './send-input';
import type { ProcessTable } from './table';

export function streamInputHandler(table: ProcessTable) {
  return async function streamInput(requests: AsyncIterable<StreamInputRequest>): Promise<StreamInputResponse> {
    let proc: ManagedProcess | undefined;
    for await (const req of requests) {
      const event = req.event;
      if (event.case === 'start') proc = table.find(event.value.process);
      else if (event.case === 'data') {
        if (!proc) throw new RuntimeError('invalid_argument', 'the first message must be start');
        writeInput(proc, event.value.input);
      }
    }
    return create(StreamInputResponseSchema);
  };
}
