/** Per-type behaviour of the built-in resources, where kube-apiserver has a REST strategy for each. */
import { fieldErrors, type FieldError } from '../errors';
import type { JsonObject, KubeObject, Strategy } from '../types';
import { deepEqual, isObject } from '../util/json';
import { validateName } from '../meta/validation';

function spec(obj: KubeObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

function containersOf(podSpec: JsonObject, key: 'containers' | 'initContainers'): JsonObject[] {
  const list = podSpec[key];
  return Array.isArray(list) ? (list.filter(isObject) as JsonObject[]) : [];
}

function defaultContainer(c: JsonObject): void {
  if (typeof c.image === 'string' && c.imagePullPolicy === undefined) {
    const tag = c.image.includes('@') ? 'digest' : (c.image.split('/').pop()!.split(':')[1] ?? 'latest');
    c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
}

export const podStrategy: Strategy = {
  prepareForCreate(obj) {
    const s = spec(obj);
    s.restartPolicy ??= 'Always';
    s.dnsPolicy ??= 'ClusterFirst';
    s.schedulerName ??= 'default-scheduler';
    s.terminationGracePeriodSeconds ??= 30;
    s.securityContext ??= {};
    s.enableServiceLinks ??= true;
    s.preemptionPolicy ??= 'PreemptLowerPriority';
    s.priority ??= 0;
    if (s.serviceAccountName === undefined && s.serviceAccount === undefined) s.serviceAccountName = 'default';
    s.serviceAccount ??= s.serviceAccountName;
    for (const c of [...containersOf(s, 'containers'), ...containersOf(s, 'initContainers')]) defaultContainer(c);
    obj.status = { phase: 'Pending', qosClass: qosClass(s) };
  },
  validate(obj, old, subresource) {
    const errs: FieldError[] = [];
    const s = isObject(obj.spec) ? obj.spec : undefined;
    if (!s) return [fieldErrors.required('spec')];
    const containers = containersOf(s, 'containers');
    if (containers.length === 0) errs.push(fieldErrors.required('spec.containers'));
    const names = new Set<string>();
    for (const key of ['initContainers', 'containers'] as const) {
      containersOf(s, key).forEach((c, i) => {
        const f = `spec.${key}[${i}]`;
        if (typeof c.name !== 'string' || !c.name) errs.push(fieldErrors.required(`${f}.name`));
        else {
          for (const m of validateName(c.name, 'label')) errs.push(fieldErrors.invalid(`${f}.name`, c.name, m));
          if (names.has(c.name)) errs.push(fieldErrors.duplicate(`${f}.name`, c.name));
          names.add(c.name);
        }
        if (typeof c.image !== 'string' || !c.image) errs.push(fieldErrors.required(`${f}.image`));
      });
    }
    if (old && isObject(old.spec) && subresource !== 'resize') {
      // Pod updates may change only a few fields of spec; everything else is immutable, as in kube.
      const strip = (podSpec: JsonObject): JsonObject => {
        const copy = JSON.parse(JSON.stringify(podSpec)) as JsonObject;
        for (const key of ['containers', 'initContainers'] as const) {
          for (const c of containersOf(copy, key)) delete c.image;
        }
        delete copy.activeDeadlineSeconds;
        delete copy.tolerations;
        delete copy.terminationGracePeriodSeconds;
        delete copy.schedulingGates;
        return copy;
      };
      if (!deepEqual(strip(s), strip(old.spec))) {
        errs.push(
          fieldErrors.forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          ),
        );
      }
    }
    return errs;
  },
  gracefulDeleteSeconds(obj, requested) {
    const s = isObject(obj.spec) ? obj.spec : {};
    const phase = isObject(obj.status) ? obj.status.phase : undefined;
    // An unscheduled or finished pod has no kubelet to wait for: kube deletes it at once.
    if (!s.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const fromSpec = typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : 30;
    return Math.max(0, requested ?? fromSpec);
  },
};

function qosClass(podSpec: JsonObject): string {
  let any = false;
  let guaranteed = true;
  for (const c of containersOf(podSpec, 'containers')) {
    const r = isObject(c.resources) ? c.resources : {};
    const req = isObject(r.requests) ? r.requests : {};
    const lim = isObject(r.limits) ? r.limits : {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (lim[res] === undefined || (req[res] !== undefined && req[res] !== lim[res])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const namespaceStrategy: Strategy = {
  prepareForCreate(obj) {
    const s = spec(obj);
    s.finalizers = ['kubernetes'];
    obj.status = { phase: 'Active' };
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
  },
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
  },
};

function immutableData(obj: KubeObject, old: KubeObject | undefined, fields: string[]): FieldError[] {
  if (!old || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f], old[f])) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function mergeStringData(obj: KubeObject): void {
  if (isObject(obj.stringData)) {
    const data: JsonObject = isObject(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    obj.data = data;
    delete obj.stringData;
  }
}

export const secretStrategy: Strategy = {
  prepareForCreate(obj) {
    mergeStringData(obj);
    obj.type ??= 'Opaque';
  },
  prepareForUpdate(obj) {
    mergeStringData(obj);
    obj.type ??= 'Opaque';
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    if (isObject(obj.data)) {
      for (const [k, v] of Object.entries(obj.data)) {
        if (typeof v !== 'string' || !BASE64.test(v))
          errs.push(fieldErrors.invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
      }
    }
    if (old && old.type !== obj.type) errs.push(fieldErrors.invalid('type', obj.type, 'field is immutable'));
    return [...errs, ...immutableData(obj, old, ['data'])];
  },
};

export const configMapStrategy: Strategy = {
  validate(obj, old) {
    const errs: FieldError[] = [];
    for (const key of ['data', 'binaryData'] as const) {
      if (obj[key] !== undefined && !isObject(obj[key])) errs.push(fieldErrors.invalid(key, obj[key], 'must be a map'));
    }
    return [...errs, ...immutableData(obj, old, ['data', 'binaryData'])];
  },
};

export const serviceStrategy: Strategy = {
  prepareForCreate(obj) {
    const s = spec(obj);
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    if (s.clusterIP === undefined) {
      // Random in 10.96.0.0/16 (10.96.0.1 is the kubernetes service's in kube): nothing to route, unique enough.
      s.clusterIP = `10.96.${Math.floor(Math.random() * 256)}.${2 + Math.floor(Math.random() * 253)}`;
    }
    if (s.clusterIP !== 'None') s.clusterIPs ??= [s.clusterIP];
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
    s.internalTrafficPolicy ??= 'Cluster';
    if (Array.isArray(s.ports)) {
      for (const p of s.ports) {
        if (!isObject(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
    }
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    const s = spec(obj);
    const o = isObject(old.spec) ? old.spec : {};
    // clusterIP is allocated once; an update that omits it keeps the old one.
    if (s.clusterIP === undefined || s.clusterIP === '') s.clusterIP = o.clusterIP;
    if (s.clusterIPs === undefined) s.clusterIPs = o.clusterIPs;
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    s.ipFamilies ??= o.ipFamilies;
    s.ipFamilyPolicy ??= o.ipFamilyPolicy;
    s.internalTrafficPolicy ??= 'Cluster';
    if (Array.isArray(s.ports)) {
      for (const p of s.ports) {
        if (!isObject(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
    }
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    const s = isObject(obj.spec) ? obj.spec : {};
    if (s.clusterIP !== 'None' && s.type !== 'ExternalName' && (!Array.isArray(s.ports) || s.ports.length === 0)) {
      errs.push(fieldErrors.required('spec.ports'));
    }
    if (Array.isArray(s.ports)) {
      s.ports.forEach((p, i) => {
        if (!isObject(p) || typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
          errs.push(
            fieldErrors.invalid(
              `spec.ports[${i}].port`,
              isObject(p) ? p.port : p,
              'must be between 1 and 65535, inclusive',
            ),
          );
        }
      });
    }
    if (old && isObject(old.spec) && old.spec.clusterIP !== s.clusterIP) {
      errs.push(fieldErrors.invalid('spec.clusterIPs[0]', s.clusterIP, 'may not change once set'));
    }
    return errs;
  },
};

export const pvStrategy: Strategy = {
  prepareForCreate(obj) {
    const s = spec(obj);
    s.persistentVolumeReclaimPolicy ??= 'Retain';
    s.volumeMode ??= 'Filesystem';
    obj.status = { phase: 'Pending' };
  },
  validate(obj) {
    const s = isObject(obj.spec) ? obj.spec : {};
    const errs: FieldError[] = [];
    if (!isObject(s.capacity)) errs.push(fieldErrors.required('spec.capacity'));
    if (!Array.isArray(s.accessModes) || s.accessModes.length === 0)
      errs.push(fieldErrors.required('spec.accessModes'));
    return errs;
  },
};

export const pvcStrategy: Strategy = {
  prepareForCreate(obj) {
    const s = spec(obj);
    s.volumeMode ??= 'Filesystem';
    obj.status = { phase: 'Pending' };
  },
  validate(obj, old) {
    const s = isObject(obj.spec) ? obj.spec : {};
    const errs: FieldError[] = [];
    if (!Array.isArray(s.accessModes) || s.accessModes.length === 0)
      errs.push(fieldErrors.required('spec.accessModes'));
    if (!isObject(s.resources) || !isObject(s.resources.requests) || s.resources.requests.storage === undefined) {
      errs.push(fieldErrors.required('spec.resources[storage]'));
    }
    if (old && isObject(old.spec)) {
      const strip = (x: JsonObject) => ({
        ...x,
        resources: undefined,
        volumeName: undefined,
        volumeAttributesClassName: undefined,
      });
      if (!deepEqual(strip(s), strip(old.spec))) {
        errs.push(
          fieldErrors.forbidden(
            'spec',
            'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
          ),
        );
      }
    }
    return errs;
  },
};

export const eventStrategy: Strategy = {
  validate(obj) {
    const errs: FieldError[] = [];
    if (!isObject(obj.involvedObject)) errs.push(fieldErrors.required('involvedObject'));
    return errs;
  },
};

export const leaseStrategy: Strategy = {};

export const nodeStrategy: Strategy = {
  prepareForCreate(obj) {
    // Node status is written by its kubelet through /status; a new node starts with what the kubelet sent, as kube
    // keeps status on node create.
    obj.status ??= {};
  },
};
