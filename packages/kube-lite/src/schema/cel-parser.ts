/**
 * A parser for the subset of CEL that x-kubernetes-validations rules use in practice: literals, lists, field
 * selection, indexing, calls and methods, unary ! and -, arithmetic, comparisons, `in`, && || and ?:.
 */

export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'ident'; name: string }
  | { k: 'list'; items: Expr[] }
  | { k: 'select'; target: Expr; field: string }
  | { k: 'index'; target: Expr; index: Expr }
  | { k: 'call'; fn: string; target?: Expr; args: Expr[] }
  | { k: 'unary'; op: '!' | '-'; arg: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr };

type Token = { t: 'num' | 'str' | 'id' | 'op'; v: string };

const OPS = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = src.slice(i).match(/^(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?)u?/)!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      let s = '';
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new Error('unterminated string');
      out.push({ t: 'str', v: s });
      i = j + quote.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = src.slice(i).match(/^[A-Za-z_][A-Za-z0-9_]*/)!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`unexpected character ${c}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  in: 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

export function parseCel(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => {
    const t = toks[p++];
    if (!t) throw new Error('unexpected end of expression');
    return t;
  };
  const expect = (v: string) => {
    const t = next();
    if (t.v !== v) throw new Error(`expected ${v}, found ${t.v}`);
  };

  const args = (close: string): Expr[] => {
    const out: Expr[] = [];
    if (peek()?.v === close) {
      p++;
      return out;
    }
    for (;;) {
      out.push(expr());
      const t = next();
      if (t.v === close) return out;
      if (t.v !== ',') throw new Error(`expected , or ${close}`);
    }
  };

  const primary = (): Expr => {
    const t = next();
    if (t.t === 'num') {
      const v = t.v.replace(/u$/, '');
      return { k: 'lit', v: v.includes('.') || /e/i.test(v) ? Number(v) : Number(v) };
    }
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.v === '(') {
      const e = expr();
      expect(')');
      return e;
    }
    if (t.v === '[') return { k: 'list', items: args(']') };
    if (t.v === '!' || t.v === '-') return { k: 'unary', op: t.v, arg: postfix(primary()) };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (peek()?.v === '(') {
        p++;
        return { k: 'call', fn: t.v, args: args(')') };
      }
      return { k: 'ident', name: t.v };
    }
    throw new Error(`unexpected ${t.v}`);
  };

  const postfix = (e: Expr): Expr => {
    for (;;) {
      const t = peek();
      if (t?.v === '.') {
        p++;
        const name = next();
        if (name.t !== 'id') throw new Error('expected a field name');
        if (peek()?.v === '(') {
          p++;
          e = { k: 'call', fn: name.v, target: e, args: args(')') };
        } else e = { k: 'select', target: e, field: name.v };
      } else if (t?.v === '[') {
        p++;
        const index = expr();
        expect(']');
        e = { k: 'index', target: e, index };
      } else return e;
    }
  };

  const binary = (minPrec: number): Expr => {
    let left = postfix(primary());
    for (;;) {
      const t = peek();
      const op = t?.v;
      const prec = op !== undefined ? BINARY[op] : undefined;
      if (prec === undefined || prec < minPrec || (op === 'in' && t?.t !== 'id')) return left;
      p++;
      const right = binary(prec + 1);
      left = { k: 'binary', op: op!, left, right };
    }
  };

  const expr = (): Expr => {
    const test = binary(1);
    if (peek()?.v === '?') {
      p++;
      const then = expr();
      expect(':');
      return { k: 'cond', test, then, else: expr() };
    }
    return test;
  };

  const e = expr();
  if (p < toks.length) throw new Error(`unexpected ${toks[p]!.v}`);
  return e;
}

/** Whether an expression mentions oldSelf (a transition rule, evaluated only on update). */
export function usesOldSelf(e: Expr): boolean {
  switch (e.k) {
    case 'ident':
      return e.name === 'oldSelf';
    case 'lit':
      return false;
    case 'list':
      return e.items.some(usesOldSelf);
    case 'select':
      return usesOldSelf(e.target);
    case 'index':
      return usesOldSelf(e.target) || usesOldSelf(e.index);
    case 'call':
      return (e.target ? usesOldSelf(e.target) : false) || e.args.some(usesOldSelf);
    case 'unary':
      return usesOldSelf(e.arg);
    case 'binary':
      return usesOldSelf(e.left) || usesOldSelf(e.right);
    case 'cond':
      return usesOldSelf(e.test) || usesOldSelf(e.then) || usesOldSelf(e.else);
  }
}
