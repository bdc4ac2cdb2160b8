/** envd's GET /metrics answer as one E2B SandboxMetric sample (GET /sandboxes/{id}/metrics). */
import type { SandboxMetric } from './schemas/responses';

export interface EnvdMetrics {
  ts?: number;
  cpu_count?: number;
  cpu_used_pct?: number;
  mem_used?: number;
  mem_total?: number;
  mem_cache?: number;
  disk_used?: number;
  disk_total?: number;
}

const int = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : 0);

export function toSandboxMetric(envd: EnvdMetrics, nowMs: number): SandboxMetric {
  const unix = typeof envd.ts === 'number' && envd.ts > 0 ? Math.floor(envd.ts) : Math.floor(nowMs / 1000);
  return {
    timestamp: new Date(unix * 1000).toISOString(),
    timestampUnix: unix,
    cpuCount: int(envd.cpu_count),
    cpuUsedPct: typeof envd.cpu_used_pct === 'number' ? envd.cpu_used_pct : 0,
    memUsed: int(envd.mem_used),
    memTotal: int(envd.mem_total),
    memCache: int(envd.mem_cache),
    diskUsed: int(envd.disk_used),
    diskTotal: int(envd.disk_total),
  };
}
