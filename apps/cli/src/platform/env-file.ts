/**
 * <data-dir>/e2b.env: what the E2B SDKs need, as KEY=value lines that `source` (after `set -a`) and dotenv both read.
 * It is the ONLY place the plain API key is kept (the gateway stores its hash), so it is written 0600 and read back
 * on restart to print the same key again.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface E2bEnv {
  E2B_API_URL: string;
  E2B_SANDBOX_URL: string;
  E2B_DOMAIN: string;
  E2B_API_KEY: string;
}

const KEYS = ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_DOMAIN', 'E2B_API_KEY'] as const;

export const envFilePath = (dataDir: string): string => path.join(dataDir, 'e2b.env');

export function formatEnv(env: E2bEnv): string {
  return KEYS.map((key) => `${key}=${env[key]}`).join('\n') + '\n';
}

export function writeEnvFile(dataDir: string, env: E2bEnv): string {
  const file = envFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  // Written aside and renamed so that a crash never leaves a half-written key behind.
  fs.writeFileSync(tmp, formatEnv(env), { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return file;
}

/** The values a previous run wrote, or {} when there is no file. */
export function readEnvFile(dataDir: string): Partial<E2bEnv> {
  let text: string;
  try {
    text = fs.readFileSync(envFilePath(dataDir), 'utf8');
  } catch {
    return {};
  }
  const out: Partial<E2bEnv> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match && (KEYS as readonly string[]).includes(match[1]!)) {
      out[match[1] as keyof E2bEnv] = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return out;
}
