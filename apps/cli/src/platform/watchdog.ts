/** Notices a part of `up` that stops answering (see startWatchdog). */
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';
import { PlatformError, describeCause, type PartName } from './errors';

/**
 * The parts run in this process, so a crash takes `up` down with it; what is left to notice is a part that stops
 * answering. Every few seconds the API server and the gateway are asked; three misses in a row is a failure.
 */
export function startWatchdog(kube: KubeClient, gatewayUrl: string, everyMs = 5_000) {
  const timeoutMs = Math.max(100, everyMs - 100);
  let report!: (error: PlatformError) => void;
  const failure = new Promise<PlatformError>((resolve) => (report = resolve));
  const misses: Record<string, number> = {};
  const check = async (part: PartName, probe: () => Promise<unknown>) => {
    try {
      // A probe that hangs (a wedged event loop, a half-open connection) counts as a miss too.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([probe(), timeout]).finally(() => clearTimeout(timer));
      misses[part] = 0;
    } catch (error) {
      misses[part] = (misses[part] ?? 0) + 1;
      if (misses[part] >= 3) report(new PlatformError(part, `stopped answering: ${describeCause(error)}`));
    }
  };
  const timer = setInterval(() => {
    void check('api server', () => kube.resource(Resources.Namespace).get(undefined, 'default'));
    void check('gateway', async () => {
      const res = await fetch(`${gatewayUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`GET /health: HTTP ${res.status}`);
    });
  }, everyMs);
  timer.unref();
  return { failure, stop: () => clearInterval(timer) };
}
