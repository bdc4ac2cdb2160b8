/** The operator process: wires config, logger and signals to runOperatorMain; exits non-zero on a startup error. */
import { ConfigError } from './config';
import { runOperatorMain } from './run';

const abort = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => abort.abort());

runOperatorMain(process.argv.slice(2), process.env, abort.signal).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else
      console.error(
        JSON.stringify({ level: 'fatal', msg: 'operator failed', err: String((error as Error)?.stack ?? error) }),
      );
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
