/**
 * A 1 GiB upload and download through the SDK with the runtime in its own process, whose peak RSS (VmHWM) must stay
 * flat: /files streams between socket and disk and never holds a file in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { Sandbox } from 'e2b';
import { startAgentRuntimeProcess } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { ENVD_VERSION } from '../src/index';

const GIB = 1024 ** 3;
const CHUNK = 1024 * 1024;

function memoryKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return Number(match?.[1] ?? NaN);
}

const runtime = fileFixture(() => startAgentRuntimeProcess({ interpreter: false }), 30_000);

function gibibyteStream(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(CHUNK).map((_, i) => i % 251);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= GIB) return controller.close();
      controller.enqueue(chunk);
      sent += CHUNK;
    },
  });
}

it('uploads and downloads 1 GiB with flat memory', async () => {
  const sbx = new Sandbox({
    sandboxId: 'large',
    envdVersion: ENVD_VERSION,
    sandboxUrl: runtime.envdUrl,
    apiKey: 'unused',
  });
  // Warm up (code paths, buffers), then measure growth of the peak from here.
  await sbx.files.write('/warm.bin', new Uint8Array(8 * CHUNK).buffer);
  await sbx.files.read('/warm.bin', { format: 'bytes' });
  const pid = runtime.pid;
  const baseline = memoryKb(pid, 'VmRSS');

  const info = await sbx.files.write('/big.bin', gibibyteStream());
  expect(info.path).toBe('/big.bin');
  expect(fs.statSync(path.join(runtime.root, 'big.bin')).size).toBe(GIB);
  const afterUpload = memoryKb(pid, 'VmHWM');

  const download = await sbx.files.read('/big.bin', { format: 'stream' });
  let received = 0;
  for await (const part of download) received += part.byteLength;
  expect(received).toBe(GIB);
  const afterDownload = memoryKb(pid, 'VmHWM');

  const growthMb = (Math.max(afterUpload, afterDownload) - baseline) / 1024;
  console.log(
    `runtime RSS baseline ${Math.round(baseline / 1024)} MB, peak growth ${growthMb.toFixed(1)} MB for 1 GiB up + down`,
  );
  expect(growthMb).toBeLessThan(96);
}, 60_000);
