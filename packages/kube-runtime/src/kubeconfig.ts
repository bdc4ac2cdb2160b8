import { KubeConfig } from '@kubernetes/client-node';

export type { KubeConfig };

/** Where to find the cluster: a kubeconfig file, its YAML, or the usual defaults (KUBECONFIG, ~/.kube, in-cluster). */
export interface KubeConfigSource {
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  context?: string;
}

export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfigYaml !== undefined) kc.loadFromString(source.kubeconfigYaml);
  else if (source.kubeconfigPath !== undefined) kc.loadFromFile(source.kubeconfigPath);
  else kc.loadFromDefault();
  if (source.context) kc.setCurrentContext(source.context);
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig names no current cluster');
  return kc;
}
