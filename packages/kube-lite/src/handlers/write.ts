/** create (POST), update (PUT), the scale subresource, and pods/binding. */
import { errors } from '../errors';
import { decodeObjectBody, readBody } from '../http/io';
import type { FieldValidation, WriteOptions } from '../rest/admit';
import { createObject, getObject, updateObject, type Subresource } from '../rest/objects';
import { isObject } from '../util/json';
import { present, sendDurable, type HandlerRequest } from './context';
import { fromScale, toScale } from './scale';

export function writeOptions(query: URLSearchParams, warnings: string[]): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw errors.badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw errors.badRequest(`fieldValidation: Invalid value: "${fv}": must be one of Ignore, Warn, Strict`);
  }
  return {
    dryRun: dryRun.length > 0,
    fieldValidation: fv as FieldValidation,
    fieldManager: query.get('fieldManager') ?? undefined,
    warnings,
    owned: true,
  };
}

const UPDATE_SUBRESOURCES = new Set(['status', 'resize', 'finalize']);

export function checkSubresource(h: HandlerRequest): Subresource {
  const sub = h.info.subresource;
  if (!sub) return undefined;
  const t = h.type.subresources;
  if (sub === 'status' && t.status) return 'status';
  if (sub === 'resize' && t.resize) return 'resize';
  if (sub === 'finalize' && t.finalize) return 'finalize';
  if (sub === 'scale' && t.scale) return undefined;
  throw errors.pathNotFound();
}

export async function handleCreate(h: HandlerRequest): Promise<void> {
  if (h.info.subresource === 'binding' && h.type.plural === 'pods' && !h.type.group) return handleBinding(h);
  if (h.info.name || h.info.subresource) throw errors.methodNotAllowed('POST');
  const body = decodeObjectBody(h.req, await readBody(h.req));
  const warnings: string[] = [];
  const created = createObject(h.state, h.type, h.info.namespace, body, writeOptions(h.query, warnings));
  await sendDurable(h, 201, present(h.type, created), warnings);
}

export async function handleUpdate(h: HandlerRequest): Promise<void> {
  const sub = checkSubresource(h);
  const body = decodeObjectBody(h.req, await readBody(h.req));
  const warnings: string[] = [];
  const opts = writeOptions(h.query, warnings);
  const { info, type } = h;
  if (info.subresource === 'scale') {
    const obj = getObject(h.state, type, info.namespace, info.name);
    const next = fromScale(type, obj, body);
    const updated = updateObject(h.state, type, info.namespace, info.name, next, { ...opts, unconditional: true });
    return sendDurable(h, 200, toScale(type, updated), warnings);
  }
  if (sub && !UPDATE_SUBRESOURCES.has(sub)) throw errors.pathNotFound();
  const existed = h.state.store.get(
    `${type.group || 'core'}/${type.plural}`,
    type.namespaced ? info.namespace : '',
    info.name,
  );
  const updated = updateObject(h.state, type, info.namespace, info.name, body, { ...opts, subresource: sub });
  await sendDurable(h, existed ? 200 : 201, present(type, updated), warnings);
}

async function handleBinding(h: HandlerRequest): Promise<void> {
  const body = decodeObjectBody(h.req, await readBody(h.req));
  const target = isObject(body) && isObject(body.target) ? body.target : undefined;
  if (!target || typeof target.name !== 'string') throw errors.badRequest('Binding must have a target');
  const pod = getObject(h.state, h.type, h.info.namespace, h.info.name);
  const uid = isObject(body) && isObject(body.metadata) ? body.metadata.uid : undefined;
  if (uid && uid !== pod.metadata.uid) {
    throw errors.conflict(
      '',
      'pods/binding',
      h.info.name,
      `Precondition failed: UID in precondition: ${String(uid)}, UID in object meta: ${pod.metadata.uid}`,
    );
  }
  const spec = isObject(pod.spec) ? pod.spec : {};
  if (spec.nodeName) {
    throw errors.conflict(
      '',
      'pods/binding',
      h.info.name,
      `pod ${h.info.name} is already assigned to node "${String(spec.nodeName)}"`,
    );
  }
  if (pod.metadata.deletionTimestamp)
    throw errors.conflict(
      '',
      'pods/binding',
      h.info.name,
      `pod ${h.info.name} is being deleted, cannot be assigned to a host`,
    );
  const next = { ...pod, spec: { ...spec, nodeName: target.name } };
  // Binding is the one way to set nodeName after creation, so it bypasses the pod update rules.
  const updated = { ...next, metadata: { ...pod.metadata } };
  h.state.store.update('core/pods', updated, pod);
  await sendDurable(h, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
