/**
 * A catalog's resources and an access package's resource role scopes, as Graph v1.0 serves
 * them (issue 15 item 8, part 2). Sources in docs/graph-facts.md §3 "Entitlement management:
 * resources and resource role scopes" (S205–S208):
 * - a resource is added to a catalog only by `POST /identityGovernance/entitlementManagement/resourceRequests`
 *   with `requestType: adminAdd`, `catalog: { id }` and a `resource` whose `originSystem` is
 *   AadGroup (originId: the group's id), AadApplication (the service principal's id) or
 *   SharePointOnline (the site's URL) (S206); the catalog's `resources` are listed, never
 *   POSTed (S205); `adminRemove` names the resource by its `id`;
 * - a resource role scope is POSTed to `…/accessPackages/{id}/resourceRoleScopes` with a
 *   `role` (originId, originSystem, `resource: { id }`) and a `scope` (originId,
 *   originSystem, isRootScope); "the access package resource … must already exist in the
 *   access package catalog"; a group's roles are `Member_<groupId>` / `Owner_<groupId>`, its
 *   root scope's originId the group id; the response's id is `<roleId>_<scopeId>` (S207);
 * - `role` and `scope` are navigations, returned with `$expand=role,scope` (S208).
 * The resource requests themselves are served by ./resource-requests.ts.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import { LINK } from './entitlement-links.js';
import type { CreateContext } from './writes.js';


type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function refuseResourcePost(): void {
  throw new GraphHttpError(405, 'Request_BadRequest', 'Catalog resources are added through resourceRequests (requestType adminAdd), not by POST to resources.');
}

/** The catalog resource a role names, checked against the package's catalog (S207). */
function roleResource(ctx: Ctx, role: Obj, packageId: string): DirObject {
  const ref = isObj(role.resource) ? str(role.resource.id) : undefined;
  const store = ctx.rt.store;
  const pkg = store.get('accessPackage', packageId);
  const res = ref ? store.get('accessPackageResource', ref) : undefined;
  if (!res || !pkg || store.parentOf.get(res.id) !== pkg[LINK.catalog]) {
    throw badRequest(`The access package resource ${String(ref)} must already exist in the access package's catalog.`, 'InvalidRequest');
  }
  return res;
}

/** Whether `originId` names a role of the resource: a group's Member_/Owner_, a service principal's app role. */
function isRoleOf(ctx: Ctx, res: DirObject, originId: string): boolean {
  if (res.originSystem === 'AadGroup') return originId === `Member_${String(res.originId)}` || originId === `Owner_${String(res.originId)}`;
  if (res.originSystem === 'AadApplication') {
    const sp = ctx.rt.store.get('servicePrincipal', String(res.originId));
    const roles = Array.isArray(sp?.appRoles) ? sp.appRoles : [];
    return originId === '00000000-0000-0000-0000-000000000000' || roles.some((r) => isObj(r) && r.id === originId);
  }
  return originId.length > 0;
}

function prepareRoleScope(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const role = isObj(o.role) ? o.role : undefined;
  const scope = isObj(o.scope) ? o.scope : undefined;
  if (!role || !scope || !c.parentId) throw badRequest("A resource role scope needs a 'role' and a 'scope'.", 'InvalidRequest');
  const res = roleResource(ctx, role, c.parentId);
  const roleOrigin = str(role.originId) ?? '';
  if (role.originSystem !== res.originSystem || !isRoleOf(ctx, res, roleOrigin)) {
    throw badRequest(`'${roleOrigin}' is not a role of the ${String(res.originSystem)} resource ${String(res.originId)}.`, 'InvalidRequest');
  }
  if (scope.originSystem !== res.originSystem || (res.originSystem !== 'SharePointOnline' && scope.originId !== res.originId)) {
    throw badRequest(`The scope must be a scope of the resource ${String(res.originId)}.`, 'InvalidRequest');
  }
  const roleId = ctx.rt.ids.guid();
  const scopeId = ctx.rt.ids.guid();
  o[LINK.role] = { id: roleId, displayName: str(role.displayName) ?? roleOrigin.split('_')[0] ?? roleOrigin, description: str(role.description) ?? null, originId: roleOrigin, originSystem: res.originSystem as string };
  o[LINK.scope] = { id: scopeId, displayName: str(scope.displayName) ?? 'Root', description: str(scope.description) ?? 'Root Scope', originId: str(scope.originId) ?? null, originSystem: res.originSystem as string, isRootScope: scope.isRootScope !== false };
  delete o.role;
  delete o.scope;
  o.id = `${roleId}_${scopeId}`;
}

/** Create rules (writes.ts PREPARE). */
export const ENTITLEMENT_RESOURCE_PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  accessPackageResource: refuseResourcePost,
  accessPackageResourceRoleScope: prepareRoleScope,
};
