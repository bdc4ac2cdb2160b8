/**
 * The README quickstart, run as a user runs it: `npx kruise-agents up` in a fresh data dir, then the user document's
 * examples verbatim — Python (PyPI SDKs in a virtualenv), JS, and the SandboxClaim YAMLs with kubectl — with the SDKs
 * configured by sourcing <data-dir>/e2b.env; then `status`, the errors a second `up` must give, and `down`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLES } from '../src/paths';
import { UpProcess, bash, cli, freePort, withE2bEnv, type Outcome } from '../src/processes';
import { ensureVenv } from '../src/venv';

let dataDir: string;
let up: UpProcess;
let port: number;
let python: string;
let pythonBeta: string;
let sandboxesBeforeDown: string[] = [];

const ok = (outcome: Outcome) => {
  if (outcome.code !== 0) throw new Error(`exit ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
  // Without ANSI colours: under nx, FORCE_COLOR makes console.log colour the objects the JS examples print.
  return outcome.stdout.replace(/\x1b\[[0-9;]*m/g, '');
};
const kubectl = (args: string) => bash(`kubectl --kubeconfig '${dataDir}/kubeconfig' ${args}`, { timeoutMs: 30_000 });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kruise-agents-e2e-up-'));
  port = await freePort();
  const apiPort = await freePort();
  const began = performance.now();
  up = new UpProcess(`--data-dir '${dataDir}' --port ${port} --api-port ${apiPort}`);
  // The virtualenvs are made while up starts (the first time only; then they are reused).
  const venvs = Promise.all([
    ensureVenv('kruise-agents-e2e-up-py', path.join(EXAMPLES, 'python/requirements.txt')),
    ensureVenv('kruise-agents-e2e-up-py-beta-create', path.join(EXAMPLES, 'python/requirements-beta-create.txt')),
  ]);
  await up.waitFor(/pools\s+filled in/, 90_000);
  console.log(`npx kruise-agents up → pools filled: ${Math.round(performance.now() - began)} ms`);
  [python, pythonBeta] = await venvs;
}, 300_000);

afterAll(async () => {
  if (up && up.child.exitCode === null) {
    await cli(`down --data-dir '${dataDir}'`);
    await up.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

describe('what up prints and writes', () => {
  it('prints the SDK configuration to paste, and writes it to e2b.env', () => {
    const env = fs.readFileSync(path.join(dataDir, 'e2b.env'), 'utf8');
    expect(env).toMatch(
      new RegExp(
        `^E2B_API_URL=http://127.0.0.1:${port}\nE2B_SANDBOX_URL=http://127.0.0.1:${port}\n` +
          `E2B_DOMAIN=localhost:${port}\nE2B_API_KEY=e2b_[0-9a-f]{40}\n$`,
      ),
    );
    for (const line of env.trim().split('\n')) expect(up.stdout).toContain(`  ${line}\n`);
    expect(up.stdout).toContain(`set -a; source ${dataDir}/e2b.env; set +a`);
  });
});

describe('the Python examples (PyPI e2b, e2b-code-interpreter)', () => {
  const py = (file: string, interpreter = () => python) =>
    withE2bEnv(dataDir, `'${interpreter()}' examples/python/${file}`, 90_000).then(ok);

  it('get_sandbox.py: create from "demo" and print its info', async () => {
    expect(await py('get_sandbox.py')).toMatch(/SandboxInfo\(sandbox_id='\w+'.*template_id='demo'/);
  }, 120_000);

  it('timeout.py: create with timeout=600', async () => {
    await py('timeout.py');
    const sandboxes = ok(await kubectl('get sbx -o jsonpath={.items[*].spec.shutdownTime}'));
    expect(sandboxes).toMatch(/\d{4}-\d\d-\d\dT/);
  }, 120_000);

  it('auto_pause.py: beta_create with auto_pause=True (e2b 2.22)', async () => {
    await py('auto_pause.py', () => pythonBeta);
  }, 120_000);

  it('metadata.py: metadata and a SandboxQuery list', async () => {
    expect(await py('metadata.py')).toMatch(/^\[SandboxInfo\(.*metadata=\{'userId': 'alice'\}/);
  }, 120_000);

  it('run_code.py: the code interpreter (code-interpreter-v1)', async () => {
    expect(await py('run_code.py')).toBe('2\n');
  }, 120_000);
});

describe('the same flows with the JS SDK', () => {
  const js = (file: string) => withE2bEnv(dataDir, `node examples/js/${file}`, 90_000).then(ok);

  it('get-sandbox.mjs', async () => {
    expect(await js('get-sandbox.mjs')).toMatch(/templateId: 'demo'/);
  }, 120_000);

  it('timeout.mjs and auto-pause.mjs', async () => {
    await js('timeout.mjs');
    await js('auto-pause.mjs');
  }, 120_000);

  it('metadata.mjs', async () => {
    expect(await js('metadata.mjs')).toMatch(/metadata: \{ userId: 'alice' \}/);
  }, 120_000);

  it('run-code.mjs', async () => {
    expect(await js('run-code.mjs')).toBe('2\n');
  }, 120_000);
});

describe('SandboxClaims with kubectl', () => {
  const claimed = '-l agents.kruise.io/claim-name=demo-sandbox-claim';

  /** Applies a YAML from the user document and waits for `kubectl get sbc` to show it Completed. */
  async function claim(file: string): Promise<string> {
    ok(await kubectl(`apply -f examples/kubectl/${file}`));
    const deadline = Date.now() + 90_000;
    for (;;) {
      const table = ok(await kubectl('get sbc'));
      if (/demo-sandbox-claim\s+Completed\s+demo/.test(table)) return table;
      if (Date.now() > deadline) throw new Error(`not Completed:\n${table}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** The claim and its sandboxes go, so that the next YAML (same claim name) starts clean. */
  async function cleanUp(): Promise<void> {
    ok(await kubectl('delete sbc demo-sandbox-claim --ignore-not-found'));
    ok(await kubectl(`delete sbx ${claimed} --wait=false`));
  }

  it('claim.yaml: one sandbox, listed by its claim-name label', async () => {
    const table = await claim('claim.yaml');
    expect(table).toMatch(
      /^NAME\s+PHASE\s+TEMPLATE\s+DESIRED\s+CLAIMED\s+AGE\ndemo-sandbox-claim\s+Completed\s+demo\s+1\s+1/,
    );
    const sandboxes = ok(await kubectl(`get sbx ${claimed}`));
    expect(sandboxes).toMatch(/^NAME\s+STATUS\s+AGE\s+SHUTDOWN_TIME\s+PAUSE_TIME\s+MESSAGE\ndemo-\w+\s+Running/);
    await cleanUp();
  }, 120_000);

  it('claim-batch.yaml: ten sandboxes, delivered as the pool refills', async () => {
    const table = await claim('claim-batch.yaml');
    expect(table).toMatch(/demo-sandbox-claim\s+Completed\s+demo\s+10\s+10/);
    const names = ok(await kubectl(`get sbx ${claimed} -o name`))
      .trim()
      .split('\n');
    expect(names).toHaveLength(10);
    await cleanUp();
  }, 120_000);

  it('claim-metadata.yaml: labels and annotations on the claimed sandbox', async () => {
    await claim('claim-metadata.yaml');
    const out = ok(await kubectl(`get sbx ${claimed},userId=alice -o jsonpath={.items[*].metadata.annotations.foo}`));
    expect(out).toBe('bar');
    await cleanUp();
  }, 120_000);

  it('claim-shutdown-time.yaml: its (past) shutdownTime deletes the claimed sandbox', async () => {
    await claim('claim-shutdown-time.yaml');
    const deadline = Date.now() + 30_000;
    while (ok(await kubectl(`get sbx ${claimed} -o name`)).trim() !== '') {
      if (Date.now() > deadline) throw new Error('the sandbox past its shutdownTime is still there');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await cleanUp();
  }, 120_000);
});

describe('the README variant', () => {
  it('claim-shutdown-time.yaml with a shutdownTime five minutes ahead (the sed line of the README)', async () => {
    const applied = await bash(
      `sed "s/2026-02-06T07:33:30Z/$(date -u -d '+5 min' +%FT%TZ)/" examples/kubectl/claim-shutdown-time.yaml | ` +
        `kubectl --kubeconfig '${dataDir}/kubeconfig' apply -f -`,
    );
    ok(applied);
    const deadline = Date.now() + 60_000;
    let shutdown = '';
    while (!shutdown) {
      if (Date.now() > deadline) throw new Error('no claimed sandbox with a shutdownTime');
      await new Promise((resolve) => setTimeout(resolve, 500));
      shutdown = ok(
        await kubectl(
          'get sbx -l agents.kruise.io/claim-name=demo-sandbox-claim -o jsonpath={.items[*].spec.shutdownTime}',
        ),
      ).trim();
    }
    const ms = Date.parse(shutdown) - Date.now();
    expect(ms).toBeGreaterThan(3 * 60_000);
    expect(ms).toBeLessThan(6 * 60_000);
    ok(await kubectl('delete sbc demo-sandbox-claim'));
  }, 90_000);
});

describe('status, a second up, down', () => {
  it('status shows the pools, the claims and the sandboxes', async () => {
    sandboxesBeforeDown = ok(await kubectl('get sbx -o name'))
      .trim()
      .split('\n')
      .sort();
    const out = ok(await cli(`status --data-dir '${dataDir}'`));
    expect(out).toMatch(/POOL\s+NAMESPACE\s+AVAILABLE\s+DESIRED\s+IN POOL\ncode-interpreter-v1\s+default\s+\d+\s+2/);
    expect(out).toMatch(/sandboxes: \d+ \(creating \d+, available \d+, running \d+, paused \d+, dead \d+/);
  }, 60_000);

  it('a second up on the same data dir, or on a busy port, says why it cannot start', async () => {
    const again = await cli(`up --data-dir '${dataDir}' --port 0 --api-port 0`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /kruise-agents up is already running on .* \(pid \d+\): `kruise-agents down` stops it/,
    );
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kruise-agents-e2e-up-busy-'));
    try {
      const busy = await cli(`up --data-dir '${other}' --port ${port} --api-port 0`);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is busy: stop what holds it or pass --port`);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('down stops up cleanly', async () => {
    const out = ok(await cli(`down --data-dir '${dataDir}'`, 90_000));
    expect(out).toMatch(/stopped in [\d.]+ s/);
    expect(await up.exited).toBe(0);
    expect(up.stdout).toContain('stopped; `kruise-agents up` with the same data dir brings everything back');
    expect(
      ok(await cli(`status --data-dir '${dataDir}'`).then((o) => ({ ...o, code: o.code === 3 ? 0 : o.code }))),
    ).toMatch(/not running/);
  }, 120_000);
});

describe('a restart on the same data dir', () => {
  it('brings back the sandboxes, the claims and the key; Ctrl-C stops it', async () => {
    const env = fs.readFileSync(path.join(dataDir, 'e2b.env'), 'utf8');
    up = new UpProcess(`--data-dir '${dataDir}' --port ${port} --api-port 0`);
    await up.waitFor(/pools\s+filled in/, 90_000);
    expect(up.stdout).toMatch(/API key\s+ready in \d+ ms — kept from e2b\.env/);
    expect(up.stdout).toMatch(/sandboxes\s+ready in \d+ ms — \d+ running again\n/);
    expect(fs.readFileSync(path.join(dataDir, 'e2b.env'), 'utf8')).toBe(env);
    expect(
      ok(await kubectl('get sbx -o name'))
        .trim()
        .split('\n')
        .sort(),
    ).toEqual(sandboxesBeforeDown);
    // The sandbox the Python metadata example created answers again, through the SDK, with the same key.
    const script = [
      'from e2b import Sandbox, SandboxQuery',
      's = Sandbox.list(query=SandboxQuery(metadata={"userId": "alice"})).next_items()[0]',
      'print(Sandbox.connect(s.sandbox_id).commands.run("echo back").stdout)',
    ].join('\n');
    expect(ok(await withE2bEnv(dataDir, `'${python}' -c '${script}'`))).toBe('back\n\n');
    // Ctrl-C: SIGINT to up, as the terminal sends it.
    const pid = Number(fs.readFileSync(path.join(dataDir, 'up.pid'), 'utf8'));
    process.kill(pid, 'SIGINT');
    expect(await up.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'up.pid'))).toBe(false);
  }, 180_000);
});
