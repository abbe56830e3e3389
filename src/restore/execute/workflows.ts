/**
 * Updating an existing lifecycle workflow (src/catalog/governance.ts): Graph's PATCH changes only
 * description, displayName, isEnabled and isSchedulingEnabled; anything else (its execution
 * conditions, its tasks) takes `POST …/workflows/{id}/createNewVersion` with the whole workflow
 * (docs/graph-facts.md §3 "Access reviews and lifecycle workflows", S180). Tasks are compared
 * without the id, execution sequence and category Graph sets on each.
 */
import type { Json, JsonObject } from '../../model.js';
import { canonicalJson } from '../../json.js';
import { withoutTaskServerSet } from '../plan/governance.js';
import { lag, type Ctx, type Done } from './context.js';

const PATCHABLE = new Set(['description', 'displayName', 'isEnabled', 'isSchedulingEnabled']);
const VERSIONED = ['category', 'description', 'displayName', 'isEnabled', 'isSchedulingEnabled', 'executionConditions', 'tasks', 'administrationScopeTargets'];
const SCOPES = 'administrationScopeTargets';

// a set of units, whatever order Graph lists them in
const byId = (v: Json | undefined): Json | undefined => (Array.isArray(v) ? v.map((x) => canonicalJson(x)).sort().map((x) => JSON.parse(x) as Json) : v);
const comparable = (k: string, v: Json | undefined): string => canonicalJson((k === 'tasks' ? withoutTaskServerSet(v) : k === 'administrationScopeTargets' ? byId(v) : v) ?? null);

/** The workflow's administration scopes as a create body names them (`{ '@odata.type', id }`). */
async function scopeTargets(ctx: Ctx, path: string): Promise<Json> {
  const nav = `${path}/${SCOPES}?$select=id`;
  const r = await lag(ctx, nav, () => ctx.graph.get<{ value?: Record<string, Json>[] }>(nav));
  return (r?.value ?? []).map((x): Json => ({ '@odata.type': x['@odata.type'] ?? '#microsoft.graph.administrativeUnit', id: x['id'] ?? null }));
}

/**
 * Writes the properties of `body` that differ from the live workflow at `path`: a PATCH when
 * only patchable ones differ, else a new version holding the live workflow with `body` applied.
 * @throws VaultError from Graph
 */
export async function updateWorkflow(ctx: Ctx, path: string, body: JsonObject): Promise<Done> {
  // a workflow's own GET returns its execution conditions and tasks (S179)
  const live = (await lag(ctx, path, () => ctx.graph.get<Record<string, Json>>(path))) ?? {};
  // its administration scopes come only from their own navigation (docs/graph-facts.md S272)
  if (SCOPES in body) live[SCOPES] = await scopeTargets(ctx, path);
  const diff: JsonObject = {};
  for (const k of Object.keys(body)) if (!k.startsWith('@') && comparable(k, live[k]) !== comparable(k, body[k])) diff[k] = body[k] as Json;
  if (Object.keys(diff).length === 0) return { outcome: 'alreadyPresent' };
  if (Object.keys(diff).every((k) => PATCHABLE.has(k))) {
    await lag(ctx, path, () => ctx.graph.patch(path, diff));
    return { outcome: 'updated' };
  }
  const workflow: JsonObject = {};
  for (const k of VERSIONED) if (live[k] !== undefined) workflow[k] = live[k] as Json;
  Object.assign(workflow, diff);
  workflow['tasks'] = withoutTaskServerSet(workflow['tasks']) ?? [];
  await lag(ctx, path, () => ctx.graph.post(`${path}/createNewVersion`, { workflow }));
  return { outcome: 'updated' };
}
