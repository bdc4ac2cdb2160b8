/**
 * Agent-runtimes for the benchmark's pools, in their own process (in a cluster each is in its own pod): reads
 * `<ip> <root>` lines on stdin, starts a runtime on that loopback IP, answers `ok <ip>`.
 */
import readline from 'node:readline';
import { startAgentRuntime, type AgentRuntime } from '@kruise-agents/agent-runtime';

const runtimes: AgentRuntime[] = [];
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [ip, root] = line.trim().split(' ');
  if (!ip || !root) return;
  startAgentRuntime({ host: ip, root, interpreterPort: false }).then(
    (runtime) => {
      runtimes.push(runtime);
      process.stdout.write(`ok ${ip}\n`);
    },
    (error: unknown) => process.stdout.write(`fail ${ip} ${String(error)}\n`),
  );
});
process.once('SIGTERM', () => void Promise.all(runtimes.map((r) => r.close())).then(() => process.exit(0)));
