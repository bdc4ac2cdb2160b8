// A claimed sandbox's runtime that comes back as a new process — its container crashed and the local node restarted
// it, or the local node itself was restarted — holds neither the claim's token nor its env vars. End to end (kube-lite,
// a local node running every pod as a real agent-runtime process, the operator): the Sandbox controller sees the new
// containerID, replays the recorded /init before the sandbox is Ready again, and the runtime again requires the same
// token and has the env vars. On runtime-stack.ts, like runtime-init.test.ts: its node runs processes.
import { describe, expect, it } from '@jest/globals';
import { API_VERSION, Labels, type SandboxClaim } from '@kruise-agents/api';
import { Resources, type ContainerStatus, type Pod } from '@kruise-agents/kube-runtime';
import { ENVD_PORT, podDirectory } from '@kruise-agents/local-node';
import { recordWatch, recordedPid, sandboxSetManifest } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { condition, runtimeGet, startRuntimeStack, tokenOf, waitFor, type SandboxObject } from './runtime-stack';

const stack = fileFixture(() => startRuntimeStack('runtime-restart'));

/** The runtime's container status: the pool's one container, `main`, runs the agent-runtime. */
const runtimeStatus = (pod: Pod) =>
  pod.status?.containerStatuses?.find((c) => c.name === 'main') as
    (ContainerStatus & { containerID?: string }) | undefined;
const initialisedIn = (containerID: string | undefined) => `initialised in container ${containerID}`;

/**
 * A one-sandbox pool running the agent-runtime, claimed with `envVars`; resolves with the claimed sandbox. With
 * `probe`, its pod is Ready once envd answers /health; without, the moment the process starts.
 */
async function claimOne(name: string, envVars: Record<string, string>, probe = true): Promise<SandboxObject> {
  const readinessProbe = { httpGet: { path: '/health', port: ENVD_PORT }, periodSeconds: 1 };
  await stack.kube
    .resource(Resources.SandboxSet)
    .create(sandboxSetManifest({ name, replicas: 1, container: probe ? { readinessProbe } : {} }));
  await waitFor(`${name} to have a sandbox available`, async () => {
    const set = await stack.kube.resource(Resources.SandboxSet).get('default', name);
    return (set.status?.availableReplicas ?? 0) >= 1;
  });
  await stack.claims.create({
    apiVersion: API_VERSION,
    kind: 'SandboxClaim',
    metadata: { namespace: 'default', name },
    spec: { templateName: name, envVars } as SandboxClaim['spec'],
  });
  await waitFor(`claim ${name} to complete`, async () => {
    const claim = await stack.claims.get('default', name);
    return claim.status?.phase === 'Completed' && claim.status.claimedReplicas === 1;
  });
  const [sandbox] = (await stack.sandboxes.list('default', { labelSelector: `${Labels.ClaimName}=${name}` })).items;
  return sandbox!;
}

interface Seen {
  ready?: string;
  init?: string;
  initMessage?: string;
}

/** Every status the sandbox goes through from `from` on, until `stop()`. */
const watchStatuses = (from: SandboxObject) =>
  recordWatch(stack.sandboxes, from, (s): Seen => {
    const init = condition(s, 'RuntimeInitialized');
    return { ready: condition(s, 'Ready')?.status, init: init?.reason, initMessage: init?.message };
  });

/**
 * The sandbox once its runtime runs as a process other than `before`'s and it is Ready for that one (its condition
 * names it), with the pod it runs in. Ready alone would not do: without a readiness probe the pod stays Ready through
 * the restart, and the sandbox's Ready is the old process's until the operator has seen the new one.
 */
async function readyOnNewProcess(before: SandboxObject, beforePod: Pod) {
  const name = before.metadata.name!;
  const oldID = runtimeStatus(beforePod)?.containerID;
  return waitFor(`${name}'s runtime to run as a new process, and the sandbox to be Ready for it`, async () => {
    const pod = await stack.pods.get('default', name);
    const s = await stack.sandboxes.get('default', name);
    const id = runtimeStatus(pod)?.containerID;
    const running = runtimeStatus(pod)?.state?.running !== undefined;
    const ready = condition(s, 'Ready')?.status;
    const init = condition(s, 'RuntimeInitialized')?.message;
    if (id && id !== oldID && running && ready === 'True' && init === initialisedIn(id)) return { sandbox: s, pod };
    // Thrown, so that a timeout tells where it stopped.
    throw new Error(`pod: ${id} (running: ${running}); sandbox: Ready ${ready}, RuntimeInitialized "${init}"`);
  });
}

/**
 * What the runtime must do again: require the sandbox's token (401 without it) and hold the claim's env vars; the
 * condition names the process that got them. And Ready never said True while the re-init was outstanding: no status
 * is Ready with RuntimeInitialized not True, and once a status showed the restart (not Ready, or naming the new
 * process), none is Ready for the old process again.
 */
async function expectInitialisedAgain(
  after: { sandbox: SandboxObject; pod: Pod },
  before: Pod,
  expected: { token: string; greeting: string },
  seen: Seen[],
) {
  const { sandbox, pod } = after;
  const oldID = runtimeStatus(before)?.containerID;
  const newID = runtimeStatus(pod)?.containerID;
  expect(tokenOf(sandbox)).toBe(expected.token);
  expect((await runtimeGet(sandbox, '/envs')).status).toBe(401);
  const envs = await runtimeGet(sandbox, '/envs', expected.token);
  expect(envs.status).toBe(200);
  expect(JSON.parse(envs.text)).toMatchObject({ GREETING: expected.greeting });
  expect(condition(sandbox, 'RuntimeInitialized')).toMatchObject({
    status: 'True',
    reason: 'Succeeded',
    message: initialisedIn(newID),
  });

  expect(seen.filter((s) => s.ready === 'True' && s.init !== 'Succeeded')).toEqual([]);
  const noticed = seen.findIndex((s) => s.ready !== 'True' || s.initMessage === initialisedIn(newID));
  expect(noticed).toBeGreaterThanOrEqual(0);
  const readyForOld = seen.slice(noticed).filter((s) => s.ready === 'True' && s.initMessage === initialisedIn(oldID));
  expect(readyForOld).toEqual([]);
}

/** Kills the runtime's process group (pid from the node's state file) as an OOM kill would: no chance to clean up. */
function killRuntime(pod: Pod) {
  const pid = recordedPid(podDirectory(stack.cluster.dir, 'default', pod.metadata.name!, pod.metadata.uid!), 'main');
  expect(pid).toBeGreaterThan(0);
  process.kill(-pid!, 'SIGKILL');
}

describe('a claimed sandbox whose runtime comes back as a new process is initialised again', () => {
  // Without a readiness probe the node reports the restarted container Ready the moment it starts (often in the same
  // status write as the crash): then only the operator holds the sandbox's Ready back.
  it.each([
    ['with a readiness probe', 'crash-probed', true],
    ['without a readiness probe', 'crash-unprobed', false],
  ])(
    'after a crash the node restarted (%s): same token required, same env vars, not Ready before',
    async (_, name, probe) => {
      const before = await claimOne(name, { GREETING: 'after the crash' }, probe);
      const token = tokenOf(before);
      const beforePod = await stack.pods.get('default', before.metadata.name!);
      const oldID = runtimeStatus(beforePod)?.containerID;
      expect(oldID).toBeTruthy();
      // The claim recorded the process its /init reached.
      expect(condition(before, 'RuntimeInitialized')?.message).toBe(initialisedIn(oldID));
      expect((await runtimeGet(before, '/envs')).status).toBe(401);

      const watch = watchStatuses(before);
      killRuntime(beforePod);
      const after = await readyOnNewProcess(before, beforePod);
      await watch.stop();
      // The same pod (the node restarted the container), its IP kept.
      expect(after.pod.metadata.uid).toBe(beforePod.metadata.uid);
      expect(after.sandbox.status?.podInfo?.podIP).toBe(before.status?.podInfo?.podIP);
      expect(runtimeStatus(after.pod)?.restartCount).toBe((runtimeStatus(beforePod)?.restartCount ?? 0) + 1);
      await expectInitialisedAgain(after, beforePod, { token, greeting: 'after the crash' }, watch.seen);
    },
  );

  it('after a restart of the local node, which starts its pods’ containers again', async () => {
    const before = await claimOne('node-restart', { GREETING: 'after the node' });
    const token = tokenOf(before);
    const beforePod = await stack.pods.get('default', before.metadata.name!);
    const watch = watchStatuses(before);

    // As `kruise-agents up` restarting: the node stops every process, and the next one starts them again.
    await stack.restartNode();

    const after = await readyOnNewProcess(before, beforePod);
    await watch.stop();
    expect(after.pod.metadata.uid).toBe(beforePod.metadata.uid);
    expect(runtimeStatus(after.pod)?.restartCount).toBe((runtimeStatus(beforePod)?.restartCount ?? 0) + 1);
    await expectInitialisedAgain(after, beforePod, { token, greeting: 'after the node' }, watch.seen);
  });
});
