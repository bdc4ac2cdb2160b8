/** The built-in resources kube-lite serves, with the discovery facts `kubectl api-resources` shows for them. */
import type { ResourceType, Strategy } from '../types';
import {
  configMapStrategy,
  eventStrategy,
  leaseStrategy,
  nodeStrategy,
  namespaceStrategy,
  podStrategy,
  pvcStrategy,
  pvStrategy,
  secretStrategy,
  serviceStrategy,
} from './builtin-strategies';
import { crdStrategy } from './crd';

function core(
  kind: string,
  plural: string,
  namespaced: boolean,
  strategy: Strategy,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group: '',
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    printerColumns: [],
    generation: false,
    strategy: { allowUnconditionalUpdate: true, ...strategy },
    ...extra,
  };
}

// Strategic merge patch keys of the built-in types (from the Go struct tags `patchMergeKey`); paths use [] for items.
const POD_MERGE_KEYS: Record<string, string> = {
  'spec.containers': 'name',
  'spec.initContainers': 'name',
  'spec.ephemeralContainers': 'name',
  'spec.volumes': 'name',
  'spec.imagePullSecrets': 'name',
  'spec.hostAliases': 'ip',
  'spec.containers[].ports': 'containerPort',
  'spec.containers[].env': 'name',
  'spec.containers[].volumeMounts': 'mountPath',
  'spec.containers[].volumeDevices': 'devicePath',
  'spec.initContainers[].ports': 'containerPort',
  'spec.initContainers[].env': 'name',
  'spec.initContainers[].volumeMounts': 'mountPath',
  'spec.readinessGates': 'conditionType',
  'spec.resourceClaims': 'name',
  'spec.schedulingGates': 'name',
  'status.conditions': 'type',
  'status.podIPs': 'ip',
  'status.hostIPs': 'ip',
};

export function builtinTypes(): ResourceType[] {
  return [
    core(
      'Namespace',
      'namespaces',
      false,
      { ...namespaceStrategy, nameRule: 'label' },
      {
        shortNames: ['ns'],
        subresources: { status: true, finalize: true },
        mergeKeys: { 'status.conditions': 'type' },
      },
    ),
    core('Pod', 'pods', true, podStrategy, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: { status: true, resize: true },
      mergeKeys: POD_MERGE_KEYS,
    }),
    core(
      'Event',
      'events',
      true,
      { ...eventStrategy, allowCreateOnUpdate: true, nameRule: 'path' },
      { shortNames: ['ev'] },
    ),
    core('Secret', 'secrets', true, { ...secretStrategy, allowCreateOnUpdate: true }),
    core('ConfigMap', 'configmaps', true, { ...configMapStrategy, allowCreateOnUpdate: true }, { shortNames: ['cm'] }),
    core(
      'Service',
      'services',
      true,
      { ...serviceStrategy, allowCreateOnUpdate: true, nameRule: 'label' },
      {
        shortNames: ['svc'],
        categories: ['all'],
        subresources: { status: true },
        mergeKeys: { 'spec.ports': 'port', 'status.conditions': 'type' },
      },
    ),
    core(
      'Node',
      'nodes',
      false,
      { ...nodeStrategy, allowCreateOnUpdate: false },
      {
        shortNames: ['no'],
        subresources: { status: true },
        mergeKeys: { 'status.conditions': 'type', 'status.addresses': 'type', 'status.images': 'names' },
      },
    ),
    core('PersistentVolume', 'persistentvolumes', false, pvStrategy, {
      shortNames: ['pv'],
      subresources: { status: true },
    }),
    core('PersistentVolumeClaim', 'persistentvolumeclaims', true, pvcStrategy, {
      shortNames: ['pvc'],
      subresources: { status: true },
      mergeKeys: { 'status.conditions': 'type' },
    }),
    {
      ...core('Lease', 'leases', true, { ...leaseStrategy, allowCreateOnUpdate: true }),
      group: 'coordination.k8s.io',
    },
    {
      ...core('CustomResourceDefinition', 'customresourcedefinitions', false, crdStrategy, {
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: { status: true },
        generation: true,
      }),
      group: 'apiextensions.k8s.io',
    },
  ];
}
