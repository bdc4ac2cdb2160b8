/** `kruise-agents up`'s flags, shared with `status` and `down` (--data-dir). */
import { UsageError } from '../../errors';
import { defaultDataDir } from '../../platform/preflight';
import { DEFAULT_API_PORT, DEFAULT_GATEWAY_PORT } from '../../platform/start-platform';

export interface UpArgs {
  dataDir: string;
  port: number;
  apiPort: number;
  poolSize: number | undefined;
  verbose: boolean;
}

const VALUED = new Set(['--data-dir', '--port', '--api-port', '--pool-size']);

/** `--flag value` and `--flag=value`; `allowed` limits the flags a command takes. */
export function parseFlags(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(flag)) throw new UsageError(`unknown option ${arg} (see --help)`);
    if (!VALUED.has(flag)) {
      out.set(flag, 'true');
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    out.set(flag, value);
  }
  return out;
}

function port(flags: Map<string, string>, flag: string, fallback: number): number {
  const text = flags.get(flag);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number (0-65535)`);
  return n;
}

export function parseUpArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): UpArgs {
  const flags = parseFlags(args, ['--data-dir', '--port', '--api-port', '--pool-size', '--verbose']);
  const sizeText = flags.get('--pool-size');
  const poolSize = sizeText === undefined ? undefined : Number(sizeText);
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 0 || poolSize > 100)) {
    throw new UsageError('--pool-size must be a whole number from 0 to 100');
  }
  return {
    dataDir: flags.get('--data-dir') ?? defaultDataDir(env),
    port: port(flags, '--port', DEFAULT_GATEWAY_PORT),
    apiPort: port(flags, '--api-port', DEFAULT_API_PORT),
    poolSize,
    verbose: flags.has('--verbose'),
  };
}

/** For `status` and `down`: only the data dir. */
export function parseDataDirArg(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return parseFlags(args, ['--data-dir']).get('--data-dir') ?? defaultDataDir(env);
}
