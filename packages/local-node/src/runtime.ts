/**
 * Where containers run: as processes (plain or under bubblewrap), or nowhere at all (virtual mode, as KWOK does, for
 * scale tests with tens of thousands of pods). The pod worker drives either through this one interface.
 */
import type { Isolation } from './constants';
import type { LaunchSpec } from './launch-spec';
import { bubblewrapArgv } from './process/bubblewrap';
import { freezeGroup, killGroup, terminateGroup, thawGroup } from './process/signals';
import { LogPipeError, type LogWriters } from './logs/log-pipes';
import { adoptProcess, spawnContainer, SpawnError, type ExitInfo, type ProcessHandle } from './process/spawn';
import { execCommand } from './probes';
import { rfc3339 } from './time';

export interface StartRequest {
  spec: LaunchSpec;
  sandboxRoot: string;
  hostname: string;
  logFile: string;
}

/** What the node records to find a container's process again after a restart. */
export interface ProcessRecord {
  pid: number;
  startTime?: string;
  startedAt: string;
}

export interface RunningContainer {
  readonly startedAt: string;
  readonly exited: Promise<ExitInfo>;
  readonly record?: ProcessRecord;
  /** SIGTERM (thawing first), the grace period, SIGKILL; resolves once it has exited. */
  stop(graceMs: number): Promise<void>;
  kill(): void;
  freeze(): void;
  thaw(): void;
  /** Runs an exec probe's command in the container's context. */
  exec(command: string[], timeoutMs: number): Promise<number>;
}

export interface ContainerRuntime {
  readonly isolation: Isolation;
  /** Whether readiness probes run (virtual containers are Ready at once). */
  readonly probes: boolean;
  start(request: StartRequest): Promise<RunningContainer>;
  /** A process found alive after a node restart, or (virtual) a container the pod's status says is running. */
  adopt(record: ProcessRecord, request: StartRequest): RunningContainer;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly probes = true;

  constructor(
    readonly isolation: 'bubblewrap' | 'none',
    /** The runs' log files being written: the log endpoint follows a file while it is. */
    readonly logs: LogWriters,
    private readonly bwrap = 'bwrap',
  ) {}

  async start(request: StartRequest): Promise<RunningContainer> {
    let output;
    try {
      output = await this.logs.create(request.logFile);
    } catch (error) {
      // Reported as a start failure (RunContainerError, retried with back-off), as a runtime's would be.
      if (error instanceof LogPipeError) throw new SpawnError(error.message);
      throw error;
    }
    try {
      const handle = await spawnContainer({ ...request, output, isolation: this.isolation, bwrap: this.bwrap });
      return this.wrap(handle, request);
    } finally {
      // Once the child has its copies (or never will), the pipes end when the container's processes have all exited.
      output.release();
    }
  }

  adopt(record: ProcessRecord, request: StartRequest): RunningContainer {
    this.logs.attach(request.logFile);
    return this.wrap(adoptProcess(record.pid, record.startTime, record.startedAt), request);
  }

  private wrap(handle: ProcessHandle, request: StartRequest): RunningContainer {
    let exitedFlag = false;
    void handle.exited.then(() => (exitedFlag = true));
    const { spec } = request;
    return {
      startedAt: handle.startedAt,
      exited: handle.exited,
      record: { pid: handle.pid, startTime: handle.startTime, startedAt: handle.startedAt },
      stop: async (graceMs) => {
        if (!exitedFlag) await terminateGroup(handle.pgid, { graceMs });
        await handle.exited;
      },
      kill: () => killGroup(handle.pgid),
      freeze: () => void freezeGroup(handle.pgid),
      thaw: () => void thawGroup(handle.pgid),
      exec: (command, timeoutMs) => {
        const argv =
          this.isolation === 'bubblewrap'
            ? bubblewrapArgv(
                this.bwrap,
                { sandboxRoot: request.sandboxRoot, cwd: spec.cwd, hostname: request.hostname },
                command,
              )
            : command;
        return execCommand(argv, { env: spec.env, cwd: spec.cwd, timeoutMs });
      },
    };
  }
}

export class VirtualRuntime implements ContainerRuntime {
  readonly isolation = 'virtual' as const;
  readonly probes = false;

  start(): Promise<RunningContainer> {
    return Promise.resolve(virtualContainer(rfc3339()));
  }

  adopt(record: ProcessRecord): RunningContainer {
    return virtualContainer(record.startedAt);
  }
}

function virtualContainer(startedAt: string): RunningContainer {
  let finish!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (finish = resolve));
  const end = (exitCode: number) => finish({ exitCode, finishedAt: rfc3339() });
  return {
    startedAt,
    exited,
    stop: async () => {
      end(0);
      await exited;
    },
    kill: () => end(137),
    freeze: () => undefined,
    thaw: () => undefined,
    exec: () => Promise.resolve(0),
  };
}
