// The same flow as examples/python/timeout.py with the JS SDK. It reads its configuration from the environment, which
// `kruise-agents up` writes to e2b.env:
//   set -a; source ~/.kruise-agents/e2b.env; set +a
//   node examples/js/timeout.mjs

import { Sandbox } from '@e2b/code-interpreter';

await Sandbox.create('demo', { timeoutMs: 600_000 }); // timeout in milliseconds
