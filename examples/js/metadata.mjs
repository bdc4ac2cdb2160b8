// The same flow as examples/python/metadata.py with the JS SDK. It reads its configuration from the environment, which
// `kruise-agents up` writes to e2b.env:
//   set -a; source ~/.kruise-agents/e2b.env; set +a
//   node examples/js/metadata.mjs

import { Sandbox } from '@e2b/code-interpreter';

await Sandbox.create('demo', { metadata: { userId: 'alice' } });
const paginator = Sandbox.list({ query: { metadata: { userId: 'alice' } } });
console.log(await paginator.nextItems());
