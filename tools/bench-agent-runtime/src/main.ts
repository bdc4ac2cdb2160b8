/**
 * Benchmarks agent-runtime through the real SDKs, with the runtime in its own process (as in a sandbox) on loopback:
 *   - commands.run('true') latency, p50/p99
 *   - 100 MB upload and download throughput (multipart, the SDK default, and octet-stream)
 *   - runCode('1+1') latency, p50/p99
 * Usage: npm run bench -w bench-agent-runtime [-- --runs 200]
 */
import { percentile } from 'bench-kit';
import os from 'node:os';
import { Sandbox } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import { ENVD_VERSION } from '@kruise-agents/agent-runtime';
import { startAgentRuntimeProcess } from 'test-kit';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const MB = 1024 * 1024;
const FILE_MB = 100;

async function timeMany(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const runtime = await startAgentRuntimeProcess({ interpreter: true });
  const opts = { sandboxId: 'bench', envdVersion: ENVD_VERSION, sandboxUrl: runtime.envdUrl, apiKey: 'unused' };
  const sbx = new Sandbox(opts);
  const ci = new CodeInterpreter(opts);
  const rows: [string, string][] = [];
  try {
    const run = await timeMany(RUNS, () => sbx.commands.run('true'));
    rows.push([
      `commands.run('true') x${RUNS}`,
      `p50 ${percentile(run, 50).toFixed(1)} ms, p99 ${percentile(run, 99).toFixed(1)} ms`,
    ]);

    const data = new Uint8Array(FILE_MB * MB).map((_, i) => i % 251);
    for (const [label, writeOpts] of [
      ['multipart', {}],
      ['octet-stream', { useOctetStream: true }],
    ] as const) {
      const up: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await sbx.files.write('/bench.bin', data.buffer, writeOpts);
        up.push(performance.now() - start);
      }
      rows.push([
        `upload ${FILE_MB} MB (${label})`,
        `${(FILE_MB / (percentile(up, 50) / 1000)).toFixed(0)} MB/s (median of 3)`,
      ]);
    }
    const down: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const bytes = await sbx.files.read('/bench.bin', { format: 'bytes' });
      if (bytes.byteLength !== FILE_MB * MB) throw new Error(`short download: ${bytes.byteLength}`);
      down.push(performance.now() - start);
    }
    rows.push([`download ${FILE_MB} MB`, `${(FILE_MB / (percentile(down, 50) / 1000)).toFixed(0)} MB/s (median of 3)`]);

    const code = await timeMany(Math.min(RUNS, 100), () => ci.runCode('1+1'));
    rows.push([
      `runCode('1+1') x${Math.min(RUNS, 100)}`,
      `p50 ${percentile(code, 50).toFixed(1)} ms, p99 ${percentile(code, 99).toFixed(1)} ms`,
    ]);
  } finally {
    await runtime.close();
  }
  console.log(
    `agent-runtime ${ENVD_VERSION} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
  );
  for (const [name, value] of rows) console.log(`${name.padEnd(34)} ${value}`);
}

await main();
