import { jestConfig } from '../../tools/jest/preset.mjs';

// Integration tests run a real API server, a virtual node and the operator; flows wait on real timers (claimTimeout,
// shutdownTime), so a test gets 60 s.
export default jestConfig({ testTimeout: 60_000 });
