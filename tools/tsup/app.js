// One tsup base for apps: a single ESM bundle per entry for Node 24, workspace packages bundled in (so a dist runs
// without the source tree), third-party packages left to node_modules.
import { defineConfig } from 'tsup';

export function appConfig(overrides = {}) {
  return defineConfig({
    entry: ['src/main.ts'],
    format: ['esm'],
    dts: false,
    clean: true,
    sourcemap: true,
    target: 'node24',
    platform: 'node',
    noExternal: [/^@kruise-agents\//],
    esbuildOptions(options) {
      options.conditions = ['@kruise-agents/source'];
    },
    ...overrides,
  });
}
