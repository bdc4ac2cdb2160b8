/**
 * list: selectors, limit/continue paging over a consistent snapshot, resourceVersion semantics, and the Table and
 * PartialObjectMetadataList renderings.
 */
import { errors } from '../errors';
import { negotiate, sendJson } from '../http/io';
import { matchesFields, parseFieldSelector } from '../selectors/field';
import { matchesLabels, parseLabelSelector } from '../selectors/label';
import { Store } from '../storage/store';
import { toTable, type IncludeObject } from '../table/table';
import type { KubeObject } from '../types';
import { apiVersionOf, typeKey } from '../types';
import { partialMetadata, present, type HandlerRequest } from './context';

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return t;
  } catch {
    throw errors.badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

/** The objects of a type as they were at `rv`, rebuilt from the watch history; undefined if it does not reach back. */
function snapshot(
  h: HandlerRequest,
  namespace: string | undefined,
  rv: number,
  after?: string,
): KubeObject[] | undefined {
  const { store, hub } = h.state;
  const key = typeKey(h.type);
  const current = store.list(key, namespace, after);
  if (rv >= store.revision) return current;
  const events = hub.eventsSince(rv, key);
  if (!events) return undefined;
  // The first change after rv of each key tells what that key held at rv.
  const atRv = new Map<string, KubeObject | null>();
  for (const e of events) {
    const k = Store.keyOf(e.object);
    if (!atRv.has(k)) atRv.set(k, e.type === 'ADDED' ? null : (e.prev ?? null));
  }
  if (atRv.size === 0) return current;
  const byKey = new Map<string, KubeObject>();
  for (const o of current) byKey.set(Store.keyOf(o), o);
  for (const [k, o] of atRv) {
    if (namespace && !k.startsWith(namespace + '/')) continue;
    if (after !== undefined && k <= after) continue;
    if (o === null) byKey.delete(k);
    else byKey.set(k, o);
  }
  return [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

export function handleList(h: HandlerRequest): void {
  const { query, type, state } = h;
  const negotiated = negotiate(h.req);
  const labelSelector = parseLabelSelector(query.get('labelSelector'));
  const fieldSelector = parseFieldSelector(query.get('fieldSelector'), type);
  const limitText = query.get('limit');
  const limit = limitText && Number(limitText) > 0 ? Math.floor(Number(limitText)) : 0;
  const namespace = type.namespaced && h.info.namespace ? h.info.namespace : undefined;
  const rvText = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  const continueText = query.get('continue');

  let rv = state.store.revision;
  let after: string | undefined;
  if (continueText) {
    if (rvText) throw errors.badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(continueText);
    rv = token.rv;
    after = token.start;
  } else if (rvText && rvMatch === 'Exact') {
    if (!/^\d+$/.test(rvText)) throw errors.badRequest(`invalid resource version: ${rvText}`);
    rv = Number(rvText);
  } else if (rvText && rvText !== '0' && !/^\d+$/.test(rvText)) {
    throw errors.badRequest(`invalid resource version: ${rvText}`);
  }
  const all = snapshot(h, namespace, rv, after);
  if (!all) {
    if (continueText) {
      throw errors.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    throw errors.gone(`too old resource version: ${rv} (${state.store.revision})`);
  }

  const items: KubeObject[] = [];
  let next: string | undefined;
  let remaining = 0;
  const filtering = labelSelector.length > 0 || fieldSelector.length > 0;
  for (let i = 0; i < all.length; i++) {
    const o = all[i]!;
    if (filtering && !(matchesLabels(labelSelector, o.metadata.labels) && matchesFields(fieldSelector, o))) continue;
    if (limit && items.length === limit) {
      next = Store.keyOf(items[items.length - 1]!);
      // kube reports remainingItemCount only when it can count cheaply (no selector).
      if (!filtering) remaining = all.length - i;
      break;
    }
    items.push(o);
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (next !== undefined) {
    metadata.continue = encodeContinue({ rv, start: next });
    if (!filtering) metadata.remainingItemCount = remaining;
  }

  if (negotiated.as === 'Table') {
    const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
    const table = toTable(type, items, metadata, include) as Record<string, unknown>;
    table.apiVersion = `meta.k8s.io/${negotiated.tableVersion}`;
    sendJson(h.res, 200, table);
    return;
  }
  if (negotiated.as === 'PartialObjectMetadataList' || negotiated.as === 'PartialObjectMetadata') {
    sendJson(h.res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${negotiated.tableVersion}`,
      metadata,
      items: items.map((o) => partialMetadata(o, negotiated.tableVersion)),
    });
    return;
  }
  sendJson(h.res, 200, {
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata,
    items: items.map((o) => present(type, o)),
  });
}
