// One flat config for the whole workspace; projects run `eslint .` from their own folder.
// Dependency direction is enforced here: apps may use libraries, never the reverse; the pure libraries (api, core,
// e2b) talk to no network and no Kubernetes client; only kube-runtime (and tests) import client-node; only tests and
// tools import test-kit.
import tseslint from 'typescript-eslint';

const deepImports = {
  group: ['@kruise-agents/*/src/*', '@kruise-agents/*/dist/*'],
  message: 'Import a package by its name, never a deep path.',
};
const APPS = [
  '@kruise-agents/cli',
  '@kruise-agents/agent-runtime',
  '@kruise-agents/operator',
  '@kruise-agents/gateway',
];
const noApps = APPS.map((name) => ({ name, message: 'Libraries never depend on apps.' }));
const noClientNode = {
  name: '@kubernetes/client-node',
  message: 'Only packages/kube-runtime imports client-node; use it.',
};
// test-kit starts kube-lite, spawns processes and registers jest hooks: for tests and tools, never shipped code.
const noTestKit = ['test-kit', 'test-kit/jest'].map((name) => ({
  name,
  message: 'test-kit is for tests and tools only.',
}));
const pureOnly = ['@kruise-agents/kube-runtime', '@kruise-agents/kube-lite', 'node:http', 'node:https', 'node:net'].map(
  (name) => ({ name, message: 'Pure packages (api, core, e2b) do no I/O: take the data as arguments.' }),
);

const restrict = (paths) => ['error', { paths, patterns: [deepImports] }];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/gen/**', '**/*.gen.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': restrict([]),
    },
  },
  { files: ['apps/*/src/**/*.ts'], rules: { 'no-restricted-imports': restrict(noTestKit) } },
  {
    files: ['packages/**/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...noApps, noClientNode, ...noTestKit]) },
  },
  {
    files: ['packages/{api,core,e2b}/src/**/*.ts'],
    // core/client is core's I/O half (the claim executor and typed client): it may use kube-runtime.
    ignores: ['**/*.test.ts', 'packages/core/src/client/**'],
    rules: { 'no-restricted-imports': restrict([...noApps, noClientNode, ...noTestKit, ...pureOnly]) },
  },
  {
    files: ['packages/kube-runtime/src/**/*.ts', '**/*.test.ts', '**/test/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([]) },
  },
);
