import { jestConfig } from '../../tools/jest/preset.mjs';

// Integration tests start kube-lite, agent-runtimes and gateways in-process: give them time on a 2-core machine.
export default jestConfig({ testTimeout: 60_000 });
