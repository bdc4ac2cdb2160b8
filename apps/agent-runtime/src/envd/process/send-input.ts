/** Process.SendInput: bytes to a process's stdin or its PTY. */
import { create } from '@bufbuild/protobuf';
import { SendInputResponseSchema, type SendInputRequest, type SendInputResponse } from '../../gen/process/process_pb';
import { RuntimeError } from '../errors';
import type { ManagedProcess } from './managed-process';
import type { ProcessTable } from './table';

export function writeInput(proc: ManagedProcess, input: SendInputRequest['input']): void {
  const which = input?.input;
  if (which?.case === 'stdin') proc.writeStdin(which.value);
  else if (which?.case === 'pty') proc.writePty(which.value);
  else throw new RuntimeError('invalid_argument', 'input.stdin or input.pty is required');
}

export function sendInputHandler(table: ProcessTable) {
  return function sendInput(req: SendInputRequest): SendInputResponse {
    writeInput(table.find(req.process), req.input);
    return create(SendInputResponseSchema);
  };
}
