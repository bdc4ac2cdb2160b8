import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Deletes the directory and everything in it; again, or after something else deleted it, is a no-op. */
  remove(): void;
}

/** A fresh directory under the OS temp dir, named `<name>-<random>` so a leftover says which suite left it. */
export function makeTempDir(name: string): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
