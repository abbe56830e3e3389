/**
 * A `$filter` parser and evaluator for the subset of OData Graph's directory APIs
 * accept: eq, ne, gt/ge/lt/le, startswith, endswith, in, not, and, or, parentheses,
 * `/`-paths into complex values and `any` lambdas over collections
 * (`groupTypes/any(c:c eq 'Unified')`). docs/graph-facts.md §5 "Advanced queries": ne, not
 * and endswith need `ConsistencyLevel: eventual` + `$count=true`; the parser reports
 * whether the expression uses them so the caller can insist.
 */
import type { Json } from '../model.js';
import { badRequest } from './graph-error.js';

type Lit = string | number | boolean | null;
export type FilterExpr =
  | { k: 'and' | 'or'; a: FilterExpr; b: FilterExpr }
  | { k: 'not'; e: FilterExpr }
  | { k: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string[]; value: Lit }
  | { k: 'in'; path: string[]; values: Lit[] }
  | { k: 'fn'; name: 'startswith' | 'endswith'; path: string[]; value: string }
  | { k: 'any'; path: string[]; v: string; body: FilterExpr };

export interface ParsedFilter {
  expr: FilterExpr;
  /** Uses ne, not or endswith (advanced query capabilities). */
  advanced: boolean;
}

type Tok = { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'p'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === ',' || c === ':') {
      out.push({ t: 'p', v: c });
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw badRequest(`Invalid filter clause: unterminated string literal.`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
    } else if (/[-0-9]/.test(c) && /^-?\d+(\.\d+)?(?![\w-])/.test(src.slice(i))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[\w$@./-]/.test(c)) {
      const m = /^[\w$@./-]+/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      throw badRequest(`Invalid filter clause: unexpected character '${c}'.`);
    }
  }
  return out;
}

/** Parses a `$filter` value; 400 Request_BadRequest on syntax errors. */
export function parseFilter(src: string): ParsedFilter {
  const toks = tokenize(src);
  let pos = 0;
  let advanced = false;
  const peek = (): Tok | undefined => toks[pos];
  const isWord = (w: string): boolean => {
    const t = toks[pos];
    return t?.t === 'id' && t.v.toLowerCase() === w;
  };
  const expectP = (v: string): void => {
    const t = toks[pos++];
    if (t?.t !== 'p' || t.v !== v) throw badRequest(`Invalid filter clause: expected '${v}'.`);
  };
  const literal = (): Lit => {
    const t = toks[pos++];
    if (!t) throw badRequest('Invalid filter clause: missing value.');
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      // GUIDs are written unquoted in some filters (principalId eq 1a2b…)
      if (/^[0-9a-f-]{36}$/i.test(t.v)) return t.v;
    }
    throw badRequest(`Invalid filter clause: unexpected token '${String(t.v)}'.`);
  };
  const path = (): string[] => {
    const t = toks[pos++];
    if (t?.t !== 'id') throw badRequest('Invalid filter clause: expected a property.');
    return t.v.split('/');
  };
  const primary = (): FilterExpr => {
    const t = peek();
    if (t?.t === 'p' && t.v === '(') {
      pos++;
      const e = orExpr();
      expectP(')');
      return e;
    }
    if (isWord('not')) {
      pos++;
      advanced = true;
      return { k: 'not', e: primary() };
    }
    if (t?.t === 'id' && ['startswith', 'endswith'].includes(t.v.toLowerCase()) && toks[pos + 1]?.v === '(') {
      const name = t.v.toLowerCase() as 'startswith' | 'endswith';
      if (name === 'endswith') advanced = true;
      pos += 2;
      const p = path();
      expectP(',');
      const v = literal();
      expectP(')');
      if (typeof v !== 'string') throw badRequest(`Invalid filter clause: ${name} needs a string.`);
      return { k: 'fn', name, path: p, value: v };
    }
    if (t?.t === 'id' && /\/any$/i.test(t.v) && toks[pos + 1]?.v === '(') {
      pos += 2;
      const p = t.v.split('/').slice(0, -1);
      const vt = toks[pos++];
      if (vt?.t !== 'id') throw badRequest('Invalid filter clause: lambda variable expected.');
      expectP(':');
      const body = orExpr();
      expectP(')');
      return { k: 'any', path: p, v: vt.v, body };
    }
    const p = path();
    const opTok = toks[pos++];
    const op = opTok?.t === 'id' ? opTok.v.toLowerCase() : '';
    if (op === 'in') {
      expectP('(');
      const values: Lit[] = [];
      for (;;) {
        values.push(literal());
        const n = toks[pos++];
        if (n?.t === 'p' && n.v === ')') break;
        if (!(n?.t === 'p' && n.v === ',')) throw badRequest('Invalid filter clause: bad in-list.');
      }
      return { k: 'in', path: p, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw badRequest(`Invalid filter clause: unsupported operator '${op}'.`);
    if (op === 'ne') advanced = true;
    return { k: 'cmp', op: op as 'eq', path: p, value: literal() };
  };
  const andExpr = (): FilterExpr => {
    let e = primary();
    while (isWord('and')) {
      pos++;
      e = { k: 'and', a: e, b: primary() };
    }
    return e;
  };
  const orExpr = (): FilterExpr => {
    let e = andExpr();
    while (isWord('or')) {
      pos++;
      e = { k: 'or', a: e, b: andExpr() };
    }
    return e;
  };
  const expr = orExpr();
  if (pos !== toks.length) throw badRequest('Invalid filter clause: trailing tokens.');
  return { expr, advanced };
}

function resolve(value: Json | undefined, path: string[]): Json | undefined {
  let cur: Json | undefined = value;
  for (const seg of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, Json>)[seg];
  }
  return cur;
}

function cmp(a: Json | undefined, op: string, b: Lit): boolean {
  const norm = (x: Json | undefined): Json | undefined => (typeof x === 'string' ? x.toLowerCase() : x);
  const x = norm(a === undefined ? null : a);
  const y = norm(b);
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    default: {
      if (x === null || x === undefined || y === null || y === undefined || typeof x === 'object') return false;
      if (op === 'gt') return x > y;
      if (op === 'ge') return x >= y;
      if (op === 'lt') return x < y;
      return x <= y;
    }
  }
}

/** Evaluates a parsed filter against one object (string comparisons ignore case, as Graph's do). */
export function evalFilter(e: FilterExpr, obj: Json, scope: Record<string, Json> = {}): boolean {
  const get = (p: string[]): Json | undefined => (p[0]! in scope ? resolve(scope[p[0]!], p.slice(1)) : resolve(obj, p));
  switch (e.k) {
    case 'and':
      return evalFilter(e.a, obj, scope) && evalFilter(e.b, obj, scope);
    case 'or':
      return evalFilter(e.a, obj, scope) || evalFilter(e.b, obj, scope);
    case 'not':
      return !evalFilter(e.e, obj, scope);
    case 'cmp':
      return cmp(get(e.path), e.op, e.value);
    case 'in': {
      const v = get(e.path);
      return e.values.some((x) => cmp(v, 'eq', x));
    }
    case 'fn': {
      const v = get(e.path);
      if (typeof v !== 'string') return false;
      const a = v.toLowerCase();
      const b = e.value.toLowerCase();
      return e.name === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'any': {
      const coll = get(e.path);
      if (!Array.isArray(coll)) return false;
      return coll.some((item) => evalFilter(e.body, obj, { ...scope, [e.v]: item }));
    }
  }
}

/** When the filter is a single `prop eq 'value'`, the property and value (for index lookups). */
export function simpleEquality(e: FilterExpr): { prop: string; value: string } | undefined {
  if (e.k === 'cmp' && e.op === 'eq' && e.path.length === 1 && typeof e.value === 'string') {
    return { prop: e.path[0]!, value: e.value };
  }
  return undefined;
}
