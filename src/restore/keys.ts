/**
 * Natural-key values of archived and live objects (catalog convention: `a+b` is
 * composite, `a.b` is nested), split from diff.ts. Pure.
 */
import type { Json, JsonObject } from '../model.js';
import { canonical } from './json.js';

function dotted(obj: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * A natural-key value (catalog convention: `a+b` is composite, `a.b` is nested). UPNs
 * compare case-insensitively. Undefined when any part is absent.
 */
export function keyString(prop: string, obj: JsonObject): string | undefined {
  const parts: string[] = [];
  const composite = prop.includes('+');
  for (const part of prop.split('+')) {
    const v = dotted(obj, part);
    // In a composite key an explicit null is a value (an AllPrincipals grant has principalId null).
    if (composite && v === null) {
      parts.push('\u0001null');
      continue;
    }
    if (v === undefined || v === null) return undefined;
    if (part === 'userPrincipalName' && typeof v === 'string') parts.push(v.toLowerCase());
    else parts.push(typeof v === 'string' ? v : JSON.stringify(canonical(v)));
  }
  return parts.join('\u0000');
}
