/**
 * Field selectors. Like kube-apiserver, only the fields a resource indexes are accepted (metadata.name and
 * metadata.namespace everywhere, a few more for pods, events and secrets); anything else is a 400.
 */
import { errors } from '../errors';
import type { KubeObject, ResourceType } from '../types';
import { getPath } from '../util/json';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

const EXTRA_FIELDS: Record<string, string[]> = {
  'core/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  'core/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  'core/secrets': ['type'],
  'core/namespaces': ['status.phase'],
  'core/persistentvolumeclaims': [],
};

function allowedFields(type: ResourceType): string[] {
  const key = `${type.group || 'core'}/${type.plural}`;
  return ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[key] ?? [])];
}

export function parseFieldSelector(input: string | null | undefined, type: ResourceType): FieldRequirement[] {
  if (!input || !input.trim()) return [];
  const allowed = allowedFields(type);
  const out: FieldRequirement[] = [];
  for (const term of input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = term.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw errors.badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (!allowed.includes(field)) {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return out;
}

function fieldValue(object: KubeObject, field: string): string {
  if (field === 'source') return String(getPath(object, 'source.component') ?? '');
  const v = getPath(object, field);
  if (v === undefined || v === null) return '';
  return String(v);
}

export function matchesFields(selector: FieldRequirement[], object: KubeObject): boolean {
  for (const r of selector) {
    const v = fieldValue(object, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
