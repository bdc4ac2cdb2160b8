/**
 * GET /v2/sandboxes: the query (state, metadata filter, limit, nextToken) and the paging over a sorted result.
 * Sandboxes are ordered by start time then ID, and the cursor names the last one returned, so paging stays stable
 * while sandboxes come and go.
 */
import { E2bApiError } from './errors';
import { E2B_STATES, type E2bState, type ListedSandbox } from './schemas/responses';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 100;

export interface ListQuery {
  states: E2bState[];
  metadata: Record<string, string>;
  limit: number;
  after?: Cursor;
}

interface Cursor {
  startedAt: string;
  sandboxID: string;
}

const RESERVED = new Set(['state', 'limit', 'nextToken', 'metadata', 'startedAfter', 'template', 'order']);

/**
 * Reads the query. `v1` lists (GET /sandboxes) default to running sandboxes only, as old SDKs expect; v2 to both.
 * Unknown keys are legacy metadata filters.
 */
export function parseListQuery(params: URLSearchParams, version: 'v1' | 'v2' = 'v2'): ListQuery {
  const stateParam = params.get('state');
  const states = stateParam
    ? stateParam
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : version === 'v1'
      ? ['running']
      : [...E2B_STATES];
  for (const state of states) {
    if (!(E2B_STATES as readonly string[]).includes(state)) {
      throw E2bApiError.badRequest(`state: must be "running" or "paused", got "${state}"`);
    }
  }

  const limitParam = params.get('limit');
  let limit = DEFAULT_LIST_LIMIT;
  if (limitParam !== null) {
    if (!/^[0-9]+$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > MAX_LIST_LIMIT) {
      throw E2bApiError.badRequest(`limit: must be an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    limit = Number(limitParam);
  }

  const metadata: Record<string, string> = {};
  const encoded = params.get('metadata');
  if (encoded) {
    // The SDK encodes each key and value, joins them as a form, and the whole is encoded once more as the value.
    for (const [key, value] of new URLSearchParams(encoded)) metadata[safeDecode(key)] = safeDecode(value);
  }
  for (const [key, value] of params) if (!RESERVED.has(key)) metadata[key] = value;

  const token = params.get('nextToken');
  return { states: states as E2bState[], metadata, limit, ...(token ? { after: decodeCursor(token) } : {}) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function encodeCursor(item: Pick<ListedSandbox, 'startedAt' | 'sandboxID'>): string {
  return Buffer.from(JSON.stringify({ k: item.startedAt, id: item.sandboxID })).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; id?: unknown };
    if (typeof parsed.k === 'string' && typeof parsed.id === 'string')
      return { startedAt: parsed.k, sandboxID: parsed.id };
  } catch {
    // fall through
  }
  throw E2bApiError.badRequest('nextToken: is not a token this server returned');
}

const compare = (a: Cursor, b: Cursor) =>
  a.startedAt < b.startedAt
    ? -1
    : a.startedAt > b.startedAt
      ? 1
      : a.sandboxID < b.sandboxID
        ? -1
        : a.sandboxID > b.sandboxID
          ? 1
          : 0;

/** True when a listed sandbox passes the query's state and metadata filters (exact key/value matches, ANDed). */
export function matchesListQuery(item: Pick<ListedSandbox, 'state' | 'metadata'>, query: ListQuery): boolean {
  if (!query.states.includes(item.state)) return false;
  return Object.entries(query.metadata).every(([key, value]) => item.metadata[key] === value);
}

/** One page of the matching items, and the token for the next page when there is one. */
export function pageListed(
  items: readonly ListedSandbox[],
  query: ListQuery,
): { page: ListedSandbox[]; nextToken?: string } {
  const sorted = items
    .filter((item) => matchesListQuery(item, query))
    .map((item) => ({ item, key: { startedAt: item.startedAt, sandboxID: item.sandboxID } }))
    .filter(({ key }) => !query.after || compare(key, query.after) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const page = sorted.slice(0, query.limit).map(({ item }) => item);
  const last = page[page.length - 1];
  return sorted.length > query.limit && last ? { page, nextToken: encodeCursor(last) } : { page };
}
