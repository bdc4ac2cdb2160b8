/**
 * Scheduling, the little a single node needs: a pod with no spec.nodeName whose nodeSelector this node satisfies is
 * bound to it through pods/binding (as kube-scheduler does), or, where the server has no binding subresource, by a
 * merge patch of spec.nodeName. Losing the race to another node is fine: the pod is simply not ours.
 */
import {
  KubeApiError,
  Resources,
  isConflict,
  isNotFound,
  objectPath,
  type KubeClient,
  type Pod,
} from '@kruise-agents/kube-runtime';

/** Whether this node may take the pod: unscheduled, not being deleted, and its nodeSelector matches our labels. */
export function canBind(pod: Pod, labels: Record<string, string>): boolean {
  if (pod.spec.nodeName || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const selector = (pod.spec.nodeSelector as Record<string, string> | undefined) ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Binds; resolves to false when someone else bound it first (or it is gone). */
export async function bindPod(client: KubeClient, pod: Pod, nodeName: string): Promise<boolean> {
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name ?? '';
  try {
    await client.transport.request('POST', `${objectPath(Resources.Pod, namespace, name)}/binding`, {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      },
    });
    return true;
  } catch (error) {
    if (isConflict(error) || (isNotFound(error) && (error as KubeApiError).details?.name === name)) return false;
    if (!(error instanceof KubeApiError) || ![404, 405].includes(error.status)) throw error;
  }
  // No binding subresource here: set spec.nodeName directly, only if the pod is still unscheduled (resourceVersion).
  try {
    await client.resource(Resources.Pod).patch(namespace, name, 'merge', {
      metadata: { resourceVersion: pod.metadata.resourceVersion },
      spec: { nodeName },
    });
    return true;
  } catch (error) {
    if (isConflict(error) || isNotFound(error)) return false;
    throw error;
  }
}
