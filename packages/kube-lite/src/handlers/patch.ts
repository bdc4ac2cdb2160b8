/** PATCH: merge patch, JSON patch, strategic merge patch (built-in types) and server-side apply. */
import { serverSideApply } from '../apply/apply';
import { errors } from '../errors';
import { mediaType, parseJson, parseYamlBody, readBody } from '../http/io';
import { applyJsonPatch } from '../patch/json-patch';
import { mergePatch } from '../patch/merge';
import { strategicMergePatch } from '../patch/strategic';
import { getObject, updateObject } from '../rest/objects';
import type { KubeObject } from '../types';
import { clone } from '../util/json';
import { present, sendDurable, type HandlerRequest } from './context';
import { fromScale, toScale } from './scale';
import { checkSubresource, writeOptions } from './write';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

export async function handlePatch(h: HandlerRequest): Promise<void> {
  const { info, type, query } = h;
  const contentType = mediaType(h.req);
  const accepted = type.crd ? [JSON_PATCH, MERGE, APPLY] : [JSON_PATCH, MERGE, STRATEGIC, APPLY];
  if (!accepted.includes(contentType)) throw errors.unsupportedMediaType(contentType, accepted);
  const sub = checkSubresource(h);
  const raw = await readBody(h.req);
  const warnings: string[] = [];
  const opts = writeOptions(query, warnings);

  if (contentType === APPLY) {
    const applied = parseYamlBody(raw);
    const force = query.get('force') === 'true';
    const { object, created } = serverSideApply(h.state, type, info.namespace, info.name, applied, {
      ...opts,
      force,
      subresource: sub,
    });
    return sendDurable(h, created ? 201 : 200, present(type, object), warnings);
  }

  const patch = parseJson(raw);
  const apply = (current: unknown): unknown => {
    if (contentType === MERGE) return mergePatch(current, patch);
    if (contentType === JSON_PATCH) return applyJsonPatch(current, patch);
    return strategicMergePatch(current, patch, type.mergeKeys ?? {});
  };
  const existing = getObject(h.state, type, info.namespace, info.name);

  if (info.subresource === 'scale') {
    const patchedScale = apply(clone(toScale(type, existing)));
    const next = fromScale(type, existing, patchedScale);
    const updated = updateObject(h.state, type, info.namespace, info.name, next, { ...opts, unconditional: true });
    return sendDurable(h, 200, toScale(type, updated), warnings);
  }

  const patched = apply(clone(present(type, existing))) as KubeObject;
  const updated = updateObject(h.state, type, info.namespace, info.name, patched, {
    ...opts,
    subresource: sub,
    unconditional: true,
  });
  await sendDurable(h, 200, present(type, updated), warnings);
}
