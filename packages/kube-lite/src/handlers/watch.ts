/** watch: a chunked stream of JSON watch events, plain, as Table rows, or as PartialObjectMetadata. */
import { errors } from '../errors';
import { negotiate } from '../http/io';
import { parseFieldSelector } from '../selectors/field';
import { parseLabelSelector } from '../selectors/label';
import { toTable, type IncludeObject } from '../table/table';
import type { KubeObject } from '../types';
import { apiVersionOf, typeKey } from '../types';
import { partialMetadata, present, type HandlerRequest } from './context';

export function handleWatch(h: HandlerRequest): void {
  const { type, query, info } = h;
  if (info.subresource) throw errors.methodNotAllowed('WATCH');
  const negotiated = negotiate(h.req);
  const fieldSelector = parseFieldSelector(query.get('fieldSelector'), type);
  // Watching one object is watching its collection with a metadata.name selector.
  if (info.name) fieldSelector.push({ field: 'metadata.name', op: '=', value: info.name });
  const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
  let encode: (o: KubeObject) => unknown = (o) => present(type, o);
  let encodingKey = `json:${type.version}`;
  let kind = type.kind;
  let apiVersion = apiVersionOf(type);
  if (negotiated.as === 'Table') {
    const tv = negotiated.tableVersion;
    encode = (o) => ({
      ...(toTable(type, [o], { resourceVersion: o.metadata.resourceVersion }, include) as object),
      apiVersion: `meta.k8s.io/${tv}`,
    });
    encodingKey = `table:${type.version}:${tv}:${include}`;
    kind = 'Table';
    apiVersion = `meta.k8s.io/${tv}`;
  } else if (negotiated.as) {
    const tv = negotiated.tableVersion;
    encode = (o) => partialMetadata(o, tv);
    encodingKey = `meta:${tv}`;
    kind = 'PartialObjectMetadata';
    apiVersion = `meta.k8s.io/${tv}`;
  }
  const timeout = query.get('timeoutSeconds');
  const sie = query.get('sendInitialEvents');
  h.state.hub.watch(
    {
      typeKey: typeKey(type),
      ...(type.namespaced && info.namespace ? { namespace: info.namespace } : {}),
      labelSelector: parseLabelSelector(query.get('labelSelector')),
      fieldSelector,
      resourceVersion: query.get('resourceVersion') ?? '',
      allowBookmarks: query.get('allowWatchBookmarks') === 'true',
      ...(sie !== null ? { sendInitialEvents: sie === 'true' } : {}),
      ...(timeout !== null && Number(timeout) > 0 ? { timeoutSeconds: Number(timeout) } : {}),
      encode,
      encodingKey,
      bookmark: (revision, annotations) => ({
        kind,
        apiVersion,
        metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) },
      }),
    },
    h.res,
  );
}
