/**
 * A lifecycle workflow's `administrationScopeTargets` as Graph v1.0 serves them (issue 15
 * item 9; docs/graph-facts.md S272): the administrative units whose scoped Lifecycle Workflows
 * Administrators may manage the workflow. A create (or a new version) takes them inline as
 * `[{ "@odata.type": "#microsoft.graph.administrativeUnit", "id": … }]`, at most five; they are
 * read only from `…/workflows/{id}/administrationScopeTargets` (a navigation to directory
 * objects), never inline on the workflow nor by `$expand` (the Get page expands only
 * createdBy and lastModifiedBy).
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, unknownSegment } from './graph-error.js';
import { listPage } from './odata/listing.js';

const AU = '#microsoft.graph.administrativeUnit';
/** At most five administrative scopes per workflow (Entra's delegated workflow management page, S272). */
const MAX_SCOPES = 5;

/**
 * Checks the body's administrationScopeTargets and keeps them as `{ '@odata.type', id }`.
 * @throws GraphHttpError 400 for anything but existing administrative units, or more than five
 */
export function checkScopeTargets(ctx: Ctx, o: DirObject): void {
  const v = o['administrationScopeTargets'];
  if (v === undefined) return;
  if (!Array.isArray(v)) throw badRequest("'administrationScopeTargets' must be a collection of administrative units.", 'InvalidRequest');
  if (v.length > MAX_SCOPES) throw badRequest(`A workflow can have up to ${MAX_SCOPES} administration scopes.`, 'InvalidRequest');
  const out: Json[] = [];
  for (const t of v) {
    const id = t !== null && typeof t === 'object' && !Array.isArray(t) ? t['id'] : undefined;
    const kind = t !== null && typeof t === 'object' && !Array.isArray(t) ? t['@odata.type'] : undefined;
    if (typeof id !== 'string' || (kind !== undefined && kind !== AU) || !ctx.rt.store.get('administrativeUnit', id)) {
      throw badRequest(`An administration scope target must be an existing administrative unit ('${String(id)}' is not one).`, 'InvalidRequest');
    }
    out.push({ '@odata.type': AU, id });
  }
  o['administrationScopeTargets'] = out;
}

/** `GET …/workflows/{id}/administrationScopeTargets`: the units, as directory objects (units deleted since are left out). */
export function scopeTargetsRoute(ctx: Ctx, o: DirObject, rest: string[]): Answer {
  if (rest.length > 0 || ctx.method !== 'GET') throw unknownSegment(rest[rest.length - 1] ?? 'administrationScopeTargets');
  requirePermission(ctx.caller, ctx.reg.descriptor('lifecycleWorkflow'), false);
  const store = ctx.rt.store;
  const targets = Array.isArray(o['administrationScopeTargets']) ? o['administrationScopeTargets'] : [];
  const ids = targets.map((t) => (t !== null && typeof t === 'object' && !Array.isArray(t) ? t['id'] : undefined)).filter((id): id is string => typeof id === 'string' && store.isLive(id));
  return { status: 200, body: listPage(ctx, { ids: [...ids].sort(), type: 'administrativeUnit', entitySet: 'directoryObjects', get: (id) => store.anyLive(id) }) };
}
