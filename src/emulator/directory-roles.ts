/**
 * Directory roles (`/directoryRoles`) and their templates (`/directoryRoleTemplates`): a
 * built-in role is visible as a directoryRole once activated. Global Administrator ("Company Administrators") is
 * activated by default; others by `POST /directoryRoles` with `roleTemplateId` (Graph
 * "Activate directoryRole", https://learn.microsoft.com/en-us/graph/api/directoryrole-post-directoryroles),
 * or, here, by holding a role assignment or scoped role member. A directoryRole's id is
 * its own, per tenant, never its template id: a scoped role member's `roleId` names it
 * (docs/graph-facts.md §3 "Directory roles"). Ids are derived from tenant and template so
 * seeds can name them without storing them.
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import { type Answer, type Ctx, nowMs } from './context.js';
import { badRequest, GraphHttpError, notFound, unknownSegment } from './graph-error.js';
import { idFromODataId } from './navs.js';
import { contextUrl, decodeToken, encodeToken, project } from './odata/listing.js';
import type { TenantStore } from './store.js';
import { asBody, commitCreate, createObject, deleteObject } from './writes.js';
import { directoryRoleId } from './seed/roles.js';

export { directoryRoleId };

const GLOBAL_ADMIN_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

/** Marks an alternate-key segment after `splitAltKeys` (the same marker as resources.ts `ALT_KEY`). */
const ALT_KEY = '\u0000';

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

/**
 * The activated directoryRole a key segment names: its object id, or the alternate key
 * `(roleTemplateId='…')` that "Get directoryRole" documents
 * (https://learn.microsoft.com/graph/api/directoryrole-get). 404 when not activated.
 */
function roleByKey(store: TenantStore, key: string | undefined): DirObject {
  if (key === undefined) throw notFound('directoryRoles');
  if (key.startsWith(ALT_KEY)) {
    const [prop, ...rest] = key.slice(1).split('=');
    const value = rest.join('=');
    if (prop !== 'roleTemplateId') throw unknownSegment(`${prop}='${value}'`);
    const t = activeTemplates(store);
    const hit = [...t].find((x) => x.toLowerCase() === value.toLowerCase());
    if (!hit) throw notFound(value);
    return roleObject(store, hit);
  }
  const role = activeDirectoryRole(store, key);
  if (!role) throw notFound(key);
  return role;
}

/** Tenant-wide role assignments of the role's template (a directoryRole's members, docs/graph-facts.md §3). */
function memberAssignments(store: TenantStore, role: DirObject): DirObject[] {
  const defs = store.live.get('roleDefinition');
  const out: DirObject[] = [];
  for (const a of store.live.get('roleAssignment')?.values() ?? []) {
    const def = defs?.get(String(a.roleDefinitionId));
    if (def && String(def.templateId) === role.roleTemplateId && (a.directoryScopeId ?? '/') === '/') out.push(a);
  }
  return out;
}

function listMembers(ctx: Ctx, role: DirObject): Answer {
  const store = ctx.rt.store;
  const ids = [...new Set(memberAssignments(store, role).map((a) => String(a.principalId)))].sort();
  const members = ids.map((id) => store.anyLive(id)).filter((h) => h !== undefined).map((h) => project(ctx, h.type, h.obj));
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value: members } };
}

/**
 * `POST /directoryRoles/{id}/members/$ref`: the principal gets a tenant-wide assignment of the
 * role, as "Add directoryRole member" does (https://learn.microsoft.com/graph/api/directoryrole-post-members);
 * a member already there is a 400, as for any other `members` reference.
 */
function addMember(ctx: Ctx, role: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor('roleAssignment'), true);
  const store = ctx.rt.store;
  const principalId = idFromODataId((ctx.body as Record<string, Json> | null)?.['@odata.id']);
  if (memberAssignments(store, role).some((a) => a.principalId === principalId)) {
    throw badRequest("One or more added object references already exist for the following modified properties: 'members'.");
  }
  const o = createObject(ctx, 'roleAssignment', undefined, { principalId, roleDefinitionId: String(role.roleTemplateId), directoryScopeId: '/' });
  commitCreate(ctx, 'roleAssignment', o, undefined);
  return { status: 204, mutated: true };
}

/** `DELETE /directoryRoles/{id}/members/{memberId}/$ref` (https://learn.microsoft.com/graph/api/directoryrole-delete-member). */
function removeMember(ctx: Ctx, role: DirObject, memberId: string): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor('roleAssignment'), true);
  const a = memberAssignments(ctx.rt.store, role).find((x) => x.principalId === memberId);
  if (!a) throw notFound(memberId);
  deleteObject(ctx, 'roleAssignment', a);
  return { status: 204, mutated: true };
}

function activate(ctx: Ctx): Answer {
  const store = ctx.rt.store;
  requirePermission(ctx.caller, ctx.reg.descriptor('roleDefinition'), true);
  const t = asBody(ctx.body).roleTemplateId;
  const template = typeof t === 'string' ? builtInTemplate(store, t) : undefined;
  if (!template) throw badRequest(`Invalid value specified for property 'roleTemplateId' of resource 'DirectoryRole'.`);
  const templateId = String(template.templateId);
  if (activeTemplates(store).has(templateId)) {
    throw new GraphHttpError(400, 'Request_BadRequest', 'A conflicting object with one or more of the specified property values is present in the directory.');
  }
  activated.set(store, new Set([...(activated.get(store) ?? []), templateId]));
  return { status: 201, body: { '@odata.context': contextUrl(ctx, 'directoryRoles', undefined, true), '@odata.type': '#microsoft.graph.directoryRole', ...roleObject(store, templateId) }, mutated: true };
}

interface RoleDeltaToken {
  /** Role id → member ids at the end of the previous round. */
  r: Record<string, string[]>;
  /** Issue time (clock ms). */
  i: number;
  sel?: string;
}

const DELTA_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * `GET /directoryRoles/delta` ("directoryRole: delta",
 * https://learn.microsoft.com/graph/api/directoryrole-delta): the first round lists every
 * activated role and ends with a deltaLink; a later round lists the roles activated or whose
 * members changed since (`members@delta` when `$select` names `members`), and
 * `{id, "@removed"}` for a role no longer active. The token carries the previous round's
 * members, so it is stateless like the other delta tokens (odata/delta.ts).
 */
function roleDelta(ctx: Ctx): Answer {
  const store = ctx.rt.store;
  const dtok = ctx.query.get('$deltatoken');
  const prev = dtok ? decodeToken<RoleDeltaToken>(dtok, '$deltatoken') : undefined;
  if (prev && nowMs(ctx) - prev.i > DELTA_TTL_MS) {
    throw new GraphHttpError(410, 'syncStateNotFound', 'The delta token has expired. A full synchronization is required.', { Location: `${ctx.base}/directoryRoles/delta` });
  }
  const raw = prev ? prev.sel : (ctx.query.get('$select') ?? undefined);
  const props = raw ? raw.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
  for (const p of props ?? []) {
    if (!ROLE_PROPERTIES.has(p) && p !== 'members') throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${p}' on type 'microsoft.graph.directoryRole'.`, 'BadRequest');
  }
  const now: Record<string, string[]> = {};
  const value: Json[] = [];
  for (const t of [...activeTemplates(store)].sort()) {
    const role = roleObject(store, t);
    const members = [...new Set(memberAssignments(store, role).map((a) => String(a.principalId)))].sort();
    now[role.id] = members;
    const before = prev?.r[role.id];
    if (before && before.join() === members.join()) continue;
    const item: Record<string, Json> = { '@odata.type': '#microsoft.graph.directoryRole', id: role.id };
    for (const p of props ?? [...ROLE_PROPERTIES]) if (p !== 'members') item[p] = role[p] ?? null;
    if (props?.includes('members')) {
      const added = members.filter((m) => !before?.includes(m)).map((id): Json => ({ id }));
      const removed = (before ?? []).filter((m) => !members.includes(m)).map((id): Json => ({ id, '@removed': { reason: 'deleted' } }));
      item['members@delta'] = [...added, ...removed];
    }
    value.push(item);
  }
  for (const id of Object.keys(prev?.r ?? {})) if (!(id in now)) value.push({ '@odata.type': '#microsoft.graph.directoryRole', id, '@removed': { reason: 'deleted' } });
  const next = encodeToken({ r: now, i: nowMs(ctx), ...(raw ? { sel: raw } : {}) } satisfies RoleDeltaToken);
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryRoles'), '@odata.deltaLink': `${ctx.base}/directoryRoles/delta?$deltatoken=${next}`, value } };
}

/** `/directoryRoles[/{id}[/members[/{id}]/$ref]]`: list, get, activate, members, delta. */
export function directoryRoles(ctx: Ctx, rest: string[]): Answer {
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor('roleDefinition');
  if (rest.length === 0 && ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return list(ctx, [...activeTemplates(store)].sort().map((t) => roleObject(store, t)), 'directoryRoles');
  }
  if (rest.length === 0 && ctx.method === 'POST') return activate(ctx);
  if (rest.length === 1 && (rest[0] === 'delta' || rest[0] === 'delta()') && ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return roleDelta(ctx);
  }
  const role = roleByKey(store, rest[0]);
  requirePermission(ctx.caller, d, false);
  const nav = rest[1]?.toLowerCase();
  if (rest.length === 1 && ctx.method === 'GET') {
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryRoles', undefined, true), '@odata.type': '#microsoft.graph.directoryRole', ...selectRole(ctx, role) } };
  }
  if (nav === 'members') {
    if (rest.length === 2 && ctx.method === 'GET') return listMembers(ctx, role);
    if (rest.length === 3 && rest[2] === '$ref' && ctx.method === 'POST') return addMember(ctx, role);
    if (rest.length === 4 && rest[3] === '$ref' && ctx.method === 'DELETE') return removeMember(ctx, role, rest[2]!);
    const byQuery = rest.length === 3 && rest[2] === '$ref' && ctx.method === 'DELETE' ? ctx.query.get('$id') : null;
    if (byQuery !== null) return removeMember(ctx, role, idFromODataId(byQuery));
  }
  throw badRequest(`Unsupported request on directoryRoles: ${ctx.method} ${rest.join('/')}`);
}

/** A directoryRoleTemplate (https://learn.microsoft.com/graph/api/resources/directoryroletemplate): id = template id. */
function templateObject(d: DirObject): DirObject {
  return { '@odata.type': '#microsoft.graph.directoryRoleTemplate', id: String(d.templateId), deletedDateTime: null, description: d.description ?? null, displayName: d.displayName ?? null };
}

/**
 * `/directoryRoleTemplates[/{id}]`: every built-in role's template, activated or not
 * (https://learn.microsoft.com/graph/api/directoryroletemplate-list, …-get).
 */
export function directoryRoleTemplates(ctx: Ctx, rest: string[]): Answer {
  const store = ctx.rt.store;
  if (ctx.method !== 'GET' || rest.length > 1) throw badRequest(`Unsupported request on directoryRoleTemplates: ${ctx.method} ${rest.join('/')}`);
  requirePermission(ctx.caller, ctx.reg.descriptor('roleDefinition'), false);
  if (rest.length === 1) {
    const d = builtInTemplate(store, rest[0]!);
    if (!d) throw notFound(rest[0]!);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryRoleTemplates', undefined, true), ...templateObject(d) } };
  }
  const value = [...(store.live.get('roleDefinition')?.values() ?? [])].filter((d) => d.isBuiltIn === true).map(templateObject).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryRoleTemplates'), value } };
}
