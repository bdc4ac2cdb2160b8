/** get (an object, its status/scale/resize subresource, or a pod's log). */
import { errors } from '../errors';
import { negotiate, sendJson } from '../http/io';
import { getObject } from '../rest/objects';
import { toTable, type IncludeObject } from '../table/table';
import { partialMetadata, present, type HandlerRequest } from './context';
import { handleLog } from './log';
import { toScale } from './scale';

export function handleGet(h: HandlerRequest): void | Promise<void> {
  const { info, type } = h;
  if (info.subresource === 'log' && type.plural === 'pods' && !type.group) return handleLog(h);
  const negotiated = negotiate(h.req);
  const obj = getObject(h.state, type, info.namespace, info.name);
  if (info.subresource === 'scale') return sendJson(h.res, 200, toScale(type, obj));
  if (info.subresource && info.subresource !== 'status' && info.subresource !== 'resize') throw errors.pathNotFound();
  if (negotiated.as === 'Table') {
    const include = (h.query.get('includeObject') ?? 'Metadata') as IncludeObject;
    const table = toTable(type, [obj], {}, include) as Record<string, unknown>;
    table.apiVersion = `meta.k8s.io/${negotiated.tableVersion}`;
    return sendJson(h.res, 200, table);
  }
  if (negotiated.as === 'PartialObjectMetadata')
    return sendJson(h.res, 200, partialMetadata(obj, negotiated.tableVersion));
  sendJson(h.res, 200, present(type, obj));
}
