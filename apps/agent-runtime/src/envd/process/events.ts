/** Turns a process's output into the ProcessEvent messages both Start and Connect stream. */
import { create } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { ProcessEventSchema, type ProcessEvent } from '../../gen/process/process_pb';
import { Channel } from '../../util/channel';
import { isDeadline, withKeepalive } from '../stream-control';
import type { ManagedProcess, ProcessOutput } from './managed-process';

function toEvent(output: ProcessOutput): ProcessEvent {
  if (output.kind === 'data') {
    return create(ProcessEventSchema, {
      event: { case: 'data', value: { output: { case: output.stream, value: output.data } } },
    });
  }
  return create(ProcessEventSchema, {
    event: {
      case: 'end',
      value: { exitCode: output.exitCode, exited: true, status: output.status, error: output.error },
    },
  });
}

/** Chunks (at most 64 KiB each) buffered per subscriber before the process's output is paused. */
const HIGH_WATER = 256;
const LOW_WATER = 64;

const keepalive = () => create(ProcessEventSchema, { event: { case: 'keepalive', value: {} } });

/**
 * start{pid}, then the process's events until it ends. At the stream's deadline the process is killed (envd runs
 * it under the request context); when the client merely goes away, it keeps running.
 */
export async function* processEvents(
  proc: ManagedProcess,
  ctx: HandlerContext,
  killAtDeadline: boolean,
): AsyncGenerator<ProcessEvent> {
  const channel = new Channel<ProcessOutput>();
  let paused = false;
  const unsubscribe = proc.subscribe((output) => {
    channel.push(output);
    if (output.kind === 'end') channel.close();
    else if (!paused && channel.size >= HIGH_WATER) {
      paused = true;
      proc.pause();
    }
  });
  const onAbort = () => {
    if (killAtDeadline && isDeadline(ctx.signal.reason)) proc.signal('SIGKILL');
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    yield create(ProcessEventSchema, { event: { case: 'start', value: { pid: proc.pid } } });
    for await (const output of withKeepalive(channel, ctx, () => null)) {
      yield output === null ? keepalive() : toEvent(output);
      if (paused && channel.size <= LOW_WATER) {
        paused = false;
        proc.resume();
      }
    }
  } finally {
    if (paused) proc.resume();
    ctx.signal.removeEventListener('abort', onAbort);
    unsubscribe();
    channel.close();
  }
}
