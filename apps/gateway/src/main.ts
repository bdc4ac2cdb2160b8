/** The gateway process: parse the configuration once, start, stop on SIGTERM/SIGINT. */
import { pino } from 'pino';
import { GatewayConfigError, GATEWAY_USAGE, gatewayOptionsFrom, parseGatewayArgs } from './config';
import { startGateway } from './create-gateway';

async function main(): Promise<number> {
  let config;
  try {
    config = parseGatewayArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof GatewayConfigError) {
      process.stderr.write(`${error.message}\n\n${GATEWAY_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, name: 'gateway' });
  const gateway = await startGateway({ ...gatewayOptionsFrom(config), logger });
  logger.info({ url: gateway.url }, 'E2B gateway ready');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await gateway.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gateway: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
