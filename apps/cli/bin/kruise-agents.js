#!/usr/bin/env node
// The installed entry point: runs the built CLI (`npm ci` builds it through the root `prepare` script).
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('kruise-agents is not built yet: run `npm run build` at the repository root.');
    process.exit(1);
  }
  throw error;
});
