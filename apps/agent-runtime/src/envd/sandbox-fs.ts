/**
 * Maps sandbox paths (what clients send: /home/user/a.txt, or relative to the user's home) to host paths under
 * the runtime's root directory, and back. With root "/" (inside a real sandbox) the mapping is the identity.
 *
 * Escapes are rejected, not clamped silently: ".." is resolved lexically (it cannot climb above the sandbox "/"),
 * and then the deepest existing ancestor is realpath'd and must still be inside root, so a symlink that points out
 * of root cannot be used to read or write host files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RuntimeError } from './errors';

export class SandboxFs {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = safeRealpath(this.root) ?? this.root;
  }

  get isHostRoot(): boolean {
    return this.realRoot === '/';
  }

  /** Lexically normalises a client path to an absolute sandbox path. Relative paths start at `base`. */
  sandboxPath(requestPath: string, base: string): string {
    if (requestPath.includes('\0')) throw new RuntimeError('invalid_argument', 'path contains a NUL byte');
    if (requestPath.startsWith('~/') || requestPath === '~') requestPath = requestPath.slice(1).replace(/^\//, '');
    return path.posix.resolve('/', base, requestPath);
  }

  /** Host path for a sandbox path, verifying that symlinks on the way do not lead out of root. */
  hostPath(sandboxPath: string): string {
    const host = this.isHostRoot ? sandboxPath : path.join(this.root, sandboxPath);
    this.assertInside(host);
    return host;
  }

  /** Convenience: client path → host path. */
  resolve(requestPath: string, base: string): string {
    return this.hostPath(this.sandboxPath(requestPath, base));
  }

  /** Sandbox path for a host path under root (for EntryInfo.path and watch events). */
  toSandbox(hostPath: string): string {
    if (this.isHostRoot) return hostPath;
    const rel = path.relative(this.root, hostPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return hostPath;
    return rel === '' ? '/' : `/${rel.split(path.sep).join('/')}`;
  }

  /** Symlink targets are reported in sandbox terms when they point inside root. */
  linkTargetToSandbox(hostLinkPath: string, target: string): string {
    const absolute = path.resolve(path.dirname(hostLinkPath), target);
    return this.toSandbox(absolute);
  }

  private assertInside(hostPath: string): void {
    if (this.isHostRoot) return;
    // Walk up to the deepest existing ancestor: that is where symlinks can redirect us.
    let probe = hostPath;
    let real: string | undefined;
    for (;;) {
      real = safeRealpath(probe);
      if (real !== undefined) break;
      const parent = path.dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
    if (real === undefined || !isInside(this.realRoot, real)) {
      throw new RuntimeError('permission_denied', `path escapes the sandbox root: ${this.toSandbox(hostPath)}`);
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}
