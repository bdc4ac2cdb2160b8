/** files.* through the real e2b SDK (checklist P0 5, P1 13-17, P3 28 and 31). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FileNotFoundError, FileType, InvalidArgumentError, type FilesystemEvent, type Sandbox } from 'e2b';
import { envelope, parseEnvelopes, startHarness, waitFor, type Harness } from './helpers';

let h: Harness;
let sbx: Sandbox;

beforeAll(async () => {
  h = await startHarness();
  sbx = h.sandbox();
});
afterAll(() => h.close());

describe('write and read', () => {
  it('writes text under the root, creating parents, and reads it back', async () => {
    const info = await sbx.files.write('/home/user/dir/a.txt', 'hello');
    expect(info).toMatchObject({ path: '/home/user/dir/a.txt', name: 'a.txt', type: 'file' });
    expect(fs.readFileSync(path.join(h.root, 'home/user/dir/a.txt'), 'utf8')).toBe('hello');
    expect(await sbx.files.read('/home/user/dir/a.txt')).toBe('hello');
  });

  it('resolves relative paths from the home directory and truncates on overwrite', async () => {
    await sbx.files.write('rel.txt', 'a much longer first version');
    await sbx.files.write('rel.txt', 'short');
    expect(await sbx.files.read('/home/user/rel.txt')).toBe('short');
  });

  it('round-trips binary data and empty files', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    await sbx.files.write('/bin.dat', bytes.buffer);
    expect(new Uint8Array(await sbx.files.read('/bin.dat', { format: 'bytes' }))).toEqual(bytes);
    await sbx.files.write('/empty', '');
    expect(await sbx.files.read('/empty')).toBe('');
  });

  it('writes a batch in one multipart request', async () => {
    const infos = await sbx.files.write([
      { path: '/batch/one.txt', data: '1' },
      { path: '/batch/nested/two.txt', data: '2' },
    ]);
    expect(infos.map((i) => i.path)).toEqual(['/batch/one.txt', '/batch/nested/two.txt']);
    expect(await sbx.files.read('/batch/nested/two.txt')).toBe('2');
  });

  it('uploads as octet-stream, gzip-compressed, and downloads gzip', async () => {
    const text = 'compress me '.repeat(10_000);
    await sbx.files.write('/gz.txt', text, { gzip: true });
    expect(await sbx.files.read('/gz.txt', { gzip: true })).toBe(text);
    await sbx.files.write('/raw.txt', 'raw', { useOctetStream: true });
    expect(await sbx.files.read('/raw.txt')).toBe('raw');
  });

  it('stores metadata and returns it in entries', async () => {
    const info = await sbx.files.write('/meta.txt', 'm', { metadata: { owner: 'me' } });
    expect(info.metadata).toEqual({ owner: 'me' });
    expect((await sbx.files.getInfo('/meta.txt')).metadata).toEqual({ owner: 'me' });
  });

  it('maps missing files and directories to SDK errors', async () => {
    await expect(sbx.files.read('/missing.txt')).rejects.toBeInstanceOf(FileNotFoundError);
    await sbx.files.makeDir('/adir');
    await expect(sbx.files.read('/adir')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(sbx.files.write('/adir', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('filesystem RPCs', () => {
  it('lists with depth, and reports entry fields', async () => {
    await sbx.files.write('/tree/a/b/c.txt', 'c');
    await sbx.files.write('/tree/top.txt', 'top');
    const one = await sbx.files.list('/tree');
    expect(one.map((e) => e.path)).toEqual(['/tree/a', '/tree/top.txt']);
    const three = await sbx.files.list('/tree', { depth: 3 });
    expect(three.map((e) => e.path).sort()).toEqual(['/tree/a', '/tree/a/b', '/tree/a/b/c.txt', '/tree/top.txt']);
    const top = one.find((e) => e.name === 'top.txt');
    expect(top).toMatchObject({ type: FileType.FILE, size: 3, permissions: '-rw-r--r--', mode: 0o644 });
    expect(top?.modifiedTime?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await expect(sbx.files.list('/nope')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(sbx.files.list('/tree/top.txt')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('exists, getInfo, makeDir, rename, remove', async () => {
    expect(await sbx.files.exists('/nothing')).toBe(false);
    expect(await sbx.files.makeDir('/made/deep')).toBe(true);
    expect(await sbx.files.makeDir('/made/deep')).toBe(false);
    expect((await sbx.files.getInfo('/made/deep')).type).toBe(FileType.DIR);
    await expect(sbx.files.getInfo('/nothing')).rejects.toBeInstanceOf(FileNotFoundError);

    await sbx.files.write('/mv/src.txt', 'moving');
    const moved = await sbx.files.rename('/mv/src.txt', '/mv/to/dst.txt');
    expect(moved).toMatchObject({ path: '/mv/to/dst.txt', name: 'dst.txt', type: FileType.FILE });
    expect(await sbx.files.exists('/mv/src.txt')).toBe(false);
    await expect(sbx.files.rename('/mv/none', '/mv/x')).rejects.toBeInstanceOf(FileNotFoundError);

    await sbx.files.remove('/mv');
    expect(await sbx.files.exists('/mv/to/dst.txt')).toBe(false);
    await sbx.files.remove('/mv'); // rm -rf: missing is fine
  });

  it('reports symlinks with their target', async () => {
    await sbx.files.write('/links/target.txt', 't');
    fs.symlinkSync('target.txt', path.join(h.root, 'links/link'));
    const entries = await sbx.files.list('/links');
    expect(entries.find((e) => e.name === 'link')).toMatchObject({
      type: FileType.SYMLINK,
      symlinkTarget: '/links/target.txt',
    });
  });
});

describe('watchDir', () => {
  it('streams create, write and remove events with entries', async () => {
    await sbx.files.makeDir('/watched');
    const events: FilesystemEvent[] = [];
    const handle = await sbx.files.watchDir('/watched', (e) => void events.push(e), {
      recursive: true,
      includeEntry: true,
    });
    await sbx.files.write('/watched/new.txt', 'x');
    await waitFor('create of new.txt', () => events.some((e) => e.name === 'new.txt' && e.type === 'create'));
    await sbx.files.makeDir('/watched/sub');
    await sbx.files.write('/watched/sub/deep.txt', 'y');
    await waitFor('an event of sub/deep.txt', () => events.some((e) => e.name === 'sub/deep.txt'));
    await sbx.commands.run('sleep 0.05; chmod 600 new.txt', { cwd: '/watched' });
    await waitFor('chmod of new.txt', () => events.some((e) => e.name === 'new.txt' && e.type === 'chmod'));
    await sbx.files.write('/watched/new.txt', 'rewritten');
    await waitFor('write of new.txt', () => events.some((e) => e.name === 'new.txt' && e.type === 'write'));
    await sbx.files.remove('/watched/new.txt');
    await waitFor('remove of new.txt', () => events.some((e) => e.name === 'new.txt' && e.type === 'remove'));
    const created = events.find((e) => e.name === 'new.txt' && e.type === 'create');
    expect(created?.entry?.path).toBe('/watched/new.txt');
    await handle.stop();
  });

  it('ends with a timeout error at its deadline and fails for a missing directory', async () => {
    let exitError: Error | undefined;
    let exited = false;
    await sbx.files.watchDir('/watched', () => {}, {
      timeoutMs: 300,
      onExit: (e) => {
        exited = true;
        exitError = e;
      },
    });
    await waitFor('the watch to end at its deadline', () => exited);
    expect(exitError?.name).toBe('TimeoutError');
    await expect(sbx.files.watchDir('/no-such-dir', () => {})).rejects.toBeInstanceOf(FileNotFoundError);
  });
});

describe('WatchDir on the wire', () => {
  it('sends start, keepalives while idle, and ends with deadline_exceeded at Connect-Timeout-Ms', async () => {
    await sbx.files.makeDir('/wire-watch');
    const response = await fetch(`${h.runtime.envdUrl}/filesystem.Filesystem/WatchDir`, {
      method: 'POST',
      headers: {
        'content-type': 'application/connect+json',
        'connect-protocol-version': '1',
        'keepalive-ping-interval': '1',
        'connect-timeout-ms': '2500',
      },
      body: envelope({ path: '/wire-watch' }),
    });
    const frames = parseEnvelopes(Buffer.from(await response.arrayBuffer()));
    expect(frames[0]).toEqual({ flags: 0, data: { start: {} } });
    expect(frames.filter((f) => JSON.stringify(f.data) === '{"keepalive":{}}').length).toBeGreaterThanOrEqual(2);
    expect(frames.at(-1)).toMatchObject({ flags: 2, data: { error: { code: 'deadline_exceeded' } } });
  });
});
