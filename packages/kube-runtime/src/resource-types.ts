/** The resources this project reads and writes, as (group, version, plural) with their object types. */
import {
  SandboxClaimResource,
  SandboxResource,
  SandboxSetResource,
  SandboxTemplateResource,
  type ResourceDefinition,
  type Sandbox,
  type SandboxClaim,
  type SandboxSet,
  type SandboxTemplate,
} from '@kruise-agents/api';
import type { CoreEvent, KubeObject, Lease, Pod, Secret } from './objects';

export interface ResourceType<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Carries the object type; never set. */
  readonly __type?: T;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The collection path, e.g. /apis/agents.kruise.io/v1alpha1/namespaces/default/sandboxes. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return type.namespaced && namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
    : `${root}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
}

function fromDefinition<T extends KubeObject>(def: ResourceDefinition): ResourceType<T> {
  return {
    group: def.group,
    version: def.version,
    plural: def.plural,
    kind: def.kind,
    namespaced: def.scope === 'Namespaced',
  };
}

export const Resources = {
  Sandbox: fromDefinition<Sandbox & KubeObject>(SandboxResource),
  SandboxSet: fromDefinition<SandboxSet & KubeObject>(SandboxSetResource),
  SandboxClaim: fromDefinition<SandboxClaim & KubeObject>(SandboxClaimResource),
  SandboxTemplate: fromDefinition<SandboxTemplate & KubeObject>(SandboxTemplateResource),
  Pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true } as ResourceType<Pod>,
  Secret: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true } as ResourceType<Secret>,
  ConfigMap: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true } as ResourceType,
  Event: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true } as ResourceType<CoreEvent>,
  Namespace: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false } as ResourceType,
  PersistentVolume: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
  } as ResourceType,
  Lease: {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
  } as ResourceType<Lease>,
} as const;
