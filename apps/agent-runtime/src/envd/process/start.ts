/** Process.Start: spawns a command (or a PTY) as the requested user and streams its events. */
import fs from 'node:fs/promises';
import type { HandlerContext } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import { StartResponseSchema, type StartRequest, type StartResponse } from '../../gen/process/process_pb';
import { basicAuthUser } from '../auth';
import { RuntimeError, toRuntimeError } from '../errors';
import type { RuntimeState } from '../state';
import { ensureHome } from '../home';
import { processEvents } from './events';
import { ManagedProcess } from './managed-process';
import type { ProcessTable } from './table';

export function startHandler(state: RuntimeState, table: ProcessTable) {
  return async function* start(req: StartRequest, ctx: HandlerContext): AsyncGenerator<StartResponse> {
    const config = req.process;
    if (!config?.cmd) throw new RuntimeError('invalid_argument', 'process.cmd is required');
    const user = state.user(basicAuthUser(ctx.requestHeader));
    await ensureHome(state, user);
    const cwd = config.cwd ? state.fs.sandboxPath(config.cwd, user.home) : state.workdir(user);
    const hostCwd = state.fs.hostPath(cwd);
    const cwdStat = await fs.stat(hostCwd).catch(() => undefined);
    if (!cwdStat?.isDirectory()) throw new RuntimeError('invalid_argument', `cwd "${cwd}" is not a directory`);

    let proc: ManagedProcess;
    try {
      proc = await ManagedProcess.start({
        cmd: config.cmd,
        args: config.args,
        envs: { ...config.envs },
        cwd,
        hostCwd,
        env: state.processEnv(user, hostCwd, config.envs),
        uid: user.uid,
        gid: user.gid,
        tag: req.tag,
        // envd before the stdin flag kept stdin open; the SDK now sends stdin:false unless asked.
        stdin: req.stdin ?? true,
        pty: req.pty ? { cols: req.pty.size?.cols ?? 80, rows: req.pty.size?.rows ?? 24 } : undefined,
      });
    } catch (error) {
      const domain = toRuntimeError(error);
      throw new RuntimeError(
        domain.kind === 'internal' ? 'invalid_argument' : domain.kind,
        `cannot start "${config.cmd}": ${domain.message}`,
      );
    }
    table.add(proc);
    // envd runs the process under the request's context: at Connect-Timeout-Ms it dies, even if the client (which
    // aborts at the same moment) is already gone. A client going away without a deadline leaves it running.
    const timeoutMs = Number(ctx.requestHeader.get('connect-timeout-ms') ?? '');
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      const timer = setTimeout(() => proc.signal('SIGKILL'), timeoutMs);
      timer.unref();
      void proc.exited.then(() => clearTimeout(timer));
    }
    state.log(`process ${proc.pid} started: ${config.cmd} ${config.args.join(' ')}`);
    for await (const event of processEvents(proc, ctx, true)) yield create(StartResponseSchema, { event });
  };
}
