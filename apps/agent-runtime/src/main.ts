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
  // The daemon serves every client of the sandbox: a bug hit by one request is logged, not fatal to all of them.
  process.on('uncaughtException', (error) => console.error('agent-runtime: uncaught exception:', error));
  process.on('unhandledRejection', (error) => console.error('agent-runtime: unhandled rejection:', error));
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
