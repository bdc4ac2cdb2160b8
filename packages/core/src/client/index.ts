/**
 * @kruise-agents/core/client: the I/O half of pool allocation, on @kruise-agents/kube-runtime. The claim executor
 * (shared by the operator, the gateway and programs) and a typed client over the CRDs.
 */
export * from './errors';
export * from './change-feed';
export * from './readiness';
export * from './sandbox-cache';
export * from './claimer';
export * from './sandbox-client';
export * from './runtime-client';
export * from './volume-mounts';
