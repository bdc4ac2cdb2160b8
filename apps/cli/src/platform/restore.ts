/**
 * After a restart the API still says the sandboxes run (their pods kept their IPs and their status), but their
 * processes are being started again by the local node. `up` is ready only when each of them answers again, so that
 * a script run right after `up` does not meet a refused connection.
 */
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import { ENVD_PORT, FROZEN_ANNOTATION } from '@kruise-agents/local-node';

async function answers(ip: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${ip}:${ENVD_PORT}/health`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Waits for the runtimes of the running pods on `nodeName`; resolves with how many came back and which did not. */
export async function waitForSandboxesBack(
  kube: KubeClient,
  nodeName: string,
  timeoutMs = 60_000,
): Promise<{ back: number; missing: string[] }> {
  const pods = (await kube.resource(Resources.Pod).list()).items.filter(
    (pod) =>
      pod.spec?.nodeName === nodeName &&
      pod.status?.phase === 'Running' &&
      pod.status.podIP &&
      !pod.metadata.deletionTimestamp &&
      // A frozen (paused) sandbox is stopped on purpose and answers only once resumed.
      pod.metadata.annotations?.[FROZEN_ANNOTATION] !== 'true',
  );
  const waiting = new Map(pods.map((pod) => [pod.status!.podIP!, `${pod.metadata.namespace}/${pod.metadata.name}`]));
  const deadline = Date.now() + timeoutMs;
  while (waiting.size && Date.now() < deadline) {
    const results = await Promise.all([...waiting.keys()].map(async (ip) => [ip, await answers(ip)] as const));
    for (const [ip, ok] of results) if (ok) waiting.delete(ip);
    if (waiting.size) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { back: pods.length - waiting.size, missing: [...waiting.values()] };
}
