/** The kubeconfig a server hands out: one cluster, one user with the bearer token, one context. */
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  token: string;
  caData?: string;
  name?: string;
}

export function buildKubeconfig({ server, token, caData, name = 'kube-lite' }: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, ...(caData ? { 'certificate-authority-data': caData } : {}) } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
