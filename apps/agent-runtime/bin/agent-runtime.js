#!/usr/bin/env node
// The installed `agent-runtime` command. npm links bins when it installs, before anything is built, and skips a bin
// whose file does not exist yet; this committed launcher always exists and runs the built daemon.
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('agent-runtime is not built yet: run `npm run build` at the repository root.');
    process.exit(1);
  }
  throw error;
});
