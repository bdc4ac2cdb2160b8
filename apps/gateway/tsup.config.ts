import { appConfig } from '../../tools/tsup/app.js';

// index: startGateway() for other apps (the CLI, `up`); main: the standalone gateway process.
export default appConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  banner: { js: '#!/usr/bin/env node' },
});
