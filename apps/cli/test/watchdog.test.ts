/** The watchdog names the part that stopped answering: here a real kube-lite that is shut down under it. */
import { describe, expect, it } from '@jest/globals';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { startApiServer } from '@kruise-agents/kube-lite';
import { KubeClient } from '@kruise-agents/kube-runtime';
import { startGateway } from '@kruise-agents/gateway';
import { startWatchdog } from '../src/platform/watchdog';

describe('the watchdog', () => {
  it('reports the api server once it stops answering, and not before', async () => {
    const server = await startApiServer({ storage: { kind: 'memory' }, crds: buildAllCustomResourceDefinitions() });
    const kube = KubeClient.fromSource({ kubeconfigYaml: server.kubeconfig });
    const gateway = await startGateway({ kubeconfigYaml: server.kubeconfig });
    const watchdog = startWatchdog(kube, gateway.url, 100);
    try {
      let reported: Error | undefined;
      void watchdog.failure.then((error) => (reported = error));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reported).toBeUndefined();
      await server.close();
      const error = await watchdog.failure;
      expect(error.part).toBe('api server');
      expect(error.message).toMatch(/^stopped answering: .* \(api server\)$/);
    } finally {
      watchdog.stop();
      await gateway.close();
      kube.close();
      await server.close();
    }
  }, 20_000);
});
