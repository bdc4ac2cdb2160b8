/** The agent-runtime binary: flags/env → startAgentRuntime, logs to stderr, graceful stop on SIGTERM/SIGINT. */
import { ConfigError, USAGE, parseArgs, startAgentRuntime } from './index';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`Usage: agent-runtime [options]\n\n${USAGE}`);
    return;
  }
  let options;
  try {
    options = parseArgs(args, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`agent-runtime: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const runtime = await startAgentRuntime({ ...options, log: (line) => console.error(`agent-runtime: ${line}`) });
  const stop = () => {
    void runtime.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('agent-runtime: failed to start:', error);
  process.exit(1);
});
