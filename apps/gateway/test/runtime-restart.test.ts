// A sandbox created through the E2B SDK is initialised by the gateway itself (one claim write, then its own /init):
// no RuntimeInitialized condition names the process it reached. When that runtime comes back as a new process — its
// container crashed and the local node restarted it, or the node itself restarted, as with `kruise-agents up` — the
// operator must still replay the /init, or the SDK's access token is no longer enforced and the create's env vars are
// gone. End to end, with nothing stood in: kube-lite, a process-mode local node running real agent-runtimes, the
// operator, the gateway, and the `e2b` SDK: e2e-stack's platform, whose node restarts on the same data dir and
// loopback range (the pods keep their IPs).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Sandbox } from 'e2b';
import { Annotations, Labels, type Sandbox as SandboxResource } from '@kruise-agents/api';
import {
  Resources,
  type ContainerStatus,
  type KubeObject,
  type Pod,
  type ResourceClient,
} from '@kruise-agents/kube-runtime';
import { ENVD_PORT, podDirectory } from '@kruise-agents/local-node';
import { recordWatch, recordedPid, sandboxSetManifest, waitFor as pollFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { ensureNamespace } from '../src/auth/api-keys';
import { startPlatform } from './e2e-stack';

type SandboxObject = SandboxResource & KubeObject;

const TEAM = 'team-a';

const platform = fileFixture(() => startPlatform(), 60_000);

beforeAll(async () => {
  await ensureNamespace(platform.kube, TEAM);
  // With a readiness probe (the pod is not Ready while envd does not answer) and without (Ready the moment the process
  // starts, often in the same status write as the crash: then only the operator holds the sandbox's Ready back).
  const readinessProbe = { httpGet: { path: '/health', port: ENVD_PORT }, periodSeconds: 1 };
  const sets = platform.kube.resource(Resources.SandboxSet);
  await sets.create(
    sandboxSetManifest({ namespace: TEAM, name: 'probed', replicas: 1, container: { readinessProbe } }),
  );
  await sets.create(sandboxSetManifest({ namespace: TEAM, name: 'unprobed', replicas: 1 }));
});

/** test-kit's waitFor with 30 s by default: pods here are real processes sharing two cores with the rest. */
const waitFor: typeof pollFor = (what, check, timeoutMs = 30_000) => pollFor(what, check, timeoutMs);

const sandboxes = () => platform.kube.resource(Resources.Sandbox) as ResourceClient<SandboxObject>;
const pods = () => platform.kube.resource(Resources.Pod);
const condition = (s: SandboxObject, type: string) => s.status?.conditions?.find((c) => c.type === type);
/** The runtime's container status: the pool's one container, `main`, runs the agent-runtime. */
const runtimeStatus = (pod: Pod) =>
  pod.status?.containerStatuses?.find((c) => c.name === 'main') as
    (ContainerStatus & { containerID?: string }) | undefined;

async function createFrom(pool: string, envs: Record<string, string>): Promise<Sandbox> {
  await waitFor(`pool ${pool} to have a sandbox available`, async () => {
    const set = await platform.kube.resource(Resources.SandboxSet).get(TEAM, pool);
    return (set.status?.availableReplicas ?? 0) >= 1;
  });
  return Sandbox.create(pool, { ...platform.sdk, envs });
}

/** The Sandbox resource the gateway claimed for `sbx`, and its pod. */
async function resourcesOf(sbx: Sandbox): Promise<{ sandbox: SandboxObject; pod: Pod }> {
  const listed = await sandboxes().list(TEAM, { labelSelector: `${Labels.SandboxId}=${sbx.sandboxId}` });
  const sandbox = listed.items[0]!;
  return { sandbox, pod: await pods().get(TEAM, sandbox.metadata.name!) };
}

/**
 * The access token the SDK was given (the create's envdAccessToken: the SDK keeps its copy to itself and sends it on
 * every envd call), as the claim recorded it for replays.
 */
const tokenOf = (sandbox: SandboxObject) => {
  const token = sandbox.metadata.annotations?.[Annotations.RuntimeAccessToken];
  expect(token).toBeTruthy();
  return token!;
};

/** A data-plane request through the gateway to the sandbox's envd, with `token` as X-Access-Token when given. */
function envd(sbx: Sandbox, pathAndQuery: string, token?: string) {
  return fetch(`${platform.gateway.url}/kruise/${sbx.sandboxId}/${ENVD_PORT}${pathAndQuery}`, {
    headers: token === undefined ? {} : { 'x-access-token': token },
    signal: AbortSignal.timeout(5000),
  });
}

/** What must hold before and after the restart: the SDK's token works and is required, the env var is set. */
async function expectInitialised(sbx: Sandbox, token: string, greeting: string) {
  const result = await sbx.commands.run('echo "$GREETING"');
  expect(result.stdout).toBe(`${greeting}\n`);
  expect((await envd(sbx, '/envs')).status).toBe(401);
  expect((await envd(sbx, '/envs', 'not-the-token')).status).toBe(401);
  const envs = await envd(sbx, '/envs', token);
  expect(envs.status).toBe(200);
  expect(await envs.json()).toMatchObject({ GREETING: greeting });
}

interface Seen {
  ready?: string;
  seenProcess?: string;
  init?: string;
  initMessage?: string;
}

/** Every status the sandbox goes through from `from` on, until `stop()`. */
const watchStatuses = (from: SandboxObject) =>
  recordWatch(sandboxes(), from, (s): Seen => {
    const init = condition(s, 'RuntimeInitialized');
    return {
      ready: condition(s, 'Ready')?.status,
      seenProcess: s.status?.podInfo?.runtimeContainerID,
      init: init?.status,
      initMessage: init?.message,
    };
  });

/**
 * Resolves once the runtime runs as a process other than `oldID` and the operator has seen it (the status names it)
 * with the sandbox Ready again, and the gateway routes to it again. Ready alone would not do: without a readiness
 * probe the pod stays Ready through the restart, and the sandbox's Ready is the old process's until the operator has
 * seen the new one.
 */
async function readyOnNewProcess(sbx: Sandbox, oldID: string | undefined) {
  const after = await waitFor(`${sbx.sandboxId}'s runtime to run as a new process the operator has seen`, async () => {
    const { sandbox, pod } = await resourcesOf(sbx);
    const id = runtimeStatus(pod)?.containerID;
    const running = runtimeStatus(pod)?.state?.running !== undefined;
    const seenProcess = sandbox.status?.podInfo?.runtimeContainerID;
    const ready = condition(sandbox, 'Ready')?.status;
    if (id && id !== oldID && running && seenProcess === id && ready === 'True') return { sandbox, pod, id };
    // Thrown, so that a timeout tells where it stopped.
    throw new Error(`pod: ${id} (running: ${running}); sandbox: seen ${seenProcess}, Ready ${ready}`);
  });
  // The gateway's cache may lag the API server by a write: the sandbox is routed once it shows it Ready.
  await waitFor('the gateway to route to the sandbox again', async () => (await envd(sbx, '/health')).ok);
  return after;
}

/** Kills the runtime's process group (pid from the node's state file) as an OOM kill would: no chance to clean up. */
function killRuntime(pod: Pod) {
  const pid = recordedPid(podDirectory(platform.dataDir, TEAM, pod.metadata.name!, pod.metadata.uid!), 'main');
  expect(pid).toBeGreaterThan(0);
  process.kill(-pid!, 'SIGKILL');
}

/**
 * The create wrote nothing but the claim: no RuntimeInitialized. The baseline is the process the status named when
 * the claim was written (the claim is conditional on that status's resourceVersion), which the gateway's /init reached.
 */
async function expectClaimedOnItsProcess(sbx: Sandbox) {
  const { sandbox, pod } = await resourcesOf(sbx);
  expect(condition(sandbox, 'RuntimeInitialized')).toBeUndefined();
  const id = runtimeStatus(pod)?.containerID;
  expect(id).toBeTruthy();
  expect(sandbox.status?.podInfo?.runtimeContainerID).toBe(id);
  return { sandbox, pod, id };
}

/**
 * After the restart: the condition names the new process, and no status was Ready for the new process before the
 * /init reached it — the status names a new process only in the write that holds Ready back (Pending, while the pod
 * is not ready) or already records the re-init (when the pod was ready and the /init went out in the same pass).
 */
function expectNoticedBeforeReady(sandbox: SandboxObject, newID: string, seen: Seen[]) {
  expect(condition(sandbox, 'RuntimeInitialized')).toMatchObject({
    status: 'True',
    reason: 'Succeeded',
    message: `initialised in container ${newID}`,
  });
  const readyUninitialised = seen.filter(
    (s) => s.ready === 'True' && s.seenProcess === newID && s.initMessage !== `initialised in container ${newID}`,
  );
  expect(readyUninitialised).toEqual([]);
}

describe('a sandbox created through the E2B SDK whose runtime comes back as a new process is initialised again', () => {
  it.each([
    ['with a readiness probe', 'probed'],
    ['without a readiness probe', 'unprobed'],
  ])('after a crash the node restarted (%s): the SDK’s token required, its env vars kept', async (_, pool) => {
    const sbx = await createFrom(pool, { GREETING: `after a crash, ${pool}` });
    const before = await expectClaimedOnItsProcess(sbx);
    const token = tokenOf(before.sandbox);
    await expectInitialised(sbx, token, `after a crash, ${pool}`);

    const watch = watchStatuses(before.sandbox);
    killRuntime(before.pod);
    const after = await readyOnNewProcess(sbx, before.id);
    await watch.stop();
    // The same pod (the node restarted the container), its IP kept.
    expect(after.pod.metadata.uid).toBe(before.pod.metadata.uid);
    expect(runtimeStatus(after.pod)?.restartCount).toBe((runtimeStatus(before.pod)?.restartCount ?? 0) + 1);
    await expectInitialised(sbx, token, `after a crash, ${pool}`);
    expectNoticedBeforeReady(after.sandbox, after.id, watch.seen);
    await sbx.kill();
  });

  it('after a restart of the local node, which starts its pods’ containers again', async () => {
    const sbx = await createFrom('probed', { GREETING: 'after the node' });
    const before = await expectClaimedOnItsProcess(sbx);
    const token = tokenOf(before.sandbox);
    await expectInitialised(sbx, token, 'after the node');

    const watch = watchStatuses(before.sandbox);
    // As `kruise-agents up` restarting: the node stops every process, and the next one starts them again.
    await platform.restartNode();
    const after = await readyOnNewProcess(sbx, before.id);
    await watch.stop();
    expect(after.pod.metadata.uid).toBe(before.pod.metadata.uid);
    await expectInitialised(sbx, token, 'after the node');
    expectNoticedBeforeReady(after.sandbox, after.id, watch.seen);
    await sbx.kill();
  });
});
