// The same flow as examples/python/auto_pause.py with the JS SDK. It reads its configuration from the environment, which
// `kruise-agents up` writes to e2b.env:
//   set -a; source ~/.kruise-agents/e2b.env; set +a
//   node examples/js/auto-pause.mjs

import { Sandbox } from '@e2b/code-interpreter';

// Paused instead of deleted at the timeout (sent as autoPause: true, like Python's auto_pause=True).
await Sandbox.create('demo', { timeoutMs: 600_000, lifecycle: { onTimeout: 'pause' } });
