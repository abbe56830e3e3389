/**
 * A `$filter` parser and evaluator for the subset of OData Graph's directory APIs
 * accept: eq, ne, gt/ge/lt/le, startswith, endswith, in, not, and, or, parentheses,
 * `/`-paths into complex values and `any` lambdas over collections
 * (`groupTypes/any(c:c eq 'Unified')`). docs/graph-facts.md §5 "Advanced queries": ne, not
 * and endswith need `ConsistencyLevel: eventual` + `$count=true`; the parser reports
 * whether the expression uses them so the caller can insist.
 */
import type { Json } from '../../model.js';
import { badRequest, unsupportedQuery } from '../graph-error.js';

/**
 * An unquoted DateTimeOffset literal (`createdDateTime ge 2024-01-01T00:00:00Z`), compared as
 * an instant, not as text (https://learn.microsoft.com/graph/filter-query-parameter,
 * "createdDateTime ge 2021-01-01T00:00:00Z").
 */
export class DateLit {
  constructor(
    readonly ms: number,
    readonly text: string,
  ) {}
}

type Lit = string | number | boolean | null | DateLit;
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

type Tok = { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'p'; v: string } | { t: 'date'; v: DateLit };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})(?![\w:.-])/i;

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
    } else if (/[0-9]/.test(c) && DATE_TIME.test(src.slice(i))) {
      const m = DATE_TIME.exec(src.slice(i))!;
      const ms = Date.parse(m[0]);
      if (Number.isNaN(ms)) throw badRequest(`Invalid filter clause: '${m[0]}' is not a valid DateTimeOffset.`);
      out.push({ t: 'date', v: new DateLit(ms, m[0]) });
      i += m[0].length;
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
  const p = new FilterParser(tokenize(src));
  const expr = p.orExpr();
  if (!p.atEnd()) throw badRequest('Invalid filter clause: trailing tokens.');
  return { expr, advanced: p.advanced };
}

/**
 * Recursive descent over the tokens: or → and → primary. `advanced` records whether the
 * filter used an operator Graph serves only as an advanced query (ne, not, endswith:
 * docs/graph-facts.md §5 "Advanced queries").
 */
class FilterParser {
  private pos = 0;
  advanced = false;

  constructor(private readonly toks: Tok[]) {}

  atEnd(): boolean {
    return this.pos === this.toks.length;
  }

  orExpr(): FilterExpr {
    let e = this.andExpr();
    while (this.isWord('or')) {
      this.pos++;
      e = { k: 'or', a: e, b: this.andExpr() };
    }
    return e;
  }

  private andExpr(): FilterExpr {
    let e = this.primary();
    while (this.isWord('and')) {
      this.pos++;
      e = { k: 'and', a: e, b: this.primary() };
    }
    return e;
  }

  private primary(): FilterExpr {
    const t = this.toks[this.pos];
    if (t?.t === 'p' && t.v === '(') {
      this.pos++;
      const e = this.orExpr();
      this.expectP(')');
      return e;
    }
    if (this.isWord('not')) {
      this.pos++;
      this.advanced = true;
      return { k: 'not', e: this.primary() };
    }
    const next = this.toks[this.pos + 1]?.v;
    if (t?.t === 'id' && ['startswith', 'endswith'].includes(t.v.toLowerCase()) && next === '(') return this.stringFunction(t.v.toLowerCase() as 'startswith' | 'endswith');
    if (t?.t === 'id' && /\/any$/i.test(t.v) && next === '(') return this.lambda(t.v);
    return this.comparison();
  }

  private stringFunction(name: 'startswith' | 'endswith'): FilterExpr {
    if (name === 'endswith') this.advanced = true;
    this.pos += 2;
    const p = this.path();
    this.expectP(',');
    const v = this.literal();
    this.expectP(')');
    if (typeof v !== 'string') throw badRequest(`Invalid filter clause: ${name} needs a string.`);
    return { k: 'fn', name, path: p, value: v };
  }

  private lambda(word: string): FilterExpr {
    this.pos += 2;
    const p = word.split('/').slice(0, -1);
    const vt = this.toks[this.pos++];
    if (vt?.t !== 'id') throw badRequest('Invalid filter clause: lambda variable expected.');
    this.expectP(':');
    const body = this.orExpr();
    this.expectP(')');
    return { k: 'any', path: p, v: vt.v, body };
  }

  private comparison(): FilterExpr {
    const p = this.path();
    const opTok = this.toks[this.pos++];
    const op = opTok?.t === 'id' ? opTok.v.toLowerCase() : '';
    if (op === 'in') {
      this.expectP('(');
      const values: Lit[] = [];
      for (;;) {
        values.push(this.literal());
        const n = this.toks[this.pos++];
        if (n?.t === 'p' && n.v === ')') break;
        if (!(n?.t === 'p' && n.v === ',')) throw badRequest('Invalid filter clause: bad in-list.');
      }
      return { k: 'in', path: p, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw badRequest(`Invalid filter clause: unsupported operator '${op}'.`);
    if (op === 'ne') this.advanced = true;
    return { k: 'cmp', op: op as 'eq', path: p, value: this.literal() };
  }

  private isWord(w: string): boolean {
    const t = this.toks[this.pos];
    return t?.t === 'id' && t.v.toLowerCase() === w;
  }

  private expectP(v: string): void {
    const t = this.toks[this.pos++];
    if (t?.t !== 'p' || t.v !== v) throw badRequest(`Invalid filter clause: expected '${v}'.`);
  }

  private literal(): Lit {
    const t = this.toks[this.pos++];
    if (!t) throw badRequest('Invalid filter clause: missing value.');
    if (t.t === 'str' || t.t === 'num' || t.t === 'date') return t.v;
    if (t.t === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      // GUIDs are written unquoted in some filters (principalId eq 1a2b…)
      if (/^[0-9a-f-]{36}$/i.test(t.v)) return t.v;
    }
    throw badRequest(`Invalid filter clause: unexpected token '${String(t.v)}'.`);
  }

  private path(): string[] {
    const t = this.toks[this.pos++];
    if (t?.t !== 'id') throw badRequest('Invalid filter clause: expected a property.');
    const segs = t.v.split('/');
    // Type casts and isof() in $filter are not implemented: refused, never evaluated as an
    // unknown property (which would answer an empty 200).
    if (t.v.toLowerCase() === 'isof' || segs.some((x) => /^(microsoft\.)?graph\./i.test(x))) {
      throw unsupportedQuery(`Type casts and isof are not supported in $filter by the entra-vault emulator ('${t.v}').`);
    }
    // `assignedLicenses/$count eq 0` counts a collection: an advanced query
    // (https://learn.microsoft.com/graph/aad-advanced-queries, "Use of $count in a $filter expression")
    if (segs.includes('$count')) {
      if (segs.indexOf('$count') !== segs.length - 1) throw badRequest(`Invalid filter clause: '${t.v}'.`);
      this.advanced = true;
    }
    return segs;
  }
}

/**
 * The first segment of every property path of a filter, lambda variables left out: what the
 * listing checks against the type's properties (./listing.ts), so that a filter on a property
 * the type does not have is refused as Graph refuses it, never answered with an empty page.
 */
export function filterRoots(e: FilterExpr, vars: ReadonlySet<string> = new Set()): string[] {
  switch (e.k) {
    case 'and': case 'or': return [...filterRoots(e.a, vars), ...filterRoots(e.b, vars)];
    case 'not': return filterRoots(e.e, vars);
    case 'any': return [...(vars.has(e.path[0]!) ? [] : [e.path[0]!]), ...filterRoots(e.body, new Set([...vars, e.v]))];
    default: return vars.has(e.path[0]!) ? [] : [e.path[0]!];
  }
}

function resolve(value: Json | undefined, path: string[]): Json | undefined {
  let cur: Json | undefined = value;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (seg === '$count') return Array.isArray(cur) ? cur.length : cur === null || cur === undefined ? 0 : undefined;
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    const o = cur as Record<string, Json>;
    cur = o[seg];
    // a property of a complex value or navigation matches whatever its case: Graph's own example
    // filters assignments by `target/objectid` (https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments)
    if (cur === undefined && i > 0) cur = o[Object.keys(o).find((k) => k.toLowerCase() === seg.toLowerCase()) ?? seg];
  }
  return cur;
}

function cmp(a: Json | undefined, op: string, b: Lit): boolean {
  if (b instanceof DateLit) {
    // a DateTimeOffset property against a DateTime literal: compared as instants
    const ms = typeof a === 'string' ? Date.parse(a) : NaN;
    if (Number.isNaN(ms)) return op === 'ne';
    return cmp(ms, op, b.ms);
  }
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
