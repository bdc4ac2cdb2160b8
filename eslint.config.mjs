// One flat config for the whole workspace; projects run `eslint .` from their own folder.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/gen/**', '**/*.gen.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@kruise-agents/*/src/*', '@kruise-agents/*/dist/*'], message: 'Import a package by its name, never a deep path.' },
          ],
        },
      ],
    },
  },
  {
    // client-node is confined to kube-runtime (and tests and tools that talk to a server as a client would).
    files: ['packages/api/**', 'packages/core/src/**', 'packages/e2b/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@kubernetes/client-node', message: 'Pure packages do not talk to Kubernetes; use kube-runtime.' }] },
      ],
    },
  },
);
