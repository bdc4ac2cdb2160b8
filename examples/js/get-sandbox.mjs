// The same flow as examples/python/get_sandbox.py with the JS SDK. It reads its configuration from the environment, which
// `kruise-agents up` writes to e2b.env:
//   set -a; source ~/.kruise-agents/e2b.env; set +a
//   node examples/js/get-sandbox.mjs

import { Sandbox } from '@e2b/code-interpreter';

const sbx = await Sandbox.create('demo');
console.log(await sbx.getInfo());
await sbx.kill();
