/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order (as JavaScript's
 * default sort), no whitespace, `undefined` members dropped, numbers as JSON.stringify
 * writes them. One value → one byte sequence, which is what makes archives of the
 * same tenant state byte-identical and manifest hashes meaningful. Shared by the
 * archive, the journal, plans and evidence: one definition of "the same JSON".
 */
import type { Json } from './model.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
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
