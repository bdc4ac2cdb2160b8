/** Discovery documents: /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>. */
import type { Registry } from '../registry/registry';
import type { ResourceType } from '../types';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+kube-lite' };

export function versionInfo(): unknown {
  return {
    ...KUBE_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function apiResources(types: ResourceType[]): unknown[] {
  const out: unknown[] = [];
  for (const t of types) {
    out.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ALL_VERBS,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    const sub = (name: string, kind: string, verbs: string[], extra: Record<string, string> = {}) =>
      out.push({ name: `${t.plural}/${name}`, singularName: '', namespaced: t.namespaced, kind, verbs, ...extra });
    if (t.subresources.status) sub('status', t.kind, ['get', 'patch', 'update']);
    if (t.subresources.scale)
      sub('scale', 'Scale', ['get', 'patch', 'update'], { group: 'autoscaling', version: 'v1' });
    if (t.subresources.resize) sub('resize', t.kind, ['get', 'patch', 'update']);
    if (t.subresources.finalize) sub('finalize', t.kind, ['update']);
    if (t.plural === 'pods' && !t.group) {
      sub('binding', 'Binding', ['create']);
      sub('log', 'Pod', ['get']);
    }
  }
  return out;
}

export function coreVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function resourceList(registry: Registry, group: string, version: string): unknown | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: apiResources(types),
  };
}

// Kube version priority: GA before beta before alpha, higher numbers first.
function versionRank(v: string): [number, number, number] {
  const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
  if (!m) return [3, 0, 0];
  const level = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return [level, -Number(m[1]), -Number(m[3] ?? 0)];
}

export function sortVersions(versions: string[]): string[] {
  return [...versions].sort((a, b) => {
    const ra = versionRank(a);
    const rb = versionRank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a.localeCompare(b);
  });
}

function group(name: string, versions: string[]): unknown {
  const sorted = sortVersions(versions).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: sorted, preferredVersion: sorted[0] };
}

export function groupList(registry: Registry): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => group(g.name, g.versions)) };
}

export function apiGroup(registry: Registry, name: string): unknown | undefined {
  const g = registry.groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(group(g.name, g.versions) as object) } : undefined;
}
