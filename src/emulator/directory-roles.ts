/**
 * Directory roles (`/directoryRoles`), minimal: a built-in role is visible as a
 * directoryRole once activated. Global Administrator ("Company Administrators") is
 * activated by default; others by `POST /directoryRoles` with `roleTemplateId` (Graph
 * "Activate directoryRole", https://learn.microsoft.com/en-us/graph/api/directoryrole-post-directoryroles),
 * or, here, by holding a role assignment or scoped role member. A directoryRole's id is
 * its own, per tenant, never its template id: a scoped role member's `roleId` names it
 * (docs/graph-facts.md §3 "Directory roles"). Ids are derived from tenant and template so
 * seeds can name them without storing them.
 */
import type { DirObject } from '../model.js';
import { requirePermission } from './auth.js';
import { type Answer, type Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl } from './odata/listing.js';
import type { TenantStore } from './store.js';
import { asBody } from './writes.js';
import { directoryRoleId } from './seed/roles.js';

export { directoryRoleId };

const GLOBAL_ADMIN_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

/** Templates activated through `POST /directoryRoles`, per tenant store. */
const activated = new WeakMap<TenantStore, Set<string>>();


function builtInTemplate(store: TenantStore, templateId: string): DirObject | undefined {
  for (const d of store.live.get('roleDefinition')?.values() ?? []) {
    if (d.isBuiltIn === true && String(d.templateId).toLowerCase() === templateId.toLowerCase()) return d;
  }
  return undefined;
}

/** Template ids of the tenant's activated directory roles. */
function activeTemplates(store: TenantStore): Set<string> {
  const out = new Set<string>([GLOBAL_ADMIN_TEMPLATE_ID, ...(activated.get(store) ?? [])]);
  const defs = store.live.get('roleDefinition');
  for (const a of store.live.get('roleAssignment')?.values() ?? []) {
    const d = defs?.get(String(a.roleDefinitionId));
    if (d?.isBuiltIn === true) out.add(String(d.templateId));
  }
  const byId = new Map<string, string>();
  for (const d of defs?.values() ?? []) if (d.isBuiltIn === true) byId.set(directoryRoleId(store.tenantId, String(d.templateId)), String(d.templateId));
  for (const m of store.live.get('scopedRoleMembership')?.values() ?? []) {
    const t = byId.get(String(m.roleId));
    if (t) out.add(t);
  }
  return new Set([...out].filter((t) => builtInTemplate(store, t)));
}

function roleObject(store: TenantStore, templateId: string): DirObject {
  const d = builtInTemplate(store, templateId);
  return {
    id: directoryRoleId(store.tenantId, templateId),
    deletedDateTime: null,
    description: (d?.description ?? null) as string | null,
    displayName: (d?.displayName ?? null) as string | null,
    roleTemplateId: templateId,
  };
}

/** The activated directoryRole with object id `id`, if any. */
export function activeDirectoryRole(store: TenantStore, id: string): DirObject | undefined {
  for (const t of activeTemplates(store)) if (directoryRoleId(store.tenantId, t) === id) return roleObject(store, t);
  return undefined;
}

/** directoryRole's properties (https://learn.microsoft.com/graph/api/resources/directoryrole). */
const ROLE_PROPERTIES = new Set(['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId']);

/** `$select` on directoryRoles (served, as Graph does: "This method supports the $select" — https://learn.microsoft.com/graph/api/directoryrole-list). */
function selectRole(ctx: Ctx, o: DirObject): DirObject {
  const raw = ctx.query.get('$select');
  if (raw === null || raw.trim() === '') return o;
  const props = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of props) {
    if (!ROLE_PROPERTIES.has(p)) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${p}' on type 'microsoft.graph.directoryRole'.`, 'BadRequest');
  }
  const out: DirObject = { id: o.id };
  for (const p of props) out[p] = o[p] ?? null;
  return out;
}

function list(ctx: Ctx, value: DirObject[], set: string): Answer {
  return { status: 200, body: { '@odata.context': contextUrl(ctx, set), value: value.map((o) => ({ '@odata.type': '#microsoft.graph.directoryRole', ...selectRole(ctx, o) })) } };
}

/** `/directoryRoles[/{id}[/members]]`: list, get, activate, members. */
export function directoryRoles(ctx: Ctx, rest: string[]): Answer {
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor('roleDefinition');
  if (rest.length === 0 && ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return list(ctx, [...activeTemplates(store)].sort().map((t) => roleObject(store, t)), 'directoryRoles');
  }
  if (rest.length === 0 && ctx.method === 'POST') {
    requirePermission(ctx.caller, d, true);
    const t = asBody(ctx.body).roleTemplateId;
    if (typeof t !== 'string' || !builtInTemplate(store, t)) throw badRequest(`Invalid value specified for property 'roleTemplateId' of resource 'DirectoryRole'.`);
    if (activeTemplates(store).has(t)) {
      throw new GraphHttpError(400, 'Request_BadRequest', 'A conflicting object with one or more of the specified property values is present in the directory.');
    }
    activated.set(store, new Set([...(activated.get(store) ?? []), t]));
    return { status: 201, body: { '@odata.context': contextUrl(ctx, 'directoryRoles', undefined, true), '@odata.type': '#microsoft.graph.directoryRole', ...roleObject(store, t) }, mutated: true };
  }
  const role = rest[0] ? activeDirectoryRole(store, rest[0]) : undefined;
  if (!role) throw notFound(rest[0] ?? 'directoryRoles');
  requirePermission(ctx.caller, d, false);
  if (rest.length === 1 && ctx.method === 'GET') {
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryRoles', undefined, true), '@odata.type': '#microsoft.graph.directoryRole', ...selectRole(ctx, role) } };
  }
  if (rest.length === 2 && rest[1]!.toLowerCase() === 'members' && ctx.method === 'GET') {
    const defs = store.live.get('roleDefinition');
    const ids = new Set<string>();
    for (const a of store.live.get('roleAssignment')?.values() ?? []) {
      const def = defs?.get(String(a.roleDefinitionId));
      if (def && String(def.templateId) === role.roleTemplateId && (a.directoryScopeId ?? '/') === '/') ids.add(String(a.principalId));
    }
    const members = [...ids].sort().map((id) => store.anyLive(id)).filter((h) => h !== undefined)
      .map((h) => ({ '@odata.type': `#microsoft.graph.${h.type}`, id: h.obj.id, displayName: h.obj.displayName ?? null }) as DirObject);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value: members } };
  }
  throw badRequest(`Unsupported request on directoryRoles: ${ctx.method} ${rest.join('/')}`);
}
