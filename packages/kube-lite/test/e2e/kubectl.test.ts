/**
 * End to end with the real kubectl 1.32: the project's CRDs from the chart, a SandboxSet and a SandboxClaim, printer
 * columns, selectors, -w, patch, server-side apply, a stale replace, explain, finalizers, GC, and kill -9 + restart.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer } from '../../src/index';
import { eventually, kill9, kubectlFor, sleep, spawnDurableServer, tempDir, type Kubectl } from '../helpers';

const CRD_DIR = join(import.meta.dirname, '../../../../charts/kruise-agents/crds');
let server: ApiServer;
let kubectl: Kubectl;
let dir: { path: string; remove: () => Promise<void> };

const MANIFESTS = `apiVersion: agents.kruise.io/v1alpha1
kind: SandboxSet
metadata:
  name: pool-a
  labels:
    tier: gold
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: main
          image: busybox
---
apiVersion: agents.kruise.io/v1alpha1
kind: SandboxClaim
metadata:
  name: claim-a
  labels:
    tier: silver
spec:
  templateName: pool-a
`;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const header = (out: string) =>
  out
    .split('\n')[0]!
    .trim()
    .split(/\s{2,}/);

beforeAll(async () => {
  dir = await tempDir('kube-lite-kubectl-');
  // kubectl sends a bearer token only over TLS.
  server = await startApiServer({ tls: true });
  kubectl = await kubectlFor(server, dir.path);
  await ok(['apply', '-f', CRD_DIR]);
  await ok(['apply', '-f', '-'], MANIFESTS);
}, 60_000);

afterAll(async () => {
  await server.close();
  await dir.remove();
});

describe('kubectl against kube-lite', () => {
  it('api-resources shows short names, groups and kinds; a category lists our kinds', async () => {
    const out = await ok(['api-resources']);
    expect(out).toMatch(/sandboxsets\s+sbs\s+agents\.kruise\.io\/v1alpha1\s+true\s+SandboxSet/);
    expect(out).toMatch(/sandboxclaims\s+sbc\s+agents\.kruise\.io\/v1alpha1\s+true\s+SandboxClaim/);
    expect(out).toMatch(/pods\s+po\s+v1\s+true\s+Pod/);
    const category = await ok(['get', 'kruise-agents']);
    expect(category).toContain('sandboxset.agents.kruise.io/pool-a');
    expect(category).toContain('sandboxclaim.agents.kruise.io/claim-a');
  });

  it('get shows the printer columns; -o wide adds the priority-1 columns', async () => {
    const sbs = await ok(['get', 'sbs']);
    expect(header(sbs)).toEqual(['NAME', 'DESIRED', 'AVAILABLE', 'UPDATED', 'AGE']);
    expect(sbs).toMatch(/pool-a\s+2\s+\d+s/);
    const wide = await ok(['get', 'sbs', '-o', 'wide']);
    expect(header(wide)).toEqual(['NAME', 'DESIRED', 'AVAILABLE', 'UPDATED', 'AGE', 'REPLICAS', 'REVISION']);
    const sbc = await ok(['get', 'sbc']);
    expect(header(sbc)).toEqual(['NAME', 'PHASE', 'TEMPLATE', 'DESIRED', 'CLAIMED', 'AGE']);
    expect(sbc).toMatch(/claim-a\s+pool-a\s+1\s+\d+s/);
    const yaml = await ok(['get', 'sbc', 'claim-a', '-o', 'yaml']);
    expect(yaml).toContain('claimTimeout: 1m'); // defaulted by the schema
  });

  it('sandboxes: -o wide shows label and status columns through escaped JSONPaths', async () => {
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: agents.kruise.io/v1alpha1
kind: Sandbox
metadata:
  name: sbx-1
  labels:
    agents.kruise.io/sandbox-pool: pool-a
    agents.kruise.io/sandbox-claimed: "true"
spec:
  template:
    spec:
      containers:
        - name: main
          image: busybox
`,
    );
    await ok([
      'patch',
      'sbx',
      'sbx-1',
      '--subresource',
      'status',
      '--type',
      'merge',
      '-p',
      '{"status":{"phase":"Running","podInfo":{"podIP":"127.0.0.9"}}}',
    ]);
    const wide = await ok(['get', 'sbx', '-o', 'wide']);
    expect(header(wide)).toEqual([
      'NAME',
      'STATUS',
      'AGE',
      'SHUTDOWN_TIME',
      'PAUSE_TIME',
      'MESSAGE',
      'CLAIMED',
      'POOL',
      'IP',
    ]);
    expect(wide).toMatch(/sbx-1\s+Running\s+\d+s\s+true\s+pool-a\s+127\.0\.0\.9/);
    await ok(['delete', 'sbx', 'sbx-1']);
  });

  it('-l selectors', async () => {
    expect(await ok(['get', 'sbs,sbc', '-l', 'tier=gold', '-o', 'name'])).toBe('sandboxset.agents.kruise.io/pool-a\n');
    expect(await ok(['get', 'sbs,sbc', '-l', 'tier in (silver)', '-o', 'name'])).toBe(
      'sandboxclaim.agents.kruise.io/claim-a\n',
    );
    expect(await ok(['get', 'sbs,sbc', '-l', '!tier', '-o', 'name'])).toBe('');
  });

  it('patch --type merge and --type json; scale', async () => {
    await ok(['patch', 'sbs', 'pool-a', '--type', 'merge', '-p', '{"spec":{"replicas":3}}']);
    expect(await ok(['get', 'sbs', 'pool-a', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    await ok([
      'patch',
      'sbs',
      'pool-a',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":4}]',
    ]);
    expect(await ok(['get', 'sbs', 'pool-a', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).toBe('4 3');
    await ok(['scale', 'sbs', 'pool-a', '--replicas=2']);
    expect(await ok(['get', 'sbs', 'pool-a', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    const invalid = await kubectl(['patch', 'sbs', 'pool-a', '--type', 'merge', '-p', '{"spec":{"replicas":-1}}']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('spec.replicas: Invalid value: -1');
  });

  it('get -w prints changes as they happen', async () => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      kubectl.kubeconfig,
      '--cache-dir',
      join(dir.path, 'cache'),
      'get',
      'sbs',
      '-w',
      '--output-watch-events',
    ]);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    try {
      await eventually(() => out.includes('pool-a'));
      await ok(['label', 'sbs', 'pool-a', 'watched=yes']);
      await ok(['apply', '-f', '-'], MANIFESTS.replace('name: pool-a', 'name: pool-b'));
      await eventually(() => out.includes('MODIFIED') && /ADDED\s+pool-b/.test(out), 10_000);
    } finally {
      child.kill();
    }
    expect(out.split('\n')[0]).toMatch(/EVENT\s+NAME\s+DESIRED/);
  });

  it('apply --server-side creates and updates, and conflicts with another manager', async () => {
    const manifest = MANIFESTS.replace(/name: pool-a/, 'name: pool-ssa').split('---')[0]!;
    expect(await ok(['apply', '--server-side', '-f', '-'], manifest)).toContain('serverside-applied');
    await ok(['apply', '--server-side', '-f', '-'], manifest.replace('replicas: 2', 'replicas: 5'));
    expect(await ok(['get', 'sbs', 'pool-ssa', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
    const conflict = await kubectl(
      ['apply', '--server-side', '--field-manager', 'other', '-f', '-'],
      manifest.replace('replicas: 2', 'replicas: 7'),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict');
    await ok(
      ['apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', '-'],
      manifest.replace('replicas: 2', 'replicas: 7'),
    );
    expect(await ok(['get', 'sbs', 'pool-ssa', '-o', 'jsonpath={.spec.replicas}'])).toBe('7');
  });

  it('replace with a stale object is a conflict', async () => {
    const stale = await ok(['get', 'sbc', 'claim-a', '-o', 'yaml']);
    await ok(['label', 'sbc', 'claim-a', 'bump=1']);
    const r = await kubectl(['replace', '-f', '-'], stale);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('create rejects unknown fields (kubectl asks for strict validation)', async () => {
    const r = await kubectl(
      ['create', '-f', '-'],
      MANIFESTS.split('---')[0]!
        .replace('name: pool-a', 'name: pool-x')
        .replace('replicas: 2', 'replicas: 2\n  bogus: 1'),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.bogus"');
  });

  it('explain reads the CRD schema through OpenAPI v3', async () => {
    const out = await ok(['explain', 'sbs.spec.replicas']);
    expect(out).toContain('KIND:       SandboxSet');
    expect(out).toContain('FIELD: replicas <integer>');
    expect(out).toContain('The number of unused sandboxes');
    const top = await ok(['explain', 'sandboxclaims.spec']);
    expect(top).toContain('templateName');
  });

  it('delete is held by a finalizer until it is removed', async () => {
    await ok(
      ['apply', '-f', '-'],
      MANIFESTS.split('---')[0]!.replace('name: pool-a', 'name: pool-fin\n  finalizers: ["example.com/hold"]'),
    );
    await ok(['delete', 'sbs', 'pool-fin', '--wait=false']);
    expect(await ok(['get', 'sbs', 'pool-fin', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');
    await ok(['patch', 'sbs', 'pool-fin', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
    const r = await kubectl(['get', 'sbs', 'pool-fin']);
    expect(r.stderr).toContain('NotFound');
  });

  it('ownerReference garbage collection: deleting the owner deletes its dependents', async () => {
    const uid = await ok(['get', 'sbs', 'pool-b', '-o', 'jsonpath={.metadata.uid}']);
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: owned-by-pool-b
  ownerReferences:
    - apiVersion: agents.kruise.io/v1alpha1
      kind: SandboxSet
      name: pool-b
      uid: ${uid}
data:
  a: "1"
`,
    );
    await ok(['delete', 'sbs', 'pool-b']);
    await eventually(async () => (await kubectl(['get', 'cm', 'owned-by-pool-b'])).stderr.includes('NotFound'));
  });
});

describe('kubectl across kill -9 and restart', () => {
  it('keeps every object and keeps resourceVersions increasing', async () => {
    const data = await tempDir('kube-lite-kill-');
    try {
      const first = await spawnDurableServer(data.path, true);
      const k1 = await kubectlFor(
        { kubeconfig: await readFile(join(data.path, 'kubeconfig'), 'utf8') } as ApiServer,
        data.path,
      );
      const run = async (k: Kubectl, args: string[], input?: string) => {
        const r = await k(args, input);
        if (r.code !== 0) throw new Error(r.stderr);
        return r.stdout;
      };
      await run(k1, ['apply', '-f', CRD_DIR]);
      await run(k1, ['apply', '-f', '-'], MANIFESTS);
      const rvBefore = Number(await run(k1, ['get', 'sbs', 'pool-a', '-o', 'jsonpath={.metadata.resourceVersion}']));
      await kill9(first.child);
      const second = await spawnDurableServer(data.path, true);
      try {
        await sleep(50);
        const k2 = await kubectlFor(
          { kubeconfig: await readFile(join(data.path, 'kubeconfig'), 'utf8') } as ApiServer,
          join(data.path),
        );
        expect(await run(k2, ['get', 'sbs', 'pool-a', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
        expect(await run(k2, ['get', 'sbc', '-o', 'name'])).toBe('sandboxclaim.agents.kruise.io/claim-a\n');
        await run(k2, ['label', 'sbs', 'pool-a', 'after=restart']);
        const rvAfter = Number(await run(k2, ['get', 'sbs', 'pool-a', '-o', 'jsonpath={.metadata.resourceVersion}']));
        expect(rvAfter).toBeGreaterThan(rvBefore);
      } finally {
        await kill9(second.child);
      }
    } finally {
      await data.remove();
    }
  }, 60_000);
});

describe('kubectl typed clients (protobuf bodies)', () => {
  it('create configmap, secret and namespace', async () => {
    await ok(['create', 'configmap', 'pb-cm', '--from-literal=a=b']);
    await ok(['create', 'secret', 'generic', 'pb-secret', '--from-literal=p=s3cret']);
    await ok(['create', 'namespace', 'pb-ns']);
    expect(await ok(['get', 'cm', 'pb-cm', '-o', 'jsonpath={.data.a}'])).toBe('b');
    expect(Buffer.from(await ok(['get', 'secret', 'pb-secret', '-o', 'jsonpath={.data.p}']), 'base64').toString()).toBe(
      's3cret',
    );
    expect(await ok(['get', 'ns', 'pb-ns', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    await ok(['delete', 'ns', 'pb-ns']);
  });
});
