/** Process.List: the running processes with the config they were started with. */
import { create } from '@bufbuild/protobuf';
import { ListResponseSchema, type ListResponse } from '../../gen/process/process_pb';
import type { ProcessTable } from './table';

export function listHandler(table: ProcessTable) {
  return function list(): ListResponse {
    return create(ListResponseSchema, {
      processes: table.all().map((p) => ({
        pid: p.pid,
        tag: p.spec.tag,
        config: { cmd: p.spec.cmd, args: p.spec.args, envs: p.spec.envs, cwd: p.spec.cwd },
      })),
    });
  };
}
