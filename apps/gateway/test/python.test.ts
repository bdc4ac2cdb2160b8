/**
 * The PyPI SDKs (e2b, e2b-code-interpreter) unmodified against the gateway (stand-in pool, see stand-in.ts): the
 * same P0–P2 calls as the JS suite, configured only through E2B_API_KEY / E2B_API_URL / E2B_SANDBOX_URL.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { pythonWithSdk, runPython } from './python-sdk';
import { standInPool, startStack, type Stack } from './stand-in';

let stack: Stack;
let python: string | { skipped: string };

beforeAll(async () => {
  python = await pythonWithSdk();
  stack = await startStack();
  await standInPool(stack, { namespace: 'team-a', name: 'demo', replicas: 3 });
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

const SCRIPT = `
from e2b import Sandbox, SandboxQuery, SandboxState
from e2b_code_interpreter import Sandbox as CodeInterpreter

sbx = Sandbox.create("demo", timeout=120, metadata={"userId": "py"}, envs={"GREETING": "hi"})
out = sbx.commands.run("echo $GREETING from python")
assert out.stdout == "hi from python\\n", out
sbx.files.write("/tmp/py.txt", "written by python")
assert sbx.files.read("/tmp/py.txt") == "written by python"
info = sbx.get_info()
assert info.metadata == {"userId": "py"}, info.metadata
assert info.state == SandboxState.RUNNING
found = Sandbox.list(query=SandboxQuery(metadata={"userId": "py"})).next_items()
assert [s.sandbox_id for s in found] == [sbx.sandbox_id], found
sbx.set_timeout(60)
assert sbx.pause() is not None
assert Sandbox.get_info(sbx.sandbox_id).state == SandboxState.PAUSED
again = Sandbox.connect(sbx.sandbox_id)
assert again.commands.run("echo back").stdout == "back\\n"
assert again.kill() is True
assert Sandbox.kill(sbx.sandbox_id) is False

ci = CodeInterpreter.create("demo")
assert ci.run_code("1 + 41").text == "42"
ci.kill()
print("PYTHON-SDK-OK")
`;

it('the Python SDK creates, runs commands, moves files, lists, pauses, connects, kills and runs code', async () => {
  if (typeof python !== 'string') {
    console.warn(`skipped: ${python.skipped}`);
    return;
  }
  const result = await runPython(python, SCRIPT, {
    E2B_API_KEY: stack.key,
    E2B_API_URL: stack.gateway.url,
    E2B_SANDBOX_URL: stack.gateway.url,
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toContain('PYTHON-SDK-OK');
  expect(result.code).toBe(0);
}, 120_000);
