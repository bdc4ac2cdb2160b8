/**
 * Test harness: a real runtime on loopback (random ports, its own temporary root) and the real SDK clients pointed at
 * it through `sandboxUrl`, exactly as a gateway-less deployment would. No mocks.
 */
import { Sandbox } from 'e2b';
import { Sandbox as CodeInterpreter } from '@e2b/code-interpreter';
import { makeTempDir, waitFor as pollFor } from 'test-kit';
import { startAgentRuntime, type AgentRuntime, type AgentRuntimeOptions } from '../src/index';

export interface Harness {
  runtime: AgentRuntime;
  /** Host directory that the sandbox's "/" maps to. */
  root: string;
  /** An e2b Sandbox bound to this runtime (with the access token when one is set). */
  sandbox(opts?: { accessToken?: string }): Sandbox;
  codeInterpreter(opts?: { accessToken?: string }): CodeInterpreter;
  close(): Promise<void>;
}

type SandboxCtorOpts = ConstructorParameters<typeof Sandbox>[0];

function sandboxOptions(runtime: AgentRuntime, accessToken: string | undefined): SandboxCtorOpts {
  // The constructor is what Sandbox.create()/connect() call after the control plane answered; calling it directly
  // is the SDK with a control plane that said: envd at this URL, this version, this token.
  return {
    sandboxId: 'test-sandbox',
    envdVersion: runtime.envdVersion,
    envdAccessToken: accessToken,
    sandboxUrl: runtime.envdUrl,
    apiKey: 'unused',
    debug: false,
  };
}

export async function startHarness(options: AgentRuntimeOptions = {}): Promise<Harness> {
  const root = makeTempDir('agent-runtime-test');
  const runtime = await startAgentRuntime({ envdPort: 0, interpreterPort: 0, root: root.path, ...options });
  return {
    runtime,
    root: root.path,
    sandbox: (opts) => new Sandbox(sandboxOptions(runtime, opts?.accessToken ?? options.accessToken)),
    codeInterpreter: (opts) => new CodeInterpreter(sandboxOptions(runtime, opts?.accessToken ?? options.accessToken)),
    async close() {
      await runtime.close();
      root.remove();
    },
  };
}

/**
 * test-kit's waitFor with 3 s by default: the runtime answers in milliseconds, and a miss should fail naming what it
 * waited for before jest's 5 s per test fails it without saying.
 */
export const waitFor: typeof pollFor = (what, check, timeoutMs = 3_000) => pollFor(what, check, timeoutMs);

/** A Connect server-stream request body: one uncompressed envelope around a JSON message. */
export function envelope(message: unknown, flags = 0): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(5);
  header.writeUInt8(flags, 0);
  header.writeUInt32BE(json.length, 1);
  return Buffer.concat([header, json]);
}

/** Splits a Connect streaming response body into its envelopes. */
export function parseEnvelopes(body: Buffer): { flags: number; data: unknown }[] {
  const out: { flags: number; data: unknown }[] = [];
  let offset = 0;
  while (offset + 5 <= body.length) {
    const flags = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 1);
    out.push({ flags, data: JSON.parse(body.subarray(offset + 5, offset + 5 + length).toString('utf8')) });
    offset += 5 + length;
  }
  return out;
}
