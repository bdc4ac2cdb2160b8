import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { CODE_INTERPRETER_PORT, ENVD_PORT, agentRuntimeCommand } from '../src';
import { isReady, podManifest, startHarness, waitForPod } from './harness';

// The default image entry runs the project's agent-runtime: its built binary when there is one (what `npm ci`
// builds), else its source through tsx.
const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const built = repo('apps/agent-runtime/dist/main.js');
const command = existsSync(built)
  ? [process.execPath, built]
  : [process.execPath, '--conditions=@kruise-agents/source', '--import', 'tsx', repo('apps/agent-runtime/src/main.ts')];

const h = fileFixture(() => startHarness({ defaultCommand: command }));

describe('the default image runs the agent-runtime', () => {
  it('serves envd and the code interpreter on the pod IP at their cluster ports, inside its sandbox root', async () => {
    await h.pods.create(
      podManifest('sandbox', [
        {
          name: 'runtime',
          image: 'any/template:v1',
          readinessProbe: { httpGet: { path: '/health', port: ENVD_PORT }, periodSeconds: 5 },
        },
      ]),
    );
    const pod = await waitForPod(h.pods, 'sandbox', 'Ready', isReady, 25_000);
    const ip = pod.status!.podIP!;
    expect((await fetch(`http://${ip}:${ENVD_PORT}/health`)).status).toBe(204);
    const interpreter = await waitFor(
      'interpreter',
      async () => (await fetch(`http://${ip}:${CODE_INTERPRETER_PORT}/health`)).ok,
    );
    expect(interpreter).toBe(true);
    const dir = path.join(h.dataDir, 'pods', `default_sandbox_${pod.metadata.uid}`);
    expect(readFileSync(path.join(dir, 'logs/runtime/0.log'), 'utf8')).toContain(`root ${path.join(dir, 'root')}`);
    await h.pods.delete('default', 'sandbox');
    await waitFor('pod removed', async () => (await h.pods.find('default', 'sandbox')) === undefined);
  });

  it('finds the agent-runtime binary on PATH and runs a script on this node binary', () => {
    const bin = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));
    const found = agentRuntimeCommand(`/nonexistent:${bin}`);
    if (existsSync(`${bin}/agent-runtime`))
      expect(found).toEqual([process.execPath, expect.stringMatching(/agent-runtime\/.*\.js$/)]);
    expect(agentRuntimeCommand('/nonexistent')).toEqual(['agent-runtime']);
  });
});
