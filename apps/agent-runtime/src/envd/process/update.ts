/** Process.Update: resizes a PTY. */
import { create } from '@bufbuild/protobuf';
import { UpdateResponseSchema, type UpdateRequest, type UpdateResponse } from '../../gen/process/process_pb';
import type { ProcessTable } from './table';

export function updateHandler(table: ProcessTable) {
  return function update(req: UpdateRequest): UpdateResponse {
    const proc = table.find(req.process);
    const size = req.pty?.size;
    if (size) proc.resize(size.cols, size.rows);
    return create(UpdateResponseSchema);
  };
}
