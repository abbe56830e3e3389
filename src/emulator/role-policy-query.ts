/**
 * The query options the PIM policy lists accept: the required scope `$filter`
 * (`scopeId eq '/' and scopeType eq 'DirectoryRole'`, plus `roleDefinitionId eq '…'` on
 * assignments), `$expand=rules` and `$select`. Kept apart from ./role-policies.ts (the routes).
 */
import type { DirObject, JsonObject } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest } from './graph-error.js';

export interface ScopeFilter {
  scopeId: string;
  scopeType: string;
  roleDefinitionId?: string;
}

/**
 * Parses the scope filter. The reference says the filter is required; the message is the
 * emulator's (Graph's wording for the refusal is not documented), the status is Graph's 400.
 * @throws GraphHttpError 400 when scopeId or scopeType is missing or another clause appears
 */
export function parseScopeFilter(filter: string | null, allowRole: boolean): ScopeFilter {
  const clauses = (filter ?? '').split(/\s+and\s+/i).map((c) => c.trim()).filter((c) => c);
  const found: Record<string, string> = {};
  for (const c of clauses) {
    const m = /^(scopeId|scopeType|roleDefinitionId)\s+eq\s+'((?:[^']|'')*)'$/i.exec(c);
    const key = m ? m[1]!.toLowerCase() : '';
    if (!m || (key === 'roledefinitionid' && !allowRole)) throw badRequest(`Unsupported filter clause '${c}'.`, 'BadRequest');
    found[key] = m[2]!.replace(/''/g, "'");
  }
  if (found['scopeid'] === undefined || found['scopetype'] === undefined) {
    throw badRequest("The $filter query parameter is required and must scope the request to a scopeId and a scopeType, e.g. scopeId eq '/' and scopeType eq 'DirectoryRole'.", 'BadRequest');
  }
  const out: ScopeFilter = { scopeId: found['scopeid'], scopeType: found['scopetype'] };
  if (found['roledefinitionid'] !== undefined) out.roleDefinitionId = found['roledefinitionid'];
  return out;
}

/** A policy as the list/get returns it: rules only with `$expand=rules`, `$select` honoured. */
export function projectPolicy(ctx: Ctx, p: DirObject, withRules = /(^|,)\s*rules\b/i.test(ctx.query.get('$expand') ?? '')): JsonObject {
  const select = (ctx.query.get('$select') ?? '').split(',').map((s) => s.trim()).filter((s) => s);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'rules' || v === undefined) continue;
    if (select.length > 0 && k !== 'id' && !select.includes(k)) continue;
    out[k] = v;
  }
  if (withRules) out['rules'] = (p['rules'] as JsonObject[] | undefined) ?? [];
  return out;
}

/** A policy expanded inside an assignment: all its properties, rules when asked. */
export function projectPolicyWhole(p: DirObject, withRules: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'rules' && v !== undefined) out[k] = v;
  if (withRules) out['rules'] = (p['rules'] as JsonObject[] | undefined) ?? [];
  return out;
}
