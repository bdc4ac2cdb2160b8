/**
 * @kruise-agents/local-node: the kubelet of Kruise Agents' embedded mode. startLocalNode watches Pods through any
 * Kubernetes API server (kube-lite or a real one) and runs them on this machine: processes on their own loopback IPs,
 * isolated with bubblewrap when available, or virtual pods for scale tests.
 */
export { startLocalNode, type LocalNode } from './node';
export { agentRuntimeCommand, defaultDataDir, defaultIpRange, defaultNodeName, type LocalNodeOptions } from './options';
export {
  CODE_INTERPRETER_PORT,
  ENVD_PORT,
  FROZEN_ANNOTATION,
  LOCAL_NODE_LABEL,
  PodConditions,
  Reasons,
  type Isolation,
} from './constants';
export {
  ImageMap,
  ImageMapError,
  agentRuntimeMapping,
  loadImageMapFile,
  parseImageMap,
  type ImageMapConfig,
  type ImageMapping,
  type ResolvedImage,
} from './image-map';
export { DEFAULT_IP_RANGE, IpAllocator, IpRangeExhaustedError, type IpRange } from './ip-allocator';
export { podStatusFor, phaseFor, type ObservedContainer, type ObservedPod, type ContainerState } from './pod-status';
export { KUBELET_BACKOFF, type Backoff } from './restart';
export { IsolationUnavailableError, bubblewrapAvailable, type IsolationChoice } from './process/bubblewrap';
export { podDirectory } from './state-store';
