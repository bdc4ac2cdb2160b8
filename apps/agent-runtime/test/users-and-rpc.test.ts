/**
 * Running as the requested user (when the daemon is root and serves the real "/"), and the RPC surface the JS SDK
 * does not reach: StreamInput (client streaming) and the binary protobuf codec, through a connect-node client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { Process } from '../src/gen/process/process_pb';
import { Filesystem } from '../src/gen/filesystem/filesystem_pb';
import { startHarness, waitFor, type Harness } from './helpers';

const isRoot = process.getuid?.() === 0;
const hasNobody = fs.readFileSync('/etc/passwd', 'utf8').includes('\nnobody:');

describe('users', () => {
  let h: Harness;
  let scratch: string;
  beforeAll(async () => {
    h = await startHarness({ root: '/' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-runtime-users-'));
    fs.chmodSync(scratch, 0o777);
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  (isRoot && hasNobody ? it : it.skip)('runs commands and writes files as the Basic-auth user', async () => {
    const sbx = h.sandbox();
    const id = await sbx.commands.run('id -un', { user: 'nobody' as 'root', cwd: scratch });
    expect(id.stdout.trim()).toBe('nobody');
    await sbx.files.write(path.join(scratch, 'owned.txt'), 'x', { user: 'nobody' as 'root' });
    const info = await sbx.files.getInfo(path.join(scratch, 'owned.txt'));
    expect(info.owner).toBe('nobody');
    expect((await sbx.commands.run('id -un', { user: 'root', cwd: scratch })).stdout.trim()).toBe('root');
    await expect(sbx.commands.run('true', { user: 'no-such-user-x' as 'root' })).rejects.toThrow(/does not exist/);
  });
});

describe('connect-node client (binary protobuf, client streaming)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('feeds stdin through StreamInput and stats over binary protobuf', async () => {
    const transport = createConnectTransport({ baseUrl: h.runtime.envdUrl, httpVersion: '1.1', useBinaryFormat: true });
    const processes = createClient(Process, transport);
    const stream = processes.start({ process: { cmd: '/bin/cat', args: [] }, stdin: true });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.event?.event.case).toBe('start');
    const pid = first.value?.event?.event.case === 'start' ? first.value.event.event.value.pid : 0;

    async function* inputs() {
      yield {
        event: { case: 'start' as const, value: { process: { selector: { case: 'pid' as const, value: pid } } } },
      };
      yield {
        event: {
          case: 'data' as const,
          value: { input: { input: { case: 'stdin' as const, value: new TextEncoder().encode('streamed\n') } } },
        },
      };
    }
    await processes.streamInput(inputs());
    await processes.closeStdin({ process: { selector: { case: 'pid', value: pid } } });
    let output = '';
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const event = next.value.event?.event;
      if (event?.case === 'data' && event.value.output.case === 'stdout')
        output += new TextDecoder().decode(event.value.output.value);
      if (event?.case === 'end') expect(event.value.exitCode).toBe(0);
    }
    expect(output).toBe('streamed\n');

    const files = createClient(Filesystem, transport);
    const { entry } = await files.stat({ path: '/home/user' });
    expect(entry?.path).toBe('/home/user');
    await expect(files.stat({ path: '/missing' })).rejects.toThrow(/not_found|no such file/i);
  });

  it('serves polling watchers (CreateWatcher / GetWatcherEvents / RemoveWatcher)', async () => {
    const files = createClient(Filesystem, createConnectTransport({ baseUrl: h.runtime.envdUrl, httpVersion: '1.1' }));
    fs.mkdirSync(path.join(h.root, 'polled'));
    const { watcherId } = await files.createWatcher({ path: '/polled', includeEntry: true });
    fs.writeFileSync(path.join(h.root, 'polled', 'p.txt'), 'p');
    const seen: string[] = [];
    await waitFor('p.txt among the polled events', async () => {
      const { events } = await files.getWatcherEvents({ watcherId });
      seen.push(...events.map((e) => e.name));
      return seen.includes('p.txt');
    });
    await files.removeWatcher({ watcherId });
    await expect(files.getWatcherEvents({ watcherId })).rejects.toThrow(/not found/);
  });
});

describe('several sandboxes on one machine', () => {
  it('serve the same port on different loopback IPs with separate roots', async () => {
    const a = await startHarness({ host: '127.0.0.2' });
    const port = Number(new URL(a.runtime.envdUrl).port);
    const b = await startHarness({ host: '127.0.0.3', envdPort: port, interpreterPort: false });
    try {
      expect(b.runtime.envdUrl).toBe(`http://127.0.0.3:${port}`);
      expect(b.runtime.interpreterUrl).toBeUndefined();
      await a.sandbox().files.write('/home/user/only-a.txt', 'a');
      expect(await b.sandbox().files.exists('/home/user/only-a.txt')).toBe(false);
      expect(await a.sandbox().files.read('/home/user/only-a.txt')).toBe('a');
      // b has no separate interpreter listener, but its envd URL serves the interpreter too.
      expect((await b.codeInterpreter().runCode('6 * 7')).text).toBe('42');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
