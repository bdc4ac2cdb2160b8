/**
 * The runtime's settings: parsed once from flags and environment in main.ts, or passed directly to
 * startAgentRuntime(). Flags win over environment variables, which win over defaults.
 */
import path from 'node:path';

export interface AgentRuntimeOptions {
  /** Address both servers listen on. Each sandbox on a shared machine gets its own loopback IP. */
  host?: string;
  /** envd port (Connect RPC, /files, /health, /init). 0 picks a free port. */
  envdPort?: number;
  /** Code interpreter port (/execute, /contexts). 0 picks a free port; `false` disables the separate listener. */
  interpreterPort?: number | false;
  /**
   * Directory that sandbox paths resolve under ("/" inside a real sandbox). With a root such as /tmp/sbx,
   * the request path /home/user/a.txt is /tmp/sbx/home/user/a.txt on the host, and nothing outside it is reachable.
   */
  root?: string;
  /** User that commands and files default to when the client names none (E2B templates use `user`). */
  defaultUser?: string;
  /** Default working directory (sandbox path); defaults to the default user's home. */
  defaultWorkdir?: string;
  /** Access token required from the start (otherwise /init sets it). */
  accessToken?: string;
  /** Sandbox-wide environment variables (otherwise /init sets them). */
  envVars?: Record<string, string>;
  /** Python executable for the code interpreter. */
  python?: string;
  /** Log lines go here; defaults to no logging. */
  log?: (line: string) => void;
}

export interface RuntimeConfig {
  host: string;
  envdPort: number;
  interpreterPort: number | false;
  root: string;
  defaultUser: string;
  defaultWorkdir: string | undefined;
  accessToken: string | undefined;
  envVars: Record<string, string>;
  python: string;
  log: (line: string) => void;
}

export const DEFAULT_ENVD_PORT = 49983;
export const DEFAULT_INTERPRETER_PORT = 49999;

export function resolveConfig(options: AgentRuntimeOptions = {}): RuntimeConfig {
  const root = path.resolve(options.root ?? '/');
  return {
    host: options.host ?? '127.0.0.1',
    envdPort: options.envdPort ?? DEFAULT_ENVD_PORT,
    interpreterPort: options.interpreterPort ?? DEFAULT_INTERPRETER_PORT,
    root,
    defaultUser: options.defaultUser ?? 'user',
    defaultWorkdir: options.defaultWorkdir,
    accessToken: options.accessToken || undefined,
    envVars: { ...(options.envVars ?? {}) },
    python: options.python ?? 'python3',
    log: options.log ?? (() => {}),
  };
}

export class ConfigError extends Error {}

const FLAGS: Record<string, { env: string; key: keyof AgentRuntimeOptions; kind: 'string' | 'port' }> = {
  '--host': { env: 'AGENT_RUNTIME_HOST', key: 'host', kind: 'string' },
  '--envd-port': { env: 'AGENT_RUNTIME_ENVD_PORT', key: 'envdPort', kind: 'port' },
  '--interpreter-port': { env: 'AGENT_RUNTIME_INTERPRETER_PORT', key: 'interpreterPort', kind: 'port' },
  '--root': { env: 'AGENT_RUNTIME_ROOT', key: 'root', kind: 'string' },
  '--default-user': { env: 'AGENT_RUNTIME_DEFAULT_USER', key: 'defaultUser', kind: 'string' },
  '--default-workdir': { env: 'AGENT_RUNTIME_DEFAULT_WORKDIR', key: 'defaultWorkdir', kind: 'string' },
  '--access-token': { env: 'AGENT_RUNTIME_ACCESS_TOKEN', key: 'accessToken', kind: 'string' },
  '--python': { env: 'AGENT_RUNTIME_PYTHON', key: 'python', kind: 'string' },
};

export const USAGE = `Options (each also read from the environment variable in brackets):
  --host <addr>              listen address [AGENT_RUNTIME_HOST] (default 127.0.0.1; 0.0.0.0 in a pod)
  --envd-port <n>            envd port [AGENT_RUNTIME_ENVD_PORT] (default 49983)
  --interpreter-port <n>     code interpreter port [AGENT_RUNTIME_INTERPRETER_PORT] (default 49999; 'off' disables)
  --root <dir>               directory sandbox paths resolve under [AGENT_RUNTIME_ROOT] (default /)
  --default-user <name>      default user [AGENT_RUNTIME_DEFAULT_USER] (default user)
  --default-workdir <path>   default working directory [AGENT_RUNTIME_DEFAULT_WORKDIR] (default the user's home)
  --access-token <token>     require X-Access-Token from the start [AGENT_RUNTIME_ACCESS_TOKEN]
  --python <exe>             Python for the code interpreter [AGENT_RUNTIME_PYTHON] (default python3)`;

/** Parses `--flag value` / `--flag=value` arguments over environment defaults. Pure: no process access. */
export function parseArgs(args: readonly string[], env: Record<string, string | undefined>): AgentRuntimeOptions {
  const raw = new Map<string, string>();
  for (const [flag, spec] of Object.entries(FLAGS)) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') raw.set(flag, value);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(flag in FLAGS)) throw new ConfigError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    raw.set(flag, value);
  }
  const options: AgentRuntimeOptions = {};
  for (const [flag, value] of raw) {
    const spec = FLAGS[flag];
    if (!spec) continue;
    if (spec.kind === 'port') {
      if (spec.key === 'interpreterPort' && (value === 'off' || value === 'false')) {
        options.interpreterPort = false;
        continue;
      }
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${flag}: bad port "${value}"`);
      (options as Record<string, unknown>)[spec.key] = port;
    } else {
      (options as Record<string, unknown>)[spec.key] = value;
    }
  }
  return options;
}
