/**
 * Claim-time in-place image change: when the sandbox's first container asks for another image than its running pod
 * has, the pod's image is replaced (the node restarts that container), with the old imageID recorded in the pod's
 * inplace-update-state annotation. InplaceUpdate=False/InplaceUpdating (and Ready=False) while it runs; done — True,
 * Succeeded — once the container reports a different imageID and the pod is Ready again. The restarted container
 * may be the runtime itself (on the local node it is): a runtime the operator had initialised is initialised again
 * (RuntimeInitialized Pending), before Ready.
 */
import {
  Annotations,
  Labels,
  SandboxConditions,
  SandboxReasons,
  type Sandbox,
  type SandboxStatus,
} from '@kruise-agents/api';
import {
  reinitDueAfter,
  sandboxTemplateHash,
  setCondition,
  syncReadyFromPod,
  withRuntimeInitialized,
} from '@kruise-agents/core';
import type { Pod } from '@kruise-agents/kube-runtime';
import { podCondition } from './pod';

interface InplaceState {
  revision: string;
  updateTimestamp: string;
  lastContainerStatuses: Record<string, { imageID: string }>;
  updateImages: boolean;
}

export interface JsonPatchOp {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

export type InplaceStep =
  | { kind: 'none' }
  /** Send this JSON patch to the pod (image, state annotation, hash label), then report in progress. */
  | { kind: 'start'; patch: JsonPatchOp[] };

/** A map key as a JSON pointer segment: `agents.kruise.io/x` → `agents.kruise.io~1x`. */
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function stateOf(pod: Pod): InplaceState | undefined {
  const raw = pod.metadata.annotations?.[Annotations.InplaceUpdateState];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as InplaceState;
  } catch {
    return undefined;
  }
}

/** Decides the in-place step and folds its progress into `status` (which already mirrors the pod). */
export function inplaceUpdate(sandbox: Sandbox, pod: Pod, status: SandboxStatus, now: number): InplaceStep {
  const wanted = sandbox.spec.template?.spec.containers[0];
  const running = pod.spec.containers[0];
  if (!wanted?.image || !running || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') {
    return { kind: 'none' };
  }
  const state = stateOf(pod);
  if (running.image !== wanted.image) {
    const revision = sandboxTemplateHash(sandbox);
    const recorded = pod.status?.containerStatuses?.find((c) => c.name === running.name)?.imageID ?? '';
    const record: InplaceState = {
      revision,
      updateTimestamp: new Date(now).toISOString(),
      lastContainerStatuses: { [running.name]: { imageID: recorded } },
      updateImages: true,
    };
    // A patch, not an update: the operator caches pods slimmed down, and the pod's other fields are not its to send.
    const patch: JsonPatchOp[] = [
      { op: 'replace', path: '/spec/containers/0/image', value: wanted.image },
      pod.metadata.annotations
        ? {
            op: 'add',
            path: `/metadata/annotations/${pointer(Annotations.InplaceUpdateState)}`,
            value: JSON.stringify(record),
          }
        : {
            op: 'add',
            path: '/metadata/annotations',
            value: { [Annotations.InplaceUpdateState]: JSON.stringify(record) },
          },
      pod.metadata.labels
        ? { op: 'add', path: `/metadata/labels/${pointer(Labels.PodTemplateHash)}`, value: revision }
        : { op: 'add', path: '/metadata/labels', value: { [Labels.PodTemplateHash]: revision } },
    ];
    markUpdating(status, now);
    return { kind: 'start', patch };
  }
  const inProgress =
    status.conditions?.find((c) => c.type === SandboxConditions.InplaceUpdate)?.reason ===
    SandboxReasons.InplaceUpdating;
  if (!state || !inProgress) return { kind: 'none' };
  const changed = Object.entries(state.lastContainerStatuses).every(([name, before]) => {
    const now = pod.status?.containerStatuses?.find((c) => c.name === name)?.imageID;
    return !!now && now !== before.imageID;
  });
  if (changed && podCondition(pod, 'Ready') === 'True') {
    status.conditions = setCondition(
      status.conditions,
      { type: SandboxConditions.InplaceUpdate, status: 'True', reason: SandboxReasons.Succeeded },
      now,
    );
    if (reinitDueAfter(sandbox, status, 'image-changed')) {
      const message = 'the container restarted with a new image: its runtime is initialised again';
      const pending = withRuntimeInitialized(status, { reason: 'Pending', message }, now);
      Object.assign(status, syncReadyFromPod(pending, pod, now));
    }
  } else {
    markUpdating(status, now);
  }
  return { kind: 'none' };
}

function markUpdating(status: SandboxStatus, now: number): void {
  const message = 'in-place update in progress';
  status.conditions = setCondition(
    status.conditions,
    { type: SandboxConditions.InplaceUpdate, status: 'False', reason: SandboxReasons.InplaceUpdating, message },
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    { type: SandboxConditions.Ready, status: 'False', reason: SandboxReasons.InplaceUpdating, message },
    now,
  );
}
