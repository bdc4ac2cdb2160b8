/**
 * A local node that runs every pod as a real process, for a test: the options to start one with, and the pid it
 * records for a container. The shapes of local-node's options and state file, which test-kit does not import
 * (local-node's own tests use test-kit).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeLite } from './kube-lite';
import { ownLoopbackRange } from './loopback-range';

/**
 * Options for a process-mode node of `cluster`: its own loopback range (ownLoopbackRange), the cluster's temp dir as
 * its data dir, and a quick restart backoff and shutdown grace. Started again with the same object, a node keeps its
 * state files and its pods' IPs.
 */
export function processNodeOptions(cluster: KubeLite, nodeName: string) {
  return {
    kubeconfig: { yaml: cluster.api.kubeconfig },
    mode: 'process' as const,
    nodeName,
    ipRange: ownLoopbackRange(),
    dataDir: cluster.dir,
    concurrency: 16,
    restartBackoff: { initialMs: 200, maxMs: 1000 },
    shutdownGraceMs: 1000,
  };
}

/**
 * The pid of `container`'s live process (the leader of its process group) as the node's state file in `podDir`
 * (local-node's podDirectory) records it; undefined when it records none.
 */
export function recordedPid(podDir: string, container: string): number | undefined {
  const state = JSON.parse(readFileSync(path.join(podDir, 'state.json'), 'utf8')) as {
    containers: Array<{ name: string; record?: { pid: number } }>;
  };
  return state.containers.find((c) => c.name === container)?.record?.pid;
}
