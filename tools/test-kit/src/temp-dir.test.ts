import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { makeTempDir } from './temp-dir';

it('makes a fresh named directory under the temp dir and removes it with its contents, twice without error', () => {
  const a = makeTempDir('test-kit-temp');
  const b = makeTempDir('test-kit-temp');
  expect(a.path).not.toBe(b.path);
  expect(path.dirname(a.path)).toBe(os.tmpdir());
  expect(path.basename(a.path)).toMatch(/^test-kit-temp-/);
  writeFileSync(path.join(a.path, 'file'), 'x');
  a.remove();
  a.remove();
  b.remove();
  expect(existsSync(a.path)).toBe(false);
  expect(existsSync(b.path)).toBe(false);
});
