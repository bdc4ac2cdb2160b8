/**
 * CustomResourceDefinitions: their own strategy (accepting names, establishing at once) and the resource types a CRD
 * serves. kube-lite establishes a CRD synchronously, so a custom resource can be created right after its CRD.
 */
import { fieldErrors, type FieldError } from '../errors';
import type { JsonObject, KubeObject, PrinterColumn, ResourceType, Schema, Strategy } from '../types';
import { isObject, nowTimestamp } from '../util/json';
import { validateName } from '../meta/validation';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: {
    status?: unknown;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

function acceptedNames(names: CrdNames): JsonObject {
  return {
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
  };
}

function establishedStatus(obj: KubeObject): JsonObject {
  const s = obj.spec as unknown as CrdSpec;
  const now = nowTimestamp();
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: acceptedNames(s.names),
    storedVersions: s.versions.filter((v) => v.storage).map((v) => v.name),
  };
}

function defaultCrd(obj: KubeObject): void {
  const s = obj.spec as JsonObject;
  if (!isObject(s) || !isObject(s.names)) return;
  const names = s.names as JsonObject;
  if (typeof names.kind === 'string') {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  s.conversion ??= { strategy: 'None' };
}

export const crdStrategy: Strategy = {
  allowUnconditionalUpdate: false,
  prepareForCreate(obj) {
    defaultCrd(obj);
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) obj.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
    obj.status = establishedStatus(obj);
  },
  prepareForUpdate(obj, old) {
    defaultCrd(obj);
    const status = establishedStatus(obj);
    const oldStatus = isObject(old.status) ? old.status : {};
    const stored = new Set([...((oldStatus.storedVersions as string[]) ?? []), ...(status.storedVersions as string[])]);
    obj.status = { ...oldStatus, acceptedNames: status.acceptedNames, storedVersions: [...stored] };
    if (!Array.isArray((obj.status as JsonObject).conditions))
      (obj.status as JsonObject).conditions = status.conditions;
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    const s = obj.spec as Partial<CrdSpec> | undefined;
    if (!isObject(s)) return [fieldErrors.required('spec')];
    if (!s.group) errs.push(fieldErrors.required('spec.group'));
    else if (!s.group.includes('.'))
      errs.push(fieldErrors.invalid('spec.group', s.group, 'should be a domain with at least one dot'));
    const names = s.names;
    if (!isObject(names)) errs.push(fieldErrors.required('spec.names'));
    else {
      if (!names.plural) errs.push(fieldErrors.required('spec.names.plural'));
      else
        for (const m of validateName(names.plural, 'label'))
          errs.push(fieldErrors.invalid('spec.names.plural', names.plural, m));
      if (!names.kind) errs.push(fieldErrors.required('spec.names.kind'));
      if (names.plural && s.group && obj.metadata.name !== `${names.plural}.${s.group}`) {
        errs.push(fieldErrors.invalid('metadata.name', obj.metadata.name, `must be spec.names.plural+"."+spec.group`));
      }
    }
    if (s.scope !== 'Namespaced' && s.scope !== 'Cluster')
      errs.push(fieldErrors.notSupported('spec.scope', s.scope ?? '', ['Cluster', 'Namespaced']));
    if (!Array.isArray(s.versions) || s.versions.length === 0) errs.push(fieldErrors.required('spec.versions'));
    else {
      const storage = s.versions.filter((v) => v.storage).length;
      if (storage !== 1)
        errs.push(
          fieldErrors.invalid(
            'spec.versions',
            s.versions.map((v) => v.name),
            'must have exactly one version marked as storage version',
          ),
        );
      s.versions.forEach((v, i) => {
        if (!v.schema?.openAPIV3Schema)
          errs.push(fieldErrors.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
      });
    }
    if (old && isObject(old.spec)) {
      const o = old.spec as unknown as CrdSpec;
      if (o.group !== s.group) errs.push(fieldErrors.invalid('spec.group', s.group, 'field is immutable'));
      if (isObject(names) && o.names.plural !== names.plural)
        errs.push(fieldErrors.invalid('spec.names.plural', names.plural, 'field is immutable'));
      if (o.scope !== s.scope) errs.push(fieldErrors.invalid('spec.scope', s.scope, 'field is immutable'));
    }
    return errs;
  },
};

export const customResourceStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
};

/** The resource types a CRD serves: one per served version, all stored under the same key. */
export function typesFromCrd(crd: KubeObject): ResourceType[] {
  const s = crd.spec as unknown as CrdSpec;
  if (!isObject(s) || !isObject(s.names) || !Array.isArray(s.versions)) return [];
  const names = acceptedNames(s.names) as unknown as Required<CrdNames>;
  return s.versions
    .filter((v) => v.served)
    .map((v) => ({
      group: s.group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind,
      plural: names.plural,
      singular: names.singular,
      namespaced: s.scope === 'Namespaced',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      subresources: {
        status: v.subresources?.status !== undefined,
        ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
      },
      ...(v.schema?.openAPIV3Schema ? { schema: v.schema.openAPIV3Schema } : {}),
      printerColumns: v.additionalPrinterColumns ?? [],
      generation: true,
      strategy: customResourceStrategy,
      crd: crd.metadata.name!,
    }));
}
