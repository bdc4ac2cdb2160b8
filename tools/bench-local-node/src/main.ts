/**
 * Benchmark of the local node on kube-lite: creates N pods (C at a time), timestamps each pod's Ready from a watch,
 * then deletes them all. Prints create→Ready latency percentiles and pods/s, and deletion time.
 *
 *   npm run bench -w bench-local-node -- --mode virtual --pods 10000
 *   npm run bench -w bench-local-node -- --mode process --pods 200 [--workload http] [--isolation none]
 *
 * Workloads (process mode): `sleep` (no probe: Ready when spawned) or `http` (a small node HTTP server on the pod IP
 * with an httpGet readiness probe: Ready when it answers).
 */
import { parseArgs } from 'node:util';
import { Informer, Resources, type Pod } from '@kruise-agents/kube-runtime';
import { startLocalNode, type IsolationChoice } from '@kruise-agents/local-node';
import { startKubeLite } from 'test-kit';
import { summarize } from './stats';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'virtual' },
    pods: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    'node-concurrency': { type: 'string', default: '32' },
    workload: { type: 'string', default: 'sleep' },
    isolation: { type: 'string', default: 'auto' },
  },
});
const mode = values.mode === 'process' ? 'process' : 'virtual';
const total = Number(values.pods);
const concurrency = Number(values.concurrency);
const HTTP = `require('node:http').createServer((q, s) => s.end('ok')).listen(49983, process.env.POD_IP)`;

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function main(): Promise<void> {
  const cluster = await startKubeLite('bench-local-node');
  const node = await startLocalNode({
    kubeconfig: { yaml: cluster.api.kubeconfig },
    nodeName: 'bench',
    mode,
    dataDir: cluster.dir,
    isolation: values.isolation as IsolationChoice,
    concurrency: Number(values['node-concurrency']),
    defaultCommand: values.workload === 'http' ? [process.execPath, '-e', HTTP] : ['sleep', '3600'],
  });
  const pods = cluster.kube.resource(Resources.Pod);
  const created = new Map<string, number>();
  const ready = new Map<string, number>();
  let allReady!: () => void;
  const done = new Promise<void>((resolve) => (allReady = resolve));
  const abort = new AbortController();
  const informer = new Informer({ client: pods, namespace: 'default' });
  const seen = (pod: Pod) => {
    const name = pod.metadata.name!;
    if (!ready.has(name) && isReady(pod)) {
      ready.set(name, performance.now());
      if (ready.size === total) allReady();
    }
  };
  informer.on({ add: seen, update: (_o, n) => seen(n) });
  informer.start(abort.signal);
  await informer.waitForSync();

  const probe = values.workload === 'http' ? { readinessProbe: { httpGet: { port: 49983 }, periodSeconds: 1 } } : {};
  console.log(`local node: ${mode} mode, isolation ${node.isolation}; ${total} pods, ${concurrency} creates in flight`);
  let next = 0;
  const creator = async () => {
    while (next < total) {
      const name = `bench-${next++}`;
      created.set(name, performance.now());
      await pods.create({
        metadata: { name, namespace: 'default' },
        spec: { containers: [{ name: 'main', image: 'bench', ...probe }], terminationGracePeriodSeconds: 5 },
      });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, creator));
  const createSeconds = (performance.now() - t0) / 1000;
  console.log(`creates: ${total} in ${createSeconds.toFixed(2)} s = ${(total / createSeconds).toFixed(0)} pods/s`);
  await Promise.race([done, new Promise((r) => setTimeout(r, 120_000))]);
  const s = summarize(created, ready);
  console.log(
    `create→Ready: p50 ${s.p50Ms.toFixed(0)} ms, p90 ${s.p90Ms.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms, max ${s.maxMs.toFixed(0)} ms`,
  );
  console.log(
    `throughput: ${s.pods}/${total} Ready in ${(s.wallMs / 1000).toFixed(2)} s = ${s.podsPerSecond.toFixed(0)} pods/s`,
  );

  const t = performance.now();
  let gone = 0;
  informer.on({ delete: () => gone++ });
  next = 0;
  const deleter = async () => {
    while (next < total) await pods.delete('default', `bench-${next++}`);
  };
  await Promise.all(Array.from({ length: concurrency }, deleter));
  while (gone < total && performance.now() - t < 120_000) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t) / 1000;
  console.log(`deletion: ${gone}/${total} removed in ${seconds.toFixed(2)} s = ${(gone / seconds).toFixed(0)} pods/s`);

  abort.abort();
  await node.close();
  await cluster.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
