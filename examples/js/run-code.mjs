// The same flow as examples/python/run_code.py with the JS SDK. It reads its configuration from the environment, which
// `kruise-agents up` writes to e2b.env:
//   set -a; source ~/.kruise-agents/e2b.env; set +a
//   node examples/js/run-code.mjs

import { Sandbox } from '@e2b/code-interpreter';

// No template: the SDK's default, code-interpreter-v1, a pool `up` creates.
const sandbox = await Sandbox.create();
await sandbox.runCode('x = 1');
const execution = await sandbox.runCode('x+=1; x');
console.log(execution.text); // outputs 2
await sandbox.kill();
