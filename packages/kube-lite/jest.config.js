import { jestConfig } from '../../tools/jest/preset.mjs';

// Generous per-test timeout: the suites drive real servers, kubectl and child processes on a shared 2-core machine.
export default jestConfig({ testTimeout: 30_000 });
