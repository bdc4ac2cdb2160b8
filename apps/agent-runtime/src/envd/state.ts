/**
 * The mutable state one runtime instance serves from. Nothing here is global: a machine may run many runtimes
 * (one per sandbox) in one process, each with its own root, token and environment.
 */
import os from 'node:os';
import type { RuntimeConfig } from '../config';
import { RuntimeError } from './errors';
import { SandboxFs } from './sandbox-fs';
import type { SandboxUser } from './users';
import { UserDirectory } from './users';

export class RuntimeState {
  readonly fs: SandboxFs;
  readonly users: UserDirectory;
  accessToken: string | undefined;
  envVars: Record<string, string>;
  defaultUser: string;
  defaultWorkdir: string | undefined;
  readonly startedAt = Date.now();
  /** File metadata from X-Metadata-* upload headers, keyed by host path (envd keeps it in xattrs). */
  readonly fileMetadata = new Map<string, Record<string, string>>();

  constructor(readonly config: RuntimeConfig) {
    this.fs = new SandboxFs(config.root);
    this.users = new UserDirectory(this.fs.isHostRoot);
    this.accessToken = config.accessToken;
    this.envVars = { ...config.envVars };
    this.defaultUser = config.defaultUser;
    this.defaultWorkdir = config.defaultWorkdir;
  }

  log(line: string): void {
    this.config.log(line);
  }

  /** The named user, or the default one when the client names none. */
  user(name: string | undefined): SandboxUser {
    return name ? this.users.lookup(name, name === this.defaultUser) : this.users.lookup(this.defaultUser, true);
  }

  /** Sandbox working directory for a user: the configured default workdir applies to the default user only. */
  workdir(user: SandboxUser): string {
    if (this.defaultWorkdir && user.name === this.defaultUser) return this.defaultWorkdir;
    return user.home;
  }

  /**
   * The environment every process starts from: the daemon's own (PATH etc.), then identity variables pointing
   * into the sandbox, then the sandbox-wide variables from /init, then the request's.
   */
  processEnv(user: SandboxUser, cwdHost: string, extra: Record<string, string> = {}): Record<string, string> {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('AGENT_RUNTIME_')) base[k] = v;
    delete base.NODE_OPTIONS;
    delete base.E2B_DEBUG;
    return {
      ...base,
      HOME: this.fs.hostPath(user.home),
      USER: user.name,
      LOGNAME: user.name,
      PWD: cwdHost,
      HOSTNAME: base.HOSTNAME ?? os.hostname(),
      ...this.envVars,
      ...extra,
    };
  }

  /** POST /init semantics: the token is write-once (a different one is a conflict); the rest is replaced. */
  init(body: InitBody): void {
    if (body.accessToken !== undefined && body.accessToken !== '') {
      if (this.accessToken !== undefined && this.accessToken !== body.accessToken) {
        throw new RuntimeError('conflict', 'access token is already set');
      }
      this.accessToken = body.accessToken;
    }
    if (body.envVars) this.envVars = { ...this.envVars, ...body.envVars };
    if (body.defaultUser) this.defaultUser = body.defaultUser;
    if (body.defaultWorkdir) this.defaultWorkdir = body.defaultWorkdir;
  }
}

export interface InitBody {
  envVars?: Record<string, string>;
  accessToken?: string;
  timestamp?: string;
  defaultUser?: string;
  defaultWorkdir?: string;
}

/** Validates an untrusted /init body. */
export function parseInitBody(value: unknown): InitBody {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RuntimeError('invalid_argument', 'body must be a JSON object');
  }
  const v = value as Record<string, unknown>;
  const out: InitBody = {};
  if (v.envVars !== undefined) {
    if (typeof v.envVars !== 'object' || v.envVars === null || Array.isArray(v.envVars)) {
      throw new RuntimeError('invalid_argument', 'envVars must be an object');
    }
    const env: Record<string, string> = {};
    for (const [k, val] of Object.entries(v.envVars)) {
      if (typeof val !== 'string') throw new RuntimeError('invalid_argument', `envVars.${k} must be a string`);
      env[k] = val;
    }
    out.envVars = env;
  }
  for (const key of ['accessToken', 'timestamp', 'defaultUser', 'defaultWorkdir'] as const) {
    const val = v[key];
    if (val === undefined || val === null) continue;
    if (typeof val !== 'string') throw new RuntimeError('invalid_argument', `${key} must be a string`);
    out[key] = val;
  }
  return out;
}
