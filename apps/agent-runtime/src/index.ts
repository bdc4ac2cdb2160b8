/**
 * @kruise-agents/agent-runtime: the in-sandbox daemon. startAgentRuntime() serves envd (process, filesystem, /files)
 * and the code interpreter on loopback or any address, for one sandbox root; many can run in one process.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig, type AgentRuntimeOptions } from './config';
import { WatcherRegistry, createEnvdServer } from './envd/server';
import { ProcessTable } from './envd/process/table';
import { RuntimeState } from './envd/state';
import { ContextRegistry } from './interpreter/contexts';
import { createInterpreterServer, interpreterRoutes } from './interpreter/server';
import { ENVD_VERSION } from './version';

export type { AgentRuntimeOptions } from './config';
export { parseArgs, resolveConfig, USAGE, ConfigError, DEFAULT_ENVD_PORT, DEFAULT_INTERPRETER_PORT } from './config';
export { ENVD_VERSION } from './version';
export { fileSignature } from './envd/auth';

export interface AgentRuntime {
  /** http://host:port of envd (also serves /execute and /contexts, so one URL works as E2B_SANDBOX_URL). */
  envdUrl: string;
  /** http://host:port of the code interpreter, or undefined when its separate listener is disabled. */
  interpreterUrl: string | undefined;
  envdVersion: string;
  /** Stops listening, kills every process and kernel it started. */
  close(): Promise<void>;
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlFor(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startAgentRuntime(options: AgentRuntimeOptions = {}): Promise<AgentRuntime> {
  const config = resolveConfig(options);
  const state = new RuntimeState(config);
  const processes = new ProcessTable();
  const watchers = new WatcherRegistry(state);
  const contexts = new ContextRegistry(state);
  const routes = interpreterRoutes(state, contexts);
  const envd = createEnvdServer(state, processes, watchers, routes);
  const interpreter = config.interpreterPort === false ? undefined : createInterpreterServer(routes);

  const envdPort = await listen(envd, config.host, config.envdPort);
  let interpreterPort: number | undefined;
  try {
    if (interpreter && config.interpreterPort !== false) {
      interpreterPort = await listen(interpreter, config.host, config.interpreterPort);
    }
  } catch (error) {
    await closeServer(envd);
    throw error;
  }
  config.log(`envd ${ENVD_VERSION} on ${urlFor(config.host, envdPort)}, root ${config.root}`);

  let closed: Promise<void> | undefined;
  return {
    envdUrl: urlFor(config.host, envdPort),
    interpreterUrl: interpreterPort === undefined ? undefined : urlFor(config.host, interpreterPort),
    envdVersion: ENVD_VERSION,
    close() {
      closed ??= (async () => {
        processes.killAll();
        watchers.closeAll();
        contexts.closeAll();
        await Promise.all([closeServer(envd), interpreter ? closeServer(interpreter) : Promise.resolve()]);
      })();
      return closed;
    },
  };
}
