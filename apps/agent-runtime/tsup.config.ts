import { appConfig } from '../../tools/tsup/app.js';

// index: startAgentRuntime() for other apps (the CLI, the local node); main: the self-contained daemon that an init
// container copies into a sandbox image. Everything but node-pty's native addon is bundled, so main.js needs only
// node_modules/@lydell/node-pty* next to it (or no PTY support).
export default appConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  noExternal: [/^@kruise-agents\//, /^@bufbuild\//, /^@connectrpc\//, 'busboy', 'streamsearch'],
  banner: { js: '#!/usr/bin/env node' },
  // One file per entry: main.js is copied alone into sandbox images.
  splitting: false,
});
