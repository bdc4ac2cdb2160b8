import { jestConfig } from '../../tools/jest/preset.mjs';

// Integration tests start a kube-lite and real processes; a test waits for pods to run, restart and stop.
export default jestConfig({ testTimeout: 30_000 });
