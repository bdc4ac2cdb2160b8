/** GET /health, POST /init, GET /envs, GET /metrics. */
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import { requireAccessToken, tokensEqual } from './auth';
import { RuntimeError } from './errors';
import { readJson, sendJson } from './http-util';
import { parseInitBody, type RuntimeState } from './state';

export function handleHealth(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/**
 * POST /init, called by the control plane after boot or resume. Unauthenticated while no token is set (that is how
 * the first token arrives); afterwards the caller must prove it knows the token, by header or in the body.
 * `timestamp` is accepted but the clock is not set: the runtime is not the machine's owner.
 */
export async function handleInit(state: RuntimeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseInitBody(await readJson(req));
  if (state.accessToken !== undefined) {
    const header = req.headers['x-access-token'];
    const proven =
      (typeof header === 'string' && tokensEqual(header, state.accessToken)) ||
      (body.accessToken !== undefined && tokensEqual(body.accessToken, state.accessToken));
    if (!proven) throw new RuntimeError('unauthenticated', 'missing or invalid access token');
  }
  state.init(body);
  state.log(`init: ${Object.keys(body.envVars ?? {}).length} env vars, user ${state.defaultUser}`);
  res.writeHead(204);
  res.end();
}

export function handleEnvs(state: RuntimeState, req: IncomingMessage, res: ServerResponse): void {
  requireAccessToken(state.accessToken, req.headers);
  sendJson(res, 200, state.envVars);
}

let lastCpu = { idle: 0, total: 0 };

function cpuUsedPct(): number {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  const dIdle = idle - lastCpu.idle;
  const dTotal = total - lastCpu.total;
  lastCpu = { idle, total };
  return dTotal > 0 ? Math.round((1 - dIdle / dTotal) * 10000) / 100 : 0;
}

/** envd's metrics shape (machine-wide figures: a runtime sharing a machine cannot see its own cgroup share). */
export async function handleMetrics(state: RuntimeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireAccessToken(state.accessToken, req.headers);
  const disk = await fs.statfs(state.fs.root).catch(() => undefined);
  const total = os.totalmem();
  const used = total - os.freemem();
  sendJson(res, 200, {
    ts: Math.floor(Date.now() / 1000),
    cpu_count: os.cpus().length,
    cpu_used_pct: cpuUsedPct(),
    mem_total_mib: Math.floor(total / 1024 / 1024),
    mem_used_mib: Math.floor(used / 1024 / 1024),
    mem_total: total,
    mem_used: used,
    disk_used: disk ? (disk.blocks - disk.bfree) * disk.bsize : 0,
    disk_total: disk ? disk.blocks * disk.bsize : 0,
  });
}
