/**
 * Benchmarks the E2B gateway, all in one run:
 *   1. Sandbox.create() from a warm pool through the real SDK at concurrency 1, 10 and 50: p50/p99 and creates/s,
 *      beside the floor measured at the same concurrency (one API-server write + one runtime /init round trip);
 *   2. proxy overhead: commands.run('true') through the gateway vs straight to the runtime, p50 ratio;
 *   3. a 10,000-claim burst across 2 gateway replicas: every claim answered, 0 sandboxes handed out twice.
 * Usage: npm run bench -w bench-gateway [-- --creates 200 --burst 10000 --levels 1,10,50]
 * BENCH_PROF=<dir> writes a CPU profile of every child process there.
 */
import { cpuPerUnit, cpuTimes, percentile, runConcurrently } from 'bench-kit';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from 'e2b';
import { Labels } from '@kruise-agents/api';
import { sandboxIdOf } from '@kruise-agents/e2b';
import { KubeClient, Resources } from '@kruise-agents/kube-runtime';
import { ADMIN_KEY, RuntimeHost, addPool, createSet, startApiServerProcess, startGatewayProcess } from './cluster';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CREATES = arg('creates', 200);
const BURST = arg('burst', 10_000);
const LEVELS = process.argv.includes('--levels')
  ? process.argv[process.argv.indexOf('--levels') + 1]!.split(',').map(Number)
  : [1, 10, 50];

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-'));
  const server = await startApiServerProcess(work);
  const kubeconfig = server.kubeconfig;
  const kube = KubeClient.fromSource({ kubeconfigPath: kubeconfig });
  const runtimes = new RuntimeHost(work);
  const gateways = await Promise.all([startGatewayProcess(kubeconfig), startGatewayProcess(kubeconfig)]);
  const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
  const pids = new Map([
    ['kube-lite', server.pid],
    ['gateway A', a.pid],
    ['gateway B', b.pid],
    ['runtimes', runtimes.pid],
  ]);
  const sdk = { apiKey: ADMIN_KEY, apiUrl: a.url, sandboxUrl: a.url };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const lines: string[] = [
    `gateway benchmark: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ` +
      `kube-lite, each gateway replica and the agent-runtimes (on loopback IPs) in their own processes`,
  ];
  const sandboxes = kube.resource(Resources.Sandbox);

  try {
    // 1. create latency vs the floor
    lines.push('', `Sandbox.create() from a warm pool (${CREATES} creates per level, after 20 warm-up creates):`);
    for (const c of LEVELS) {
      const set = await createSet(kube, 'bench', `pool-c${c}`);
      await addPool(kube, set, CREATES + 20, { runtimes });
      await new Promise((r) => setTimeout(r, 500)); // the gateways' caches see the pool
      const created: Sandbox[] = [];
      await runConcurrently(20, Math.min(c, 20), async () =>
        created.push(await Sandbox.create(set.metadata.name!, sdk)),
      );
      const cpuBefore = cpuTimes(pids);
      const run = await runConcurrently(CREATES, c, async () =>
        created.push(await Sandbox.create(set.metadata.name!, sdk)),
      );
      const cpuPerCreate = cpuPerUnit(cpuBefore, cpuTimes(pids), CREATES, { cpus: os.cpus().length, inFlight: c });
      // With BENCH_PROF, the phase's monotonic window (µs, the clock V8 profiles use) to cut the profiles to it.
      if (process.env.BENCH_PROF) {
        const now = process.hrtime.bigint() / 1000n;
        console.error(`phase c=${c}: ${now - BigInt(Math.round(run.wallMs * 1000))} ${now}`);
      }

      // The floor: what a claim cannot avoid — one API write and one /init round trip — at the same concurrency.
      const claimed = (await sandboxes.list('bench', { labelSelector: `${Labels.SandboxPool}=${set.metadata.name}` }))
        .items;
      const floorCpu = cpuTimes(pids);
      const floor = await runConcurrently(CREATES, c, async (i) => {
        const target = claimed[i % claimed.length]!;
        await sandboxes.patch('bench', target.metadata.name!, 'merge', {
          metadata: { annotations: { 'bench.example/floor': String(i) } },
        });
        const token = target.metadata.annotations?.['agents.kruise.io/runtime-access-token'] ?? '';
        await new Promise<void>((resolve, reject) => {
          const req = http.request(
            { host: target.status!.podInfo!.podIP, port: 49983, path: '/init', method: 'POST', agent },
            (res) => {
              res.resume();
              res.on('end', () => resolve());
            },
          );
          req.setHeader('content-type', 'application/json');
          req.setHeader('x-access-token', token);
          req.on('error', reject);
          req.end(JSON.stringify({ envVars: {}, accessToken: token }));
        });
      });
      const floorCpuAfter = cpuTimes(pids);
      lines.push(
        `  concurrency ${String(c).padStart(2)}: p50 ${ms(percentile(run.samples, 50))}, p99 ${ms(percentile(run.samples, 99))}, ` +
          `${((CREATES / run.wallMs) * 1000).toFixed(0)} creates/s | floor p50 ${ms(percentile(floor.samples, 50))}, ` +
          `p99 ${ms(percentile(floor.samples, 99))}, ${((CREATES / floor.wallMs) * 1000).toFixed(0)}/s`,
        `    CPU per create (self = the SDK clients): ${cpuPerCreate}`,
        `    CPU per floor call (self = its client): ${cpuPerUnit(floorCpu, floorCpuAfter, CREATES)}`,
      );
      {
        // The same claim without the SDK, at the same concurrency: what the gateway itself takes.
        const extra = await createSet(kube, 'bench', `pool-raw-c${c}`);
        await addPool(kube, extra, CREATES + 20, { runtimes });
        await new Promise((r) => setTimeout(r, 500));
        const post = () =>
          fetch(`${a.url}/v2/sandboxes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
            body: JSON.stringify({ templateID: extra.metadata.name }),
          }).then((r) => r.json());
        await runConcurrently(20, Math.min(c, 20), post);
        const rawCpu = cpuTimes(pids);
        const raw = await runConcurrently(CREATES, c, post);
        if (process.env.BENCH_PROF) {
          const now = process.hrtime.bigint() / 1000n;
          console.error(`phase raw c=${c}: ${now - BigInt(Math.round(raw.wallMs * 1000))} ${now}`);
        }
        lines.push(
          `  concurrency ${String(c).padStart(2)}, raw POST /v2/sandboxes (no SDK): p50 ${ms(percentile(raw.samples, 50))}, ` +
            `p99 ${ms(percentile(raw.samples, 99))}, ${((CREATES / raw.wallMs) * 1000).toFixed(0)} creates/s`,
          `    CPU per create: ${cpuPerUnit(rawCpu, cpuTimes(pids), CREATES, { cpus: os.cpus().length, inFlight: c })}`,
        );
      }
      if (c === 1) {
        // 2. proxy overhead, on one of these sandboxes: the same call through the gateway and straight to the runtime.
        const sbx = created[0]!;
        const stored = (await sandboxes.list('bench')).items.find((o) => sandboxIdOf(o) === sbx.sandboxId)!;
        const direct = new Sandbox({
          sandboxId: sbx.sandboxId,
          envdVersion: '0.6.4',
          envdAccessToken: stored.metadata.annotations?.['agents.kruise.io/runtime-access-token'],
          sandboxUrl: `http://${stored.status!.podInfo!.podIP}:49983`,
          apiKey: ADMIN_KEY,
        });
        const gw: number[] = [];
        const straight: number[] = [];
        for (let i = 0; i < 20; i++) await Promise.all([sbx.commands.run('true'), direct.commands.run('true')]);
        for (let i = 0; i < 200; i++) {
          // Interleaved, so both see the same machine state.
          let t = performance.now();
          await sbx.commands.run('true');
          gw.push(performance.now() - t);
          t = performance.now();
          await direct.commands.run('true');
          straight.push(performance.now() - t);
        }
        lines.push(
          `  proxy overhead, commands.run('true') x200: via gateway p50 ${ms(percentile(gw, 50))} p99 ${ms(percentile(gw, 99))}, ` +
            `direct p50 ${ms(percentile(straight, 50))} p99 ${ms(percentile(straight, 99))} → ratio ${(percentile(gw, 50) / percentile(straight, 50)).toFixed(2)}x`,
        );
      }
    }

    // 3. the burst: BURST claims over 2 replicas, no runtime init (pool sandboxes have fake IPs).
    const set = await createSet(kube, 'burst', 'burst');
    let t = performance.now();
    await addPool(kube, set, BURST, { parallel: 32 });
    lines.push('', `burst: ${BURST} pool sandboxes written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 2000));
    const ids: string[] = [];
    const failures = new Map<number, number>();
    t = performance.now();
    const burst = await runConcurrently(BURST, 200, async (i) => {
      const res = await fetch(`${(i % 2 ? b : a).url}/v2/sandboxes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
        body: JSON.stringify({
          templateID: 'burst',
          metadata: {
            'e2b.agents.kruise.io/skip-init-runtime': 'true',
            'e2b.agents.kruise.io/create-on-no-stock': 'false',
          },
        }),
      });
      const body = (await res.json()) as { sandboxID?: string };
      if (res.status === 201 && body.sandboxID) ids.push(body.sandboxID);
      else failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
    });
    const wall = performance.now() - t;
    const objects = (await sandboxes.list('burst')).items;
    const claimedObjects = objects.filter((o) => o.metadata.labels?.[Labels.SandboxClaimed] === 'true');
    // sandboxIdOf: the ID label, or the claim's lock value until the (background) label lands.
    const byId = new Map(claimedObjects.map((o) => [sandboxIdOf(o), o.metadata.name]));
    const resolved = new Set(ids.map((id) => byId.get(id)));
    const twice = ids.length - resolved.size + (resolved.has(undefined) ? 1 : 0);
    lines.push(
      `burst: ${BURST} creates over 2 gateways (200 in flight): ${ids.length} claimed, ` +
        `${[...failures].map(([s, n]) => `${n}×${s}`).join(', ') || 'no failures'}, ` +
        `${((ids.length / wall) * 1000).toFixed(0)} claims/s, p50 ${ms(percentile(burst.samples, 50))}, p99 ${ms(percentile(burst.samples, 99))}`,
      `burst: ${new Set(ids).size} distinct IDs → ${resolved.size} distinct Sandbox objects, ${claimedObjects.length} ` +
        `claimed objects in the API server: ${twice} handed out twice`,
    );
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    const conflicts = /sandbox_claim_attempts_total\{outcome="conflict"\} (\d+)/.exec(metrics)?.[1] ?? '0';
    lines.push(`burst: replica A lost ${conflicts} lock races (409) and moved on to the next candidate`);
  } finally {
    console.log(lines.join('\n'));
    await Promise.all(gateways.map((g) => g.stop()));
    await runtimes.stop();
    kube.close();
    agent.destroy();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
