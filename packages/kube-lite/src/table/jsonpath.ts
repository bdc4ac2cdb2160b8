/**
 * The JSONPath subset printer columns use: `.a.b`, escaped dots (`.metadata.labels.example\.com/x`), `[n]`, `[*]`,
 * `['key']` and filters `[?(@.type=="Ready")]`. Returns every match, like k8s.io/client-go/util/jsonpath.
 */
import { isObject } from '../util/json';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: unknown };

const cache = new Map<string, Step[]>();

function parse(expr: string): Step[] {
  let e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) e = e.slice(1, -1);
  const steps: Step[] = [];
  let i = 0;
  while (i < e.length) {
    const ch = e[i];
    if (ch === '.') {
      i++;
      let name = '';
      while (i < e.length && e[i] !== '.' && e[i] !== '[') {
        if (e[i] === '\\' && i + 1 < e.length) {
          name += e[i + 1];
          i += 2;
        } else name += e[i++];
      }
      if (name === '*') steps.push({ kind: 'all' });
      else if (name) steps.push({ kind: 'field', name });
    } else if (ch === '[') {
      const end = e.indexOf(']', i);
      const inner = e.slice(i + 1, end < 0 ? e.length : end).trim();
      i = end < 0 ? e.length : end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const m = inner.match(/^\?\(@((?:\.[\w-]+)+)\s*(?:(==|!=)\s*(.+))?\)$/);
        if (m) {
          let value: unknown = m[3]?.trim();
          if (typeof value === 'string') {
            if (/^'.*'$|^".*"$/.test(value)) value = value.slice(1, -1);
            else if (/^-?\d+(\.\d+)?$/.test(value)) value = Number(value);
            else if (value === 'true' || value === 'false') value = value === 'true';
          }
          steps.push({ kind: 'filter', path: m[1]!.slice(1).split('.'), op: (m[2] as '==' | '!=') ?? 'exists', value });
        }
      }
    } else i++;
  }
  return steps;
}

export function evaluateJsonPath(obj: unknown, expr: string): unknown[] {
  let steps = cache.get(expr);
  if (!steps) cache.set(expr, (steps = parse(expr)));
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (isObject(v) && v[step.name] !== undefined) next.push(v[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const item = v[step.index < 0 ? v.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else {
        if (!Array.isArray(v)) continue;
        for (const item of v) {
          let cur: unknown = item;
          for (const p of step.path) cur = isObject(cur) ? cur[p] : undefined;
          if (step.op === 'exists' ? cur !== undefined : step.op === '==' ? cur === step.value : cur !== step.value)
            next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
