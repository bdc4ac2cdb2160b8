import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
/** node_modules/.bin first, as under `npm test` and `npx`: `node` there is the repository's pinned Node 24. */
export const PATH_WITH_BIN = `${path.join(REPO_ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`;
