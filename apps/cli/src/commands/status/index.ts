/** `kruise-agents status`: is `up` running, and its pools, claims and sandboxes at a glance (through kubeconfig). */
import fs from 'node:fs';
import path from 'node:path';
import { KubeClient } from '@kruise-agents/kube-runtime';
import { UsageError } from '../../errors';
import { readEnvFile } from '../../platform/env-file';
import { describeCause } from '../../platform/errors';
import { runningPid } from '../../platform/pid-file';
import { statusLines } from '../../platform/status-table';
import { parseDataDirArg } from '../up/args';
import type { Command } from '../registry';

export const command: Command = {
  summary: 'Show the local platform: pools and their stock, claims, sandboxes by state.',
  usage: `Usage: kruise-agents status [--data-dir <dir>]

Reads the platform that \`kruise-agents up\` runs on the data dir (default ~/.kruise-agents, or
KRUISE_AGENTS_DATA_DIR) through its kubeconfig. Exit code 0 when it is running, 3 when it is not.`,
  async run(args) {
    const dataDir = parseDataDirArg(args);
    const kubeconfigPath = path.join(dataDir, 'kubeconfig');
    const pid = runningPid(dataDir);
    if (!pid) {
      const state = fs.existsSync(kubeconfigPath) ? 'stopped' : 'never started';
      console.log(`kruise-agents up is not running on ${dataDir} (${state}): \`kruise-agents up\` starts it`);
      return 3;
    }
    const env = readEnvFile(dataDir);
    console.log(`kruise-agents up: running (pid ${pid}), data dir ${dataDir}`);
    console.log(`gateway (E2B_API_URL): ${env.E2B_API_URL ?? 'unknown'}; kubeconfig ${kubeconfigPath}\n`);
    const kube = KubeClient.fromSource({ kubeconfigPath }, 'kruise-agents-status');
    try {
      for (const line of await statusLines(kube)) console.log(line);
    } catch (error) {
      throw new UsageError(`the API server does not answer (${describeCause(error)}): is up still starting?`, 1);
    } finally {
      kube.close();
    }
    return 0;
  },
};
