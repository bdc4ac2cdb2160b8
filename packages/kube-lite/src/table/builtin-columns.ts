/** kube's own printers for the built-in types (pkg/printers/internalversion), trimmed to what is useful here. */
import type { JsonObject, KubeObject, ResourceType } from '../types';
import { ageOf } from '../util/duration';
import { isObject } from '../util/json';
import type { TableColumn, TablePrinter } from './table';

function col(name: string, type = 'string', priority = 0, format = ''): TableColumn {
  return { name, type, format, description: '', priority };
}

const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');

function o(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function podCells(pod: KubeObject, now: number): unknown[] {
  const spec = o(pod.spec);
  const status = o(pod.status);
  const statuses = arr(status.containerStatuses).map(o);
  const total = arr(spec.containers).length;
  const ready = statuses.filter((s) => s.ready === true).length;
  let restarts = 0;
  let reason = (status.reason as string) || (status.phase as string) || 'Pending';
  for (const s of statuses) {
    restarts += typeof s.restartCount === 'number' ? s.restartCount : 0;
    const state = o(s.state);
    if (isObject(state.waiting) && state.waiting.reason) reason = String(state.waiting.reason);
    else if (isObject(state.terminated)) reason = String(state.terminated.reason ?? 'Terminated');
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restarts,
    ageOf(pod.metadata.creationTimestamp, now),
    status.podIP ?? '<none>',
    spec.nodeName ?? '<none>',
    status.nominatedNodeName ?? '<none>',
    arr(spec.readinessGates).length ? `0/${arr(spec.readinessGates).length}` : '<none>',
  ];
}

function servicePorts(spec: JsonObject): string {
  const ports = arr(spec.ports).map(o);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function selector(spec: JsonObject): string {
  const s = o(spec.selector);
  const parts = Object.entries(s).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '<none>';
}

function accessModes(modes: unknown): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return arr(modes)
    .map((m) => short[String(m)] ?? String(m))
    .join(',');
}

const PRINTERS: Record<string, TablePrinter> = {
  'core/pods': {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: podCells,
  },
  'core/namespaces': {
    columns: [NAME, col('Status'), AGE],
    cells: (x, now) => [x.metadata.name, o(x.status).phase ?? '', ageOf(x.metadata.creationTimestamp, now)],
  },
  'core/configmaps': {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (x, now) => [
      x.metadata.name,
      Object.keys(o(x.data)).length + Object.keys(o(x.binaryData)).length,
      ageOf(x.metadata.creationTimestamp, now),
    ],
  },
  'core/secrets': {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: (x, now) => [
      x.metadata.name,
      x.type ?? 'Opaque',
      Object.keys(o(x.data)).length,
      ageOf(x.metadata.creationTimestamp, now),
    ],
  },
  'core/services': {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells: (x, now) => {
      const s = o(x.spec);
      const ext = arr(s.externalIPs).join(',') || (s.type === 'LoadBalancer' ? '<pending>' : '<none>');
      return [
        x.metadata.name,
        s.type ?? 'ClusterIP',
        s.clusterIP ?? '<none>',
        ext,
        servicePorts(s),
        ageOf(x.metadata.creationTimestamp, now),
        selector(s),
      ];
    },
  },
  'core/nodes': {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('OS-Image', 'string', 1),
    ],
    cells: (x, now) => {
      const st = o(x.status);
      const ready = arr(st.conditions)
        .map(o)
        .find((c) => c.type === 'Ready');
      const status = ready?.status === 'True' ? 'Ready' : 'NotReady';
      const roles = Object.keys(x.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length));
      const ip = arr(st.addresses)
        .map(o)
        .find((a) => a.type === 'InternalIP');
      const info = o(st.nodeInfo);
      return [
        x.metadata.name,
        o(x.spec).unschedulable ? `${status},SchedulingDisabled` : status,
        roles.join(',') || '<none>',
        ageOf(x.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        ip?.address ?? '<none>',
        info.osImage ?? '<unknown>',
      ];
    },
  },
  'core/persistentvolumes': {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: (x, now) => {
      const s = o(x.spec);
      const claim = isObject(s.claimRef) ? `${s.claimRef.namespace}/${s.claimRef.name}` : '';
      return [
        x.metadata.name,
        o(s.capacity).storage ?? '',
        accessModes(s.accessModes),
        s.persistentVolumeReclaimPolicy ?? '',
        o(x.status).phase ?? '',
        claim,
        s.storageClassName ?? '',
        s.volumeAttributesClassName ?? '<unset>',
        o(x.status).reason ?? '',
        ageOf(x.metadata.creationTimestamp, now),
        s.volumeMode ?? '',
      ];
    },
  },
  'core/persistentvolumeclaims': {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: (x, now) => {
      const s = o(x.spec);
      const st = o(x.status);
      return [
        x.metadata.name,
        st.phase ?? '',
        s.volumeName ?? '',
        o(st.capacity).storage ?? '',
        accessModes(st.accessModes),
        s.storageClassName ?? '',
        s.volumeAttributesClassName ?? '<unset>',
        ageOf(x.metadata.creationTimestamp, now),
        s.volumeMode ?? '',
      ];
    },
  },
  'core/events': {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Message'),
      col('Source', 'string', 1),
      col('First Seen', 'string', 1),
      col('Count', 'string', 1),
      NAME,
    ],
    cells: (x, now) => {
      const io = o(x.involvedObject);
      const last = (x.lastTimestamp as string) || (x.eventTime as string) || x.metadata.creationTimestamp;
      return [
        ageOf(last, now),
        x.type ?? '',
        x.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        x.message ?? '',
        o(x.source).component ?? '',
        ageOf((x.firstTimestamp as string) || last, now),
        x.count ?? 1,
        x.metadata.name,
      ];
    },
  },
  'coordination.k8s.io/leases': {
    columns: [NAME, col('Holder'), AGE],
    cells: (x, now) => [x.metadata.name, o(x.spec).holderIdentity ?? '', ageOf(x.metadata.creationTimestamp, now)],
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: [NAME, col('Created At', 'date')],
    cells: (x) => [x.metadata.name, x.metadata.creationTimestamp],
  },
};

export function builtinColumns(type: ResourceType): TablePrinter | undefined {
  return PRINTERS[`${type.group || 'core'}/${type.plural}`];
}
