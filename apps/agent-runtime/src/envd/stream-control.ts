/**
 * What every server stream (Process.Start/Connect, Filesystem.WatchDir) shares: keepalives after
 * Keepalive-Ping-Interval seconds of silence, and telling a deadline (Connect-Timeout-Ms, which connect-node turns
 * into an abort with deadline_exceeded) apart from the client going away.
 */
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';

/** Seconds between keepalives, or undefined when the client asked for none. */
export function keepaliveInterval(ctx: HandlerContext): number | undefined {
  const raw = ctx.requestHeader.get('keepalive-ping-interval');
  if (!raw) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

export function isDeadline(reason: unknown): boolean {
  return reason instanceof ConnectError && reason.code === Code.DeadlineExceeded;
}

/**
 * Merges a source of messages with keepalives: yields source items as they come, and `keepalive()` whenever
 * nothing was sent for the interval. Ends when the source ends or the handler signal aborts (rethrowing the
 * abort reason so connect-node writes the right end-stream error).
 */
export async function* withKeepalive<T>(
  source: AsyncIterable<T>,
  ctx: HandlerContext,
  keepalive: () => T,
): AsyncGenerator<T> {
  const seconds = keepaliveInterval(ctx);
  const iterator = source[Symbol.asyncIterator]();
  let aborted: (() => void) | undefined;
  const abortP = new Promise<'abort'>((resolve) => {
    if (ctx.signal.aborted) resolve('abort');
    aborted = () => resolve('abort');
    ctx.signal.addEventListener('abort', aborted, { once: true });
  });
  try {
    let pending = iterator.next();
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick =
        seconds === undefined
          ? undefined
          : new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), seconds * 1000)));
      const winner = await Promise.race([pending, abortP, ...(tick ? [tick] : [])]);
      clearTimeout(timer);
      if (winner === 'abort') throw ctx.signal.reason;
      if (winner === 'tick') {
        yield keepalive();
        continue;
      }
      if (winner.done) return;
      yield winner.value;
      pending = iterator.next();
    }
  } finally {
    if (aborted) ctx.signal.removeEventListener('abort', aborted);
    void iterator.return?.();
  }
}
