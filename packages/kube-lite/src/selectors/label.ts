/**
 * Label selectors in the string form of the `labelSelector` query parameter (apimachinery labels.Parse):
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, comma-separated and ANDed.
 */
import { errors } from '../errors';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' }
  | { key: string; op: 'gt' | 'lt'; values: [string] };

export type LabelSelector = Requirement[];

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, input: string): string {
  if (!KEY.test(key) || key.length > 316) {
    throw errors.badRequest(`unable to parse requirement: invalid label key "${key}" in "${input}"`);
  }
  return key;
}

function checkValue(value: string, input: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw errors.badRequest(`unable to parse requirement: invalid label value: "${value}" in "${input}"`);
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

export function parseLabelSelector(input: string | null | undefined): LabelSelector {
  if (!input || !input.trim()) return [];
  const out: Requirement[] = [];
  for (const term of splitTerms(input)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v, _i, all) => v !== '' || all.length === 1);
      out.push({
        key: checkKey(m[1]!, input),
        op: m[2] as 'in' | 'notin',
        values: values.map((v) => checkValue(v, input)),
      });
    } else if ((m = term.match(/^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/))) {
      const key = checkKey(m[1]!, input);
      const op = m[2]!;
      const value = m[3]!;
      if (op === '<' || op === '>') {
        if (!/^-?\d+$/.test(value))
          throw errors.badRequest(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        out.push({ key, op: op === '<' ? 'lt' : 'gt', values: [value] });
      } else {
        out.push({ key, op: op === '!=' ? 'notin' : 'in', values: [checkValue(value, input)] });
      }
    } else if ((m = term.match(/^!\s*(\S+)$/))) {
      out.push({ key: checkKey(m[1]!, input), op: 'doesnotexist' });
    } else if ((m = term.match(/^(\S+)$/))) {
      out.push({ key: checkKey(m[1]!, input), op: 'exists' });
    } else {
      throw errors.badRequest(`unable to parse requirement: found '${term}', expected: key, !, =, ==, !=, in, notin`);
    }
  }
  return out;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels![r.key]! : undefined;
    switch (r.op) {
      case 'in':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(value!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'doesnotexist':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value!)) return false;
        const n = Number(value);
        const bound = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels/matchExpressions) to the string form, as the scale subresource reports it. */
export function formatLabelSelector(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}
