/**
 * `crd-gen --write` regenerates charts/kruise-agents/crds; `crd-gen --check` exits 1 when the committed files differ.
 */
import { fileURLToPath } from 'node:url';
import { findDrift, writeCrdFiles } from './files';

const crdDir = fileURLToPath(new URL('../../../charts/kruise-agents/crds/', import.meta.url));
const mode = process.argv.includes('--check') ? 'check' : 'write';

if (mode === 'write') {
  for (const file of await writeCrdFiles(crdDir)) console.log(`wrote ${file}`);
} else {
  const drift = await findDrift(crdDir);
  if (drift.length > 0) {
    console.error(`CRDs out of date (run \`npm run crds\`): ${drift.join(', ')}`);
    process.exit(1);
  }
  console.log('CRDs are up to date');
}
