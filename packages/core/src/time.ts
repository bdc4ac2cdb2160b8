/** Time helpers: every function takes the clock as a value (milliseconds since the epoch or a Date). */

export type Instant = number | Date;

export function toMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

/** RFC 3339 truncated to the second, in UTC, as metav1.Time serialises: `2026-01-02T03:04:05Z`. */
export function formatTime(instant: Instant): string {
  const ms = Math.floor(toMs(instant) / 1000) * 1000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an RFC 3339 timestamp; undefined for a missing or unparsable one. */
export function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
