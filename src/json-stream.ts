/**
 * The JSON of a large value in pieces: the same bytes as `JSON.stringify(value)` and as
 * `canonicalJson(value)` (src/json.ts), produced element by element down to a given depth so
 * no single string of the whole value is ever built. A 10k-user restore plan is tens of MB
 * of JSON; storing it (src/ops/plan-store.ts storePlan) and hashing it (planIdentity,
 * src/restore/execute/journal.ts) as one string each set the restoring client's peak RSS
 * (issue 17 item 1).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, sortKeys } from './json.js';

/** Below this depth arrays and objects are split into their members; deeper values are one piece. */
export const DEFAULT_SPLIT_DEPTH = 2;

function splittable(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** An object member JSON.stringify writes (it drops undefined, functions and symbols). */
function isSerialisedMember(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/**
 * A list given as the elements an iterable yields, for `jsonChunks` to write one at a time, never
 * held whole: a large restore's outcomes set aside (src/cli/commands/restore.ts).
 */
export class JsonListOf {
  constructor(readonly items: () => Iterable<unknown>) {}

  /** The whole list, where it is written inside a value `jsonChunks` does not split (or by JSON.stringify). */
  toJSON(): unknown[] {
    return [...this.items()];
  }
}

/**
 * Pieces whose concatenation equals `JSON.stringify(value)` (plain data: objects, arrays,
 * strings, numbers, booleans, null; members JSON.stringify drops are dropped here too), a
 * `JsonListOf` written as the list of its elements.
 */
export function* jsonChunks(value: unknown, depth = DEFAULT_SPLIT_DEPTH): Generator<string> {
  if (value instanceof JsonListOf) {
    yield '[';
    let first = true;
    for (const x of value.items()) {
      if (!first) yield ',';
      first = false;
      yield* jsonChunks(x, depth - 1);
    }
    yield ']';
    return;
  }
  if (depth <= 0 || !splittable(value)) {
    const s = JSON.stringify(value) as string | undefined;
    yield s ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield* jsonChunks(value[i], depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (!isSerialisedMember(v)) continue;
    yield `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    yield* jsonChunks(v, depth - 1);
  }
  yield '}';
}

/**
 * Pieces whose concatenation equals `stableJson(value)` (src/json.ts: keys sorted, 2-space
 * indent, a trailing newline). `plan --json` of a 100k-user plan as one string (after a sorted
 * copy of the whole plan) took its peak RSS past 3 GiB (issue 17 item 1).
 */
export function* stableJsonChunks(value: unknown, depth = DEFAULT_SPLIT_DEPTH): Generator<string> {
  yield* stableChunks(value, '', depth);
  yield '\n';
}

function* stableChunks(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth <= 0 || !splittable(value)) {
    const s = JSON.stringify(sortKeys(value), null, 2) as string | undefined;
    // JSON never holds a raw newline inside a string, so every line break is layout
    yield (s ?? 'null').replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* stableChunks(value[i], inner, depth - 1);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  // the order of an object built with its keys inserted sorted, as sortKeys builds it: the engine
  // lists integer-like keys first, in numeric order, whatever the insertion order
  const order: Record<string, true> = {};
  for (const k of Object.keys(value).sort()) order[k] = true;
  const keys = Object.keys(order).filter((k) => isSerialisedMember(value[k]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    yield `${inner}${JSON.stringify(k)}: `;
    yield* stableChunks(value[k], inner, depth - 1);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** Pieces whose concatenation equals `canonicalJson(value)` (src/json.ts). */
export function* canonicalJsonChunks(value: unknown, depth = DEFAULT_SPLIT_DEPTH): Generator<string> {
  if (depth <= 0 || value === null || typeof value !== 'object') {
    yield canonicalJson(value);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const v: unknown = value[i];
      if (v === undefined) yield 'null';
      else yield* canonicalJsonChunks(v, depth - 1);
    }
    yield ']';
    return;
  }
  const obj = value as Record<string, unknown>;
  yield '{';
  let first = true;
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v === undefined) continue;
    yield `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    yield* canonicalJsonChunks(v, depth - 1);
  }
  yield '}';
}

/** SHA-256 (hex) of `canonicalJson(value)`, hashed piece by piece. */
export function canonicalSha256(value: unknown, depth = DEFAULT_SPLIT_DEPTH): string {
  const h = createHash('sha256');
  for (const c of canonicalJsonChunks(value, depth)) h.update(c, 'utf8');
  return h.digest('hex');
}

/** UTF-8 buffers of about `size` bytes from string pieces (fewer, larger writes). */
export function* utf8Batches(pieces: Iterable<string>, size = 256 * 1024): Generator<Buffer> {
  let parts: string[] = [];
  let n = 0;
  for (const p of pieces) {
    parts.push(p);
    n += p.length;
    if (n >= size) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      n = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}
