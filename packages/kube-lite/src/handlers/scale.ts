/** The scale subresource (autoscaling/v1 Scale) of custom resources that declare one. */
import { errors, fieldErrors } from '../errors';
import type { KubeObject, ResourceType } from '../types';
import { clone, getPath, isObject, setPath } from '../util/json';

export function toScale(type: ResourceType, obj: KubeObject): KubeObject {
  const scale = type.subresources.scale;
  if (!scale) throw errors.pathNotFound();
  const selector = scale.labelSelectorPath ? getPath(obj, scale.labelSelectorPath) : undefined;
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(getPath(obj, scale.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(getPath(obj, scale.statusReplicasPath) ?? 0),
      ...(typeof selector === 'string' && selector ? { selector } : {}),
    },
  };
}

/** Applies a Scale's spec.replicas to the object; the Scale's resourceVersion is the object's precondition. */
export function fromScale(type: ResourceType, obj: KubeObject, scaleBody: unknown): KubeObject {
  const scale = type.subresources.scale!;
  if (!isObject(scaleBody)) throw errors.badRequest('the body of the request must be a Scale');
  const spec = isObject(scaleBody.spec) ? scaleBody.spec : {};
  const replicas = spec.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', obj.metadata.name ?? '', [
      fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
    ]);
  }
  const next = clone(obj);
  setPath(next, scale.specReplicasPath, replicas);
  const meta = isObject(scaleBody.metadata) ? scaleBody.metadata : {};
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion)
    next.metadata.resourceVersion = meta.resourceVersion;
  return next;
}
