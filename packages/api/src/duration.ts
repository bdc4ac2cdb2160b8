/**
 * Go-style durations (`1m`, `90s`, `1h30m`, `1.5h`, `300ms`), the format Kubernetes' metav1.Duration uses.
 * Values are carried as milliseconds. A bare `0` is zero; a bare negative integer (`-1`) is the conventional
 * "never" of fields such as ttlAfterCompleted, and parses as that many milliseconds (negative).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The syntax of a duration, also used as the CRD schema's pattern, so an API server rejects what this rejects. */
export const GO_DURATION_PATTERN = '^(0|-[0-9]+|[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
const DURATION_RE = new RegExp(GO_DURATION_PATTERN);
const PART_RE = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g;

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/** Parses a Go duration into milliseconds; throws DurationError saying what is wrong and what would be right. */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (value === '') throw new DurationError('empty duration (use e.g. "30s", "1m" or "1h30m")');
  if (/^[-+]?[0-9]+$/.test(value)) {
    const n = Number(value);
    if (n <= 0) return n;
    throw new DurationError(`missing unit in duration "${text}" (use e.g. "${value}s" or "${value}m")`);
  }
  if (!DURATION_RE.test(value)) {
    throw new DurationError(
      `invalid duration "${text}" (use a number and a unit of ns, us, ms, s, m or h, e.g. "1h30m")`,
    );
  }
  const sign = value.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART_RE)) total += Number(amount) * UNIT_MS[unit!]!;
  return sign * total;
}

/** True when `text` parses as a duration. */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** Formats milliseconds as Go's time.Duration.String() would: `1h30m0s`, `1m30s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new DurationError(`cannot format ${ms} as a duration`);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) {
    if (rest >= 1) return `${sign}${trim(rest)}ms`;
    if (rest >= 1e-3) return `${sign}${trim(rest * 1e3)}µs`;
    return `${sign}${trim(rest * 1e6)}ns`;
  }
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = `${trim(rest / 1000)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trim(n: number): string {
  // Enough digits for nanoseconds of a second, without float noise such as 1.2000000000000002.
  return String(Number(n.toFixed(9)));
}
