/** The kubeconfig a server hands out: one cluster, one user with the bearer token, one context. */
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  token: string;
  caData?: string;
  /** insecure-skip-tls-verify: client-node refuses a plain http server without it. */
  insecure?: boolean;
  name?: string;
}

export function buildKubeconfig({ server, token, caData, insecure, name = 'kube-lite' }: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server,
          ...(caData ? { 'certificate-authority-data': caData } : {}),
          ...(insecure ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
