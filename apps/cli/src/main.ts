/** The `kruise-agents` entry point: picks a command, runs it, and is the one place errors are caught. */
import { COMMANDS } from './commands/registry';
import { UsageError } from './errors';

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`unknown command "${name}" (run \`kruise-agents --help\` for the list)`);
  const { command } = await load();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return command.run(args, controller.signal);
}

async function printHelp(): Promise<void> {
  const lines = ['Usage: kruise-agents <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(12)}${(await load()).command.summary}`);
  console.log(lines.join('\n'));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`kruise-agents: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error('kruise-agents: internal error (please report it with the output below)');
      console.error(error);
      process.exitCode = 70;
    }
  },
);
