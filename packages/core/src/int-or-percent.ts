/**
 * Resolves an IntOrString such as maxUnavailable (`2` or `"20%"`) against a total, as Kubernetes'
 * GetScaledValueFromIntOrPercent does: integers are taken as they are, percentages of `total` are rounded up or down.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^([0-9]+)%$/.exec(value.trim());
  if (match) {
    const exact = (Number(match[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  // A bare integer in a string ("3") is accepted as that integer, as Kubernetes does.
  if (/^[0-9]+$/.test(value.trim())) return Number(value);
  throw new RangeError(`invalid int-or-percent "${value}" (use an integer or a percentage such as "20%")`);
}
