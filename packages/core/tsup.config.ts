import { libraryConfig } from '../../tools/tsup/library.js';

export default libraryConfig({ entry: ['src/index.ts', 'src/testing.ts', 'src/client/index.ts'] });
