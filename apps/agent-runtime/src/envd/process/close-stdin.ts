/** Process.CloseStdin: EOF on the process's stdin (envd >= 0.5.2). */
import { create } from '@bufbuild/protobuf';
import {
  CloseStdinResponseSchema,
  type CloseStdinRequest,
  type CloseStdinResponse,
} from '../../gen/process/process_pb';
import type { ProcessTable } from './table';

export function closeStdinHandler(table: ProcessTable) {
  return function closeStdin(req: CloseStdinRequest): CloseStdinResponse {
    table.find(req.process).closeStdin();
    return create(CloseStdinResponseSchema);
  };
}
