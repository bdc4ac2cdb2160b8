/** delete and deletecollection, with DeleteOptions from the body or the query. */
import { errors } from '../errors';
import { parseJson, readBody } from '../http/io';
import { deleteObject, type DeleteOptions } from '../rest/objects';
import { matchesFields, parseFieldSelector } from '../selectors/field';
import { matchesLabels, parseLabelSelector } from '../selectors/label';
import type { KubeObject, ResourceType } from '../types';
import { apiVersionOf, typeKey } from '../types';
import { isObject } from '../util/json';
import { present, sendDurable, type HandlerRequest } from './context';

async function deleteOptions(h: HandlerRequest): Promise<DeleteOptions> {
  const raw = await readBody(h.req);
  const body = raw.length > 0 ? parseJson(raw) : {};
  if (!isObject(body)) throw errors.badRequest('DeleteOptions must be an object');
  const q = h.query;
  const policy = (body.propagationPolicy ??
    q.get('propagationPolicy') ??
    undefined) as DeleteOptions['propagationPolicy'];
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw errors.invalid('DeleteOptions', 'meta.k8s.io', '', [
      {
        type: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        detail: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      },
    ]);
  }
  const grace = body.gracePeriodSeconds ?? q.get('gracePeriodSeconds') ?? undefined;
  const orphan =
    body.orphanDependents ?? (q.has('orphanDependents') ? q.get('orphanDependents') === 'true' : undefined);
  const dryRun = (Array.isArray(body.dryRun) && body.dryRun.length > 0) || q.getAll('dryRun').length > 0;
  return {
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: Number(grace) } : {}),
    ...(isObject(body.preconditions) ? { preconditions: body.preconditions as DeleteOptions['preconditions'] } : {}),
    ...(typeof orphan === 'boolean' ? { orphanDependents: orphan } : {}),
    dryRun,
  };
}

// Types whose DELETE answers with the object (ReturnDeletedObject in kube); the rest answer with a Status.
function returnsObject(type: ResourceType): boolean {
  return !!type.crd || ['pods', 'namespaces', 'services', 'customresourcedefinitions'].includes(type.plural);
}

function successStatus(type: ResourceType, obj: KubeObject): unknown {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: obj.metadata.name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
      uid: obj.metadata.uid,
    },
  };
}

export async function handleDelete(h: HandlerRequest): Promise<void> {
  if (h.info.subresource) throw errors.methodNotAllowed('DELETE');
  const opts = await deleteOptions(h);
  const { object, deleted } = deleteObject(h.state, h.type, h.info.namespace, h.info.name, opts);
  if (deleted && !returnsObject(h.type)) return sendDurable(h, 200, successStatus(h.type, object));
  await sendDurable(h, 200, present(h.type, object));
}

export async function handleDeleteCollection(h: HandlerRequest): Promise<void> {
  const opts = await deleteOptions(h);
  const { type, query } = h;
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), type);
  const namespace = type.namespaced && h.info.namespace ? h.info.namespace : undefined;
  const targets = h.state.store
    .list(typeKey(type), namespace)
    .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
  const items: KubeObject[] = [];
  for (const o of targets) {
    try {
      items.push(present(type, deleteObject(h.state, type, o.metadata.namespace ?? '', o.metadata.name!, opts).object));
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 404)) throw error;
    }
  }
  await sendDurable(h, 200, {
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: { resourceVersion: String(h.state.store.revision) },
    items,
  });
}
