/**
 * When a claimed sandbox may be handed over (the reference claimer's wait-ready checklist): the controller has seen
 * its latest spec, no in-place update is running, it is claimed and Running with Ready=True, and it has a pod IP. A
 * container that cannot start fails the wait at once instead of running out the clock.
 */
import { SandboxConditions, SandboxReasons, findCondition, getSandboxState, type Sandbox } from '@kruise-agents/api';

export type Readiness = { ready: true } | { ready: false; failed?: string; waitingFor: string };

export function sandboxReadiness(sandbox: Sandbox | undefined, now: number): Readiness {
  if (!sandbox) return { ready: false, waitingFor: 'the sandbox to appear in the cache' };
  const { metadata, status } = sandbox;
  const phase = status?.phase;
  if (metadata.deletionTimestamp) return { ready: false, failed: 'the sandbox is being deleted', waitingFor: '' };
  if (phase === 'Failed' || phase === 'Succeeded') {
    return { ready: false, failed: `the sandbox is ${phase}: ${status?.message ?? ''}`.trim(), waitingFor: '' };
  }
  const ready = findCondition(status?.conditions, SandboxConditions.Ready);
  if (ready?.reason === SandboxReasons.StartContainerFailed) {
    return { ready: false, failed: `a container cannot start: ${ready.message ?? ''}`.trim(), waitingFor: '' };
  }
  if (metadata.generation !== undefined && status?.observedGeneration !== metadata.generation) {
    return { ready: false, waitingFor: 'the controller to observe the latest spec' };
  }
  const inplace = findCondition(status?.conditions, SandboxConditions.InplaceUpdate);
  if (inplace?.reason === SandboxReasons.InplaceUpdating) {
    return { ready: false, waitingFor: 'the in-place update to finish' };
  }
  if (getSandboxState(sandbox, now) !== 'running') {
    return { ready: false, waitingFor: `Ready (phase ${phase ?? 'Pending'}, ready reason ${ready?.reason ?? 'none'})` };
  }
  if (!status?.podInfo?.podIP && !status?.sandboxIp) return { ready: false, waitingFor: 'a pod IP' };
  return { ready: true };
}
