/** A sandbox's size as E2B reports it, from its pod template's containers. */
import type { PodTemplateSpec } from '@kruise-agents/api';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes quantity (`500m`, `2`, `1Gi`, `1e3`) as a number; NaN when it is not one. */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(value.trim());
  if (!match) return Number.NaN;
  const unit = match[2] ?? '';
  return Number(match[1]) * (BINARY[unit] ?? DECIMAL[unit] ?? Number.NaN);
}

export interface SandboxSize {
  cpuCount: number;
  memoryMB: number;
  diskSizeMB: number;
}

/**
 * CPUs (rounded up: a sandbox with 500m has part of one CPU), memory and ephemeral disk in MiB, summed over the main
 * containers, from limits and else requests.
 */
export function sandboxSize(template: PodTemplateSpec | undefined): SandboxSize {
  let cpu = 0;
  let memory = 0;
  let disk = 0;
  for (const container of template?.spec.containers ?? []) {
    const pick = (name: string) => {
      const limit = parseQuantity(container.resources?.limits?.[name]);
      return Number.isNaN(limit) ? parseQuantity(container.resources?.requests?.[name]) : limit;
    };
    const c = pick('cpu');
    const m = pick('memory');
    const d = pick('ephemeral-storage');
    if (!Number.isNaN(c)) cpu += c;
    if (!Number.isNaN(m)) memory += m;
    if (!Number.isNaN(d)) disk += d;
  }
  return { cpuCount: Math.ceil(cpu), memoryMB: Math.ceil(memory / 2 ** 20), diskSizeMB: Math.ceil(disk / 2 ** 20) };
}
