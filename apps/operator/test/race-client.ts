/**
 * The race test's second process: 100 direct claims of one sandbox each through @kruise-agents/core/client, all at
 * once, against the same API server as the operator. Prints one JSON line: what each claim got and as whom.
 * Run: node --conditions=@kruise-agents/source --import tsx race-client.ts <kubeconfig path> <pool> <claims>
 */
import { readFileSync } from 'node:fs';
import { connectSandboxClient } from '@kruise-agents/core/client';

const [kubeconfigPath, pool = 'race', count = '100'] = process.argv.slice(2);
const client = await connectSandboxClient({
  kubeconfigYaml: readFileSync(kubeconfigPath!, 'utf8'),
  namespace: 'default',
});
process.stdout.write('READY\n');
// Start when the parent says so, to race the operator's claims.
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const results = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) =>
    client.claim({ namespace: 'default', template: pool, ownerId: `direct-${i}`, timeoutMs: 20_000 }).then((got) => ({
      owner: `direct-${i}`,
      names: got.map((s) => s.metadata.name!),
    })),
  ),
);
const claims = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
process.stdout.write(`${JSON.stringify({ claims, errors })}\n`);
await client.close();
