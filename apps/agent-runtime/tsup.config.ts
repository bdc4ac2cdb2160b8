import { appConfig } from '../../tools/tsup/app.js';

// index: startAgentRuntime() for other apps (the CLI, the local node); main: the self-contained daemon that an init
// container copies into a sandbox image. Everything but node-pty's native addon is bundled, so main.js needs only
// node_modules/@lydell/node-pty* next to it (or no PTY support).
export default appConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  noExternal: [/^@kruise-agents\//, /^@bufbuild\//, /^@connectrpc\//, 'busboy', 'streamsearch'],
  // busboy is CommonJS and requires node builtins; an ESM bundle needs a real `require` for that.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __agentRuntimeRequire } from 'node:module';\nconst require = __agentRuntimeRequire(import.meta.url);",
  },
  // One file per entry: main.js is copied alone into sandbox images.
  splitting: false,
});
