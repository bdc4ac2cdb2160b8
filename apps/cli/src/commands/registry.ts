/**
 * The CLI's commands. Each lives in commands/<name>/index.ts and exports a Command; this table is the only place
 * that lists them, so adding a command is one file plus one line here.
 */
export interface Command {
  /** One line for `kruise-agents --help`. */
  summary: string;
  /** The full usage text for `kruise-agents <name> --help`. */
  usage: string;
  /** Runs the command; resolves with the process exit code. */
  run(args: string[], signal: AbortSignal): Promise<number>;
}

type Loader = () => Promise<{ command: Command }>;

// Loaded lazily so that `kruise-agents version` does not pay for starting an API server's imports.
export const COMMANDS: Record<string, Loader> = {
  version: () => import('./version/index'),
  apiserver: () => import('./apiserver/index'),
  runtime: () => import('./runtime/index'),
  operator: () => import('./operator/index'),
  up: () => import('./up/index'),
  status: () => import('./status/index'),
  down: () => import('./down/index'),
  gateway: () => import('./gateway/index'),
};
