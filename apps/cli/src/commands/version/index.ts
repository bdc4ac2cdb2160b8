import type { Command } from '../registry';
import { API_VERSION } from '@kruise-agents/api';

export const command: Command = {
  summary: 'Print the version of kruise-agents and its API.',
  usage: 'kruise-agents version',
  async run() {
    console.log(
      `kruise-agents ${process.env.npm_package_version ?? '0.1.0'} (${API_VERSION}, node ${process.version})`,
    );
    return 0;
  },
};
