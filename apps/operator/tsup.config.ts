import { appConfig } from '../../tools/tsup/app.js';

// index: startOperator() for other apps (the CLI, `up`); main: the operator process in a container.
export default appConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  banner: { js: '#!/usr/bin/env node' },
});
