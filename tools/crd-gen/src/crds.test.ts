import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { findDrift } from './files';

describe('committed CRDs', () => {
  it('are exactly what the @kruise-agents/api schemas generate (run `npm run crds` after changing a schema)', async () => {
    const dir = fileURLToPath(new URL('../../../charts/kruise-agents/crds/', import.meta.url));
    expect(await findDrift(dir)).toEqual([]);
  });
});
