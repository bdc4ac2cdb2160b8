// One tsup base for every published library: ESM + CJS + .d.ts from src/index.ts.
import { defineConfig } from 'tsup';

export function libraryConfig(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    ...overrides,
  });
}
