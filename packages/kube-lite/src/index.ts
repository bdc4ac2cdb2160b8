/**
 * @kruise-agents/kube-lite: an embeddable Kubernetes-compatible API server for running Kruise Agents (and testing it)
 * on one machine with no cluster. kubectl and @kubernetes/client-node talk to it as to kube-apiserver.
 */
export { startApiServer, type ApiServer, type ApiServerOptions, type StorageOptions } from './server';
export { buildKubeconfig, type KubeconfigInput } from './kubeconfig';
export { ApiError, type Status, type StatusReason, type StatusDetails, type FieldError } from './errors';
export type { KubeObject, ObjectMeta, OwnerReference, ResourceType, Schema, PrinterColumn } from './types';
export { selfSignedCertificate, type SelfSignedCertificate } from './tls/self-signed';
