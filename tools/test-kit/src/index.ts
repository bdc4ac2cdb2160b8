/**
 * What the integration tests and the benchmarks share, so that each starts kube-lite, polls and cleans up the same
 * way. Jest hooks are apart, in `test-kit/jest`.
 */
export { startAgentRuntimeProcess, type AgentRuntimeProcess } from './agent-runtime-process';
export { createHostVolume, type HostVolume } from './host-volume';
export { startKubeLite, type KubeLite } from './kube-lite';
export { ownLoopbackRange } from './loopback-range';
export { processNodeOptions, recordedPid } from './process-node';
export { sandboxSetManifest, type SandboxSetInput } from './sandbox-set';
export { awaitOutput, spawnSource, stopProcess } from './source-process';
export { makeTempDir, type TempDir } from './temp-dir';
export { sleep, waitFor } from './wait-for';
export { recordWatch, type WatchRecord } from './watch-record';
