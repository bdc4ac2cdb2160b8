/** Process.SendSignal: SIGTERM or SIGKILL to the process group. */
import { create } from '@bufbuild/protobuf';
import {
  SendSignalResponseSchema,
  Signal,
  type SendSignalRequest,
  type SendSignalResponse,
} from '../../gen/process/process_pb';
import { RuntimeError } from '../errors';
import type { ProcessTable } from './table';

export function sendSignalHandler(table: ProcessTable) {
  return function sendSignal(req: SendSignalRequest): SendSignalResponse {
    const proc = table.find(req.process);
    if (req.signal === Signal.SIGKILL) proc.signal('SIGKILL');
    else if (req.signal === Signal.SIGTERM) proc.signal('SIGTERM');
    else throw new RuntimeError('invalid_argument', `unsupported signal ${req.signal}`);
    return create(SendSignalResponseSchema);
  };
}
