/**
 * Builders for SandboxSets, Sandboxes, SandboxClaims and Pods in given states, for the tests of this package and for
 * integration tests elsewhere. Every builder is deterministic: times are offsets from T0, UIDs derive from names.
 */
import {
  API_VERSION,
  Annotations,
  Labels,
  type Condition,
  type Sandbox,
  type SandboxClaim,
  type SandboxClaimStatus,
  type SandboxPhase,
  type SandboxSet,
  type SandboxStatus,
  type SandboxTemplate,
} from '@kruise-agents/api';
import { setCondition } from './conditions';
import type { Pod } from './pod';
import { buildPoolSandbox } from './pool/new-sandbox';
import { sandboxSetRevision } from './revision';
import { formatTime } from './time';

/** The instant every builder's times are relative to: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** The RFC 3339 time `offsetMs` after T0. */
export function at(offsetMs: number): string {
  return formatTime(T0 + offsetMs);
}

export function uidOf(kind: string, namespace: string, name: string): string {
  return `uid-${kind.toLowerCase()}-${namespace}-${name}`;
}

export interface SandboxSetOptions {
  name?: string;
  namespace?: string;
  replicas?: number;
  image?: string;
  generation?: number;
  templateRef?: string;
  templateLabels?: Record<string, string>;
  templateAnnotations?: Record<string, string>;
  scaleMaxUnavailable?: number | string;
  updateMaxUnavailable?: number | string;
}

export function aSandboxSet(options: SandboxSetOptions = {}): SandboxSet {
  const name = options.name ?? 'pool';
  const namespace = options.namespace ?? 'default';
  const set: SandboxSet = {
    apiVersion: API_VERSION,
    kind: 'SandboxSet',
    metadata: { name, namespace, uid: uidOf('SandboxSet', namespace, name), generation: options.generation ?? 1 },
    spec: {
      replicas: options.replicas ?? 3,
      updateStrategy: { maxUnavailable: options.updateMaxUnavailable ?? '20%' },
    },
  };
  if (options.templateRef) set.spec.templateRef = { name: options.templateRef };
  else {
    set.spec.template = { spec: { containers: [{ name: 'main', image: options.image ?? 'python:3.12' }] } };
    if (options.templateLabels || options.templateAnnotations) {
      set.spec.template.metadata = {
        ...(options.templateLabels && { labels: options.templateLabels }),
        ...(options.templateAnnotations && { annotations: options.templateAnnotations }),
      };
    }
  }
  if (options.scaleMaxUnavailable !== undefined) {
    set.spec.scaleStrategy = { maxUnavailable: options.scaleMaxUnavailable };
  }
  return set;
}

export function aSandboxTemplate(options: { name: string; namespace?: string; image?: string }): SandboxTemplate {
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxTemplate',
    metadata: { name: options.name, namespace: options.namespace ?? 'default' },
    spec: { template: { spec: { containers: [{ name: 'main', image: options.image ?? 'python:3.12' }] } } },
  };
}

/** States of a pool member: pending and starting are "creating", available is ready, failed and deleting are dead. */
export type PoolMemberState = 'pending' | 'starting' | 'available' | 'failed' | 'deleting';

export interface PoolSandboxOptions {
  name: string;
  state?: PoolMemberState;
  /** The template-hash label; defaults to the set's current revision. */
  revision?: string;
  createdAt?: number;
  recycledCount?: number;
  resourceVersion?: string;
  /** Locked by a claim in progress (or by a scale-down when lockOwner is ScaleDownOwner). */
  lockOwner?: string;
  podIP?: string;
}

/** A member of `set`'s pool in a given state, as the SandboxSet would have created it. */
export function aPoolSandbox(set: SandboxSet, options: PoolSandboxOptions): Sandbox {
  const revision = options.revision ?? sandboxSetRevision(set);
  const sandbox = buildPoolSandbox(set, { revision });
  const namespace = set.metadata.namespace ?? 'default';
  delete sandbox.metadata.generateName;
  Object.assign(sandbox.metadata, {
    name: options.name,
    uid: uidOf('Sandbox', namespace, options.name),
    resourceVersion: options.resourceVersion ?? '1',
    generation: 1,
    creationTimestamp: at(options.createdAt ?? 0),
  });
  const state = options.state ?? 'available';
  const phase: SandboxPhase = state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running';
  const ready = state === 'available' || state === 'deleting';
  sandbox.status = {
    phase,
    observedGeneration: 1,
    conditions: [readyCond(ready)],
    ...(phase === 'Running' && {
      podInfo: { podIP: options.podIP ?? '10.0.0.1' },
      sandboxIp: options.podIP ?? '10.0.0.1',
    }),
    ...(options.recycledCount !== undefined && { recycledCount: options.recycledCount }),
  };
  if (state === 'deleting') sandbox.metadata.deletionTimestamp = at(options.createdAt ?? 0);
  if (options.lockOwner) {
    sandbox.metadata.annotations = {
      ...sandbox.metadata.annotations,
      [Annotations.Lock]: `lock-${options.name}`,
      [Annotations.Owner]: options.lockOwner,
    };
  }
  return sandbox;
}

export interface SandboxOptions {
  name: string;
  namespace?: string;
  phase?: SandboxPhase;
  ready?: boolean;
  paused?: boolean;
  shutdownTime?: string;
  pauseTime?: string;
  pausedAt?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  image?: string;
  templateRef?: string;
  deleting?: boolean;
  /** Mark as claimed by this claim (claim-name label, owner annotation = its UID, sandbox-claimed=true). */
  claimedBy?: SandboxClaim;
}

/** A standalone (claimed or directly created) Sandbox: no SandboxSet owner. */
export function aSandbox(options: SandboxOptions): Sandbox {
  const namespace = options.namespace ?? 'default';
  const sandbox: Sandbox = {
    apiVersion: API_VERSION,
    kind: 'Sandbox',
    metadata: {
      name: options.name,
      namespace,
      uid: uidOf('Sandbox', namespace, options.name),
      resourceVersion: '1',
      generation: 1,
      creationTimestamp: at(0),
      labels: { ...options.labels },
      annotations: { ...options.annotations },
    },
    spec: options.templateRef
      ? { templateRef: { name: options.templateRef } }
      : { template: { spec: { containers: [{ name: 'main', image: options.image ?? 'python:3.12' }] } } },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [readyCond(options.ready ?? true)],
      ...(options.pausedAt && { pausedAt: options.pausedAt }),
    },
  };
  if (options.paused !== undefined) sandbox.spec.paused = options.paused;
  if (options.shutdownTime) sandbox.spec.shutdownTime = options.shutdownTime;
  if (options.pauseTime) sandbox.spec.pauseTime = options.pauseTime;
  if (options.deleting) sandbox.metadata.deletionTimestamp = at(0);
  if (options.claimedBy) {
    sandbox.metadata.labels![Labels.SandboxClaimed] = 'true';
    sandbox.metadata.labels![Labels.ClaimName] = options.claimedBy.metadata.name ?? '';
    sandbox.metadata.annotations![Annotations.Owner] = options.claimedBy.metadata.uid ?? '';
  }
  return sandbox;
}

/**
 * `status` with its InplaceUpdate condition at `reason` (at T0): by default an in-place update still in progress;
 * `Succeeded` for the pass that sees it finish.
 */
export function withInplaceUpdate(status: SandboxStatus, reason = 'InplaceUpdating'): SandboxStatus {
  return {
    ...status,
    conditions: setCondition(status.conditions, { type: 'InplaceUpdate', status: 'False', reason }, T0),
  };
}

export interface SandboxClaimOptions {
  name?: string;
  namespace?: string;
  templateName?: string;
  replicas?: number;
  claimTimeout?: string;
  ttlAfterCompleted?: string;
  status?: SandboxClaimStatus;
}

export function aSandboxClaim(options: SandboxClaimOptions = {}): SandboxClaim {
  const name = options.name ?? 'claim';
  const namespace = options.namespace ?? 'default';
  return {
    apiVersion: API_VERSION,
    kind: 'SandboxClaim',
    metadata: { name, namespace, uid: uidOf('SandboxClaim', namespace, name), generation: 1 },
    spec: {
      templateName: options.templateName ?? 'pool',
      replicas: options.replicas ?? 1,
      claimTimeout: options.claimTimeout ?? '1m',
      ttlAfterCompleted: options.ttlAfterCompleted ?? '60m',
      reserveFailedSandbox: false,
      createOnNoStock: true,
      waitReadyTimeout: '30s',
      skipInitRuntime: false,
    },
    ...(options.status && { status: options.status }),
  };
}

export interface PodOptions {
  /** The sandbox the pod belongs to (name, namespace and owner UID). */
  sandbox: Sandbox;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  readySince?: number;
  /** A container waiting for this reason (e.g. ImagePullBackOff) with this message. */
  waiting?: { reason: string; message?: string };
  podIP?: string;
  nodeName?: string;
  ownerUid?: string;
  deleting?: boolean;
}

export function aPod(options: PodOptions): Pod {
  const { sandbox } = options;
  const name = sandbox.metadata.name ?? '';
  const namespace = sandbox.metadata.namespace ?? 'default';
  const ready = options.ready ?? options.phase === 'Running';
  return {
    metadata: {
      name,
      namespace,
      uid: uidOf('Pod', namespace, name),
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: 'Sandbox',
          name,
          uid: options.ownerUid ?? sandbox.metadata.uid ?? '',
          controller: true,
        },
      ],
      ...(options.deleting && { deletionTimestamp: at(0) }),
    },
    spec: { nodeName: options.nodeName ?? 'node-1', containers: [{ name: 'main' }] },
    status: {
      phase: options.phase ?? 'Running',
      ...(options.phase !== 'Pending' && { podIP: options.podIP ?? '10.0.0.7' }),
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          ...(!ready && { reason: 'ContainersNotReady' }),
          lastTransitionTime: at(options.readySince ?? 0),
        },
      ],
      containerStatuses: [
        {
          name: 'main',
          ready,
          state: options.waiting
            ? { waiting: options.waiting }
            : ready
              ? { running: {} }
              : { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

function readyCond(ready: boolean): Condition {
  return {
    type: 'Ready',
    status: ready ? 'True' : 'False',
    reason: ready ? 'PodReady' : 'PodNotReady',
    lastTransitionTime: at(0),
  };
}
