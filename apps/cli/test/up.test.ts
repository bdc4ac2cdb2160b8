/**
 * `kruise-agents up` in-process (startPlatform, what the command runs) in a temp data dir on free ports: the real JS
 * SDKs create from "demo", run a command, move a file and run code on code-interpreter-v1; kubectl applies the user
 * document's SandboxClaim; and a restart on the same data dir keeps the sandbox, its files and the API key.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Sandbox } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import { waitForPools } from '../src/platform/progress';
import { startPlatform, type Platform } from '../src/platform/start-platform';

const run = promisify(execFile);
const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

let dataDir: string;
let platform: Platform | undefined;
const sdk = (p: Platform) => ({
  apiKey: p.env.E2B_API_KEY,
  apiUrl: p.env.E2B_API_URL,
  sandboxUrl: p.env.E2B_SANDBOX_URL,
});
// A /20 of our own above 127.128: other suites run local nodes on this machine at the same time (see ipRangeFor).
const ipRange = {
  base: `127.${128 + Math.floor(Math.random() * 127)}.${Math.floor(Math.random() * 16) * 16}.0`,
  prefix: 20,
};
const start = () => startPlatform({ dataDir, apiPort: 0, gatewayPort: 0, poolSize: 1, ipRange });
const kubectl = (p: Platform, ...args: string[]) =>
  run('kubectl', ['--kubeconfig', p.kubeconfigPath, ...args], { timeout: 20_000 }).then((r) => r.stdout);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kruise-agents-up-'));
  platform = await start();
  await waitForPools(platform.kube, () => undefined, { timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await platform?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('kruise-agents up', () => {
  it('writes e2b.env (0600) and the kubeconfig', () => {
    const env = fs.readFileSync(path.join(dataDir, 'e2b.env'), 'utf8');
    expect(env).toBe(
      `E2B_API_URL=${platform!.env.E2B_API_URL}\nE2B_SANDBOX_URL=${platform!.env.E2B_SANDBOX_URL}\n` +
        `E2B_DOMAIN=${platform!.env.E2B_DOMAIN}\nE2B_API_KEY=${platform!.env.E2B_API_KEY}\n`,
    );
    expect(platform!.env.E2B_API_KEY).toMatch(/^e2b_[0-9a-f]{40}$/);
    expect(fs.statSync(path.join(dataDir, 'e2b.env')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(platform!.kubeconfigPath, 'utf8')).toContain(platform!.apiServerUrl);
  });

  let kept: string;

  it('creates from "demo" with the JS SDK: commands and files', async () => {
    const sbx = await Sandbox.create('demo', sdk(platform!));
    const result = await sbx.commands.run('echo up $((6*7))');
    expect(result.stdout).toBe('up 42\n');
    await sbx.files.write('/home/user/kept.txt', 'survives a restart');
    expect(await sbx.files.read('/home/user/kept.txt')).toBe('survives a restart');
    kept = sbx.sandboxId;
  }, 30_000);

  it('runs code on code-interpreter-v1, the SDK default template', async () => {
    const ci = await CodeInterpreter.create(sdk(platform!));
    const execution = await ci.runCode('x = 20\nx * 2 + 2');
    expect(execution.text).toBe('42');
    expect((await ci.getInfo()).templateId).toBe('code-interpreter-v1');
    await ci.kill();
  }, 30_000);

  it('claims with the user document SandboxClaim through kubectl', async () => {
    await kubectl(platform!, 'apply', '-f', path.join(EXAMPLES, 'kubectl/claim.yaml'));
    const deadline = Date.now() + 30_000;
    let table = '';
    while (!/demo-sandbox-claim\s+Completed\s+demo\s+1\s+1/.test(table)) {
      if (Date.now() > deadline) throw new Error(`claim not Completed:\n${table}`);
      await new Promise((r) => setTimeout(r, 250));
      table = await kubectl(platform!, 'get', 'sbc');
    }
    expect(table).toMatch(/^NAME\s+PHASE\s+TEMPLATE\s+DESIRED\s+CLAIMED\s+AGE/);
    const sandboxes = await kubectl(platform!, 'get', 'sbx', '-l', 'agents.kruise.io/claim-name=demo-sandbox-claim');
    expect(sandboxes).toMatch(/^NAME\s+STATUS\s+AGE\s+SHUTDOWN_TIME\s+PAUSE_TIME\s+MESSAGE\n\S+\s+Running/);

    // The pool declares the agent-runtime, so the claimed sandbox's runtime was given its own token: it answers
    // only to that token.
    const [sandbox] = JSON.parse(
      await kubectl(platform!, 'get', 'sbx', '-l', 'agents.kruise.io/claim-name=demo-sandbox-claim', '-o', 'json'),
    ).items as Array<{
      metadata: { annotations?: Record<string, string> };
      status: { podInfo: { podIP: string }; conditions?: Array<{ type: string; status: string }> };
    }>;
    const token = sandbox!.metadata.annotations?.['agents.kruise.io/runtime-access-token'];
    expect(token).toBeTruthy();
    expect(sandbox!.status.conditions?.find((c) => c.type === 'RuntimeInitialized')?.status).toBe('True');
    const envs = (headers: Record<string, string>) =>
      fetch(`http://${sandbox!.status.podInfo.podIP}:49983/envs`, { headers }).then((r) => r.status);
    expect(await envs({})).toBe(401);
    expect(await envs({ 'x-access-token': token! })).toBe(200);
  }, 40_000);

  it('keeps the sandbox, its files, the claim and the key across a restart', async () => {
    const key = platform!.env.E2B_API_KEY;
    await platform!.close();
    platform = undefined;
    platform = await start();
    expect(platform.keyCreated).toBe(false);
    expect(platform.env.E2B_API_KEY).toBe(key);
    const sbx = await Sandbox.connect(kept, sdk(platform));
    expect(await sbx.files.read('/home/user/kept.txt')).toBe('survives a restart');
    expect((await sbx.commands.run('echo back')).stdout).toBe('back\n');
    expect(await kubectl(platform, 'get', 'sbc')).toMatch(/demo-sandbox-claim\s+Completed/);
    await sbx.kill();
  }, 60_000);
});
