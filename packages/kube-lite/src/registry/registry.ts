/**
 * The resource types being served: the built-ins plus whatever the stored CRDs define. Discovery, OpenAPI and routing
 * read it; it changes as CRDs are created, updated and removed, and bumps `generation` so caches can tell.
 */
import { errors } from '../errors';
import type { KubeObject, ResourceType } from '../types';
import { typeKey } from '../types';
import { builtinTypes } from './builtin';
import { typesFromCrd } from './crd';

export const CRD_TYPE_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

export class Registry {
  private types: ResourceType[] = builtinTypes();
  private index = new Map<string, ResourceType>();
  generation = 0;

  constructor() {
    this.reindex();
  }

  private reindex(): void {
    this.index.clear();
    for (const t of this.types) this.index.set(`${t.group}/${t.version}/${t.plural}`, t);
    this.generation++;
  }

  all(): ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.index.get(`${group}/${version}/${plural}`);
  }

  /** The storage version's type for a type key (what controllers such as the GC write through). */
  byTypeKey(key: string): ResourceType | undefined {
    return this.types.find((t) => typeKey(t) === key);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Registers (or re-registers) the types of a CRD. */
  applyCrd(crd: KubeObject): void {
    const name = crd.metadata.name!;
    const fresh = typesFromCrd(crd);
    for (const t of fresh) {
      const clash = this.types.find(
        (o) => o.crd !== name && o.group === t.group && o.version === t.version && o.plural === t.plural,
      );
      if (clash) throw errors.badRequest(`resource ${t.plural}.${t.group} is already served`);
    }
    this.types = [...this.types.filter((t) => t.crd !== name), ...fresh];
    this.reindex();
  }

  removeCrd(name: string): void {
    this.types = this.types.filter((t) => t.crd !== name);
    this.reindex();
  }

  /** API groups (not the core group) in discovery order: built-in groups first, then custom ones by name. */
  groups(): Array<{ name: string; versions: string[] }> {
    const order: string[] = [];
    const versions = new Map<string, string[]>();
    for (const t of this.types) {
      if (!t.group) continue;
      if (!versions.has(t.group)) {
        versions.set(t.group, []);
        order.push(t.group);
      }
      const list = versions.get(t.group)!;
      if (!list.includes(t.version)) list.push(t.version);
    }
    const builtin = order.filter((g) => !this.types.some((t) => t.group === g && t.crd));
    const custom = order.filter((g) => !builtin.includes(g)).sort();
    return [...builtin, ...custom].map((name) => ({ name, versions: versions.get(name)! }));
  }
}
