/**
 * JSON helpers shared by the diff and the planner: canonical comparison (key order
 * ignored, null ≡ absent), reference-path walking and deep cloning. Pure functions.
 */
import type { Json, JsonObject } from '../model.js';

/** A location inside a JSON value: object keys and array indices. */
export type JsonPath = (string | number)[];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Canonical form for comparison: object keys sorted, null/undefined members removed,
 * arrays of strings sorted (Graph returns reference lists and address lists in no
 * guaranteed order). Never mutates its input.
 */
export function canonical(v: Json | undefined): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => canonical(x) ?? null);
    if (items.every((x) => typeof x === 'string')) return [...(items as string[])].sort();
    return items;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical(v[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/**
 * Each object item of a list without `keys` (what Graph sets on an item: a question's id, a
 * task's server-set fields), for a create body or a comparison; anything else as it is.
 * Never mutates its input.
 */
export function itemsWithout(v: Json | undefined, keys: Iterable<string>): Json | undefined {
  if (!Array.isArray(v)) return v;
  return v.map((item) => {
    if (!isObject(item)) return item;
    const out: JsonObject = { ...item };
    for (const k of keys) delete out[k];
    return out;
  });
}

/** Deep equality on canonical forms (key order ignored, null ≡ absent, empty object ≡ absent). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Deep copy of a JSON value: what `JSON.parse(JSON.stringify(v))` returns, without a new copy
 * of every string (strings cannot change, so the copy shares them; new objects and arrays).
 * A plan holds a body per operation: re-parsed, each repeated the archive's strings (issue 17
 * item 1). Values JSON has no form for follow JSON.stringify (an undefined member is left out,
 * an undefined item becomes null, a non-finite number null); anything with toJSON (a Date)
 * goes through JSON itself.
 */
export function cloneJson<T extends Json>(v: T): T {
  return copyValue(v) as T;
}

function copyValue(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'object') return undefined;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v)) as unknown;
  if (Array.isArray(v)) {
    const arr: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) arr[i] = copyValue(v[i]) ?? null;
    return arr;
  }
  const members: [string, unknown][] = [];
  for (const k of Object.keys(v)) {
    const x = copyValue((v as Record<string, unknown>)[k]);
    if (x !== undefined) members.push([k, x]);
  }
  // made whole, as JSON.parse makes it: an object built member by member gets slow dictionary
  // properties in V8 past a dozen members; a member named __proto__ stays a member
  return Object.fromEntries(members);
}

/** One string value found at a reference path. */
export interface FoundValue {
  at: JsonPath;
  value: string;
}

/**
 * Every string found at a dotted path; arrays are traversed implicitly at every step
 * (`conditions.users.includeGroups`, `requiredResourceAccess.resourceAppId`).
 */
export function findValues(root: Json | undefined, dotted: string): FoundValue[] {
  const keys = dotted.split('.');
  const out: FoundValue[] = [];
  const walk = (v: Json | undefined, i: number, at: JsonPath): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((x, n) => walk(x, i, [...at, n]));
      return;
    }
    if (i === keys.length) {
      if (typeof v === 'string') out.push({ at, value: v });
      return;
    }
    if (!isObject(v)) return;
    const k = keys[i] as string;
    walk(v[k], i + 1, [...at, k]);
  };
  walk(root, 0, []);
  return out;
}

/** Read the value at a path (undefined when absent). */
export function getAt(root: Json | undefined, at: JsonPath): Json | undefined {
  let cur: Json | undefined = root;
  for (const k of at) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
    else if (isObject(cur) && typeof k === 'string') cur = cur[k];
    else return undefined;
  }
  return cur;
}

/** Write a value at an existing path (no-op when the path does not exist). */
export function setAt(root: Json, at: JsonPath, value: Json): void {
  if (at.length === 0) return;
  const parent = getAt(root, at.slice(0, -1));
  const last = at[at.length - 1] as string | number;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent) && typeof last === 'string') parent[last] = value;
}

/**
 * Remove the values at the given paths. Array elements are spliced out (highest index
 * first so earlier paths stay valid); object members are deleted.
 */
export function removeAt(root: Json, paths: JsonPath[]): void {
  const sorted = [...paths].sort((a, b) => comparePaths(b, a));
  for (const at of sorted) {
    if (at.length === 0) continue;
    const parent = getAt(root, at.slice(0, -1));
    const last = at[at.length - 1] as string | number;
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else if (isObject(parent) && typeof last === 'string') delete parent[last];
  }
}

/** Total order on paths (numbers compare numerically, keys lexically). */
export function comparePaths(a: JsonPath, b: JsonPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** `a.b[2].c` rendering of a path for humans and UnresolvedRef.path. */
export function pathToString(at: JsonPath): string {
  let s = '';
  for (const k of at) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

/** Plain string comparison for deterministic sorts. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
