// Shared jest settings. Tests run as native ESM (client-node 2 and zod 4 are ESM), transformed by swc;
// workspace packages resolve to their TypeScript source through the `@kruise-agents/source` export condition.
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@kruise-agents/source', 'node', 'node-addons'] },
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    // A project may have no tests yet; CI's total line (tools/jest/summary-reporter.mjs) shows what ran.
    passWithNoTests: true,
    reporters: ['default', new URL('./summary-reporter.mjs', import.meta.url).pathname],
    ...overrides,
  };
}
