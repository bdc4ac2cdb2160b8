/**
 * The Node object, where the API server serves nodes (a real one does; kube-lite may not): registered at start with
 * the node's labels and a Ready condition, and its heartbeat renewed while the node runs. Where nodes are not
 * served, the local node simply runs without one.
 */
import {
  KubeApiError,
  isAlreadyExists,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '@kruise-agents/kube-runtime';
import { rfc3339 } from './time';

interface NodeObject extends KubeObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const NodeType: ResourceType<NodeObject> = {
  group: '',
  version: 'v1',
  plural: 'nodes',
  kind: 'Node',
  namespaced: false,
};

/** Where the API server reaches this node's log endpoint (kube-apiserver: the kubelet's port on an address below). */
export interface NodeEndpoint {
  kubeletPort: number;
}

function readyStatus(now: string, mode: string, endpoint: NodeEndpoint): Record<string, unknown> {
  return {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        message: `kruise-agents local node is posting ready status (${mode} mode)`,
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'localhost' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: endpoint.kubeletPort } },
    capacity: { pods: '1000000', cpu: '1000', memory: '1Ti' },
    allocatable: { pods: '1000000', cpu: '1000', memory: '1Ti' },
    nodeInfo: {
      kubeletVersion: 'kruise-agents-local-node',
      operatingSystem: process.platform,
      architecture: process.arch,
    },
  };
}

/** Registers the node; resolves to false when the API server serves no nodes. */
export async function registerNode(
  client: KubeClient,
  name: string,
  labels: Record<string, string>,
  mode: string,
  endpoint: NodeEndpoint,
): Promise<boolean> {
  const nodes = client.resource(NodeType);
  try {
    await nodes.listPage(undefined, { limit: 1 });
  } catch (error) {
    if (error instanceof KubeApiError && (error.status === 404 || error.status === 405)) return false;
    throw error;
  }
  try {
    await nodes.create({ metadata: { name, labels }, spec: {} });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await nodes.patch(undefined, name, 'merge', { metadata: { labels } });
  }
  await heartbeat(client, name, mode, endpoint);
  return true;
}

export async function heartbeat(client: KubeClient, name: string, mode: string, endpoint: NodeEndpoint): Promise<void> {
  const now = rfc3339();
  await client
    .resource(NodeType)
    .patch(undefined, name, 'merge', { status: readyStatus(now, mode, endpoint) }, { subresource: 'status' });
}
