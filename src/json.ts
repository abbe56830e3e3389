/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order (as JavaScript's
 * default sort), no whitespace, `undefined` members dropped, numbers as JSON.stringify
 * writes them. One value → one byte sequence, which is what makes archives of the
 * same tenant state byte-identical and manifest hashes meaningful. Shared by the
 * archive, the journal, plans and evidence: one definition of "the same JSON".
 */
import type { Json, JsonObject } from './model.js';

/** A JSON object: not null, not an array. */
export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalarJson(value);
  // Written with loops and one string rather than map/filter/join: it runs once per archived
  // object and relation (bench/main.mts backup), so its allocations show in the backup's CPU.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k);
    out += ':';
    out += canonicalJson(v);
  }
  return `${out}}`;
}

function scalarJson(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
  const s = JSON.stringify(value);
  if (s === undefined) throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
  return s;
}

/** Keys sorted recursively, `undefined` members dropped (for pretty, stable output). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/** Stable, readable JSON: keys sorted, 2-space indent, trailing newline (plans, evidence). */
export function stableJson(v: unknown): string {
  return `${JSON.stringify(sortKeys(v), null, 2)}\n`;
}

/** Parse JSON that must be an object (reader side). */
export function parseJsonObject(text: string): { [key: string]: Json } | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { [key: string]: Json }) : null;
  } catch {
    return null;
  }
}
