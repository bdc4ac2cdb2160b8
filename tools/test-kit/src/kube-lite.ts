import path from 'node:path';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { startApiServer, type ApiServer, type ApiServerOptions } from '@kruise-agents/kube-lite';
import { KubeClient } from '@kruise-agents/kube-runtime';
import { makeTempDir } from './temp-dir';

/** A kube-lite serving the CRDs, a client of it, and a temp dir for what the test keeps on disk. */
export interface KubeLite {
  api: ApiServer;
  /** A client built from the server's kubeconfig, as the components under test build theirs. */
  kube: KubeClient;
  /** Empty at start (but for the kubeconfig), e.g. a local node's data dir; removed by close(). */
  dir: string;
  /** The kubeconfig as a file in `dir`, for child processes. */
  kubeconfigPath: string;
  /** Closes the client and the server, then removes `dir`: stop what runs against the server (nodes, operators) first. */
  close(): Promise<void>;
}

/** Starts kube-lite (in memory, a free port) with every CRD installed; `name` names the temp dir. */
export async function startKubeLite(name: string, options: Omit<ApiServerOptions, 'crds'> = {}): Promise<KubeLite> {
  const api = await startApiServer({ crds: buildAllCustomResourceDefinitions(), ...options });
  const dir = makeTempDir(name);
  const kubeconfigPath = path.join(dir.path, 'kubeconfig');
  await api.writeKubeconfig(kubeconfigPath);
  const kube = KubeClient.fromSource({ kubeconfigYaml: api.kubeconfig });
  return {
    api,
    kube,
    dir: dir.path,
    kubeconfigPath,
    async close() {
      kube.close();
      await api.close();
      dir.remove();
    },
  };
}
