/**
 * `POST /identityGovernance/entitlementManagement/resourceRequests` (docs/graph-facts.md §3
 * "Entitlement management: resources and resource role scopes", S206): `adminAdd` adds a group
 * (originSystem AadGroup, originId the group id), an application's service principal
 * (AadApplication, the service principal id) or a SharePoint Online site (SharePointOnline,
 * the site's URL) to the catalog named by `catalog: { id }`, copying the origin's name;
 * `adminRemove` removes the catalog resource named by `resource: { id }`. Listing the requests
 * is answered 400 (the product never lists them), never ignored.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { asBody, commitCreate, deleteObject, isoNow } from './writes.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

const ORIGIN_TYPES: Readonly<Record<string, ResourceType | null>> = { AadGroup: 'group', AadApplication: 'servicePrincipal', SharePointOnline: null };

/** The display name and description Graph copies from the resource's origin. */
function originOf(ctx: Ctx, system: string, originId: string, given: Obj): { displayName: string; description: string | null } {
  const type = ORIGIN_TYPES[system];
  if (type === undefined) throw badRequest(`originSystem '${system}' is not AadGroup, AadApplication or SharePointOnline.`, 'InvalidRequest');
  if (type === null) {
    if (!/^https:\/\/[^/]+/.test(originId)) throw badRequest(`The originId of a SharePointOnline resource is the site's URL, not '${originId}'.`, 'InvalidRequest');
    return { displayName: str(given.displayName) ?? originId, description: str(given.description) ?? null };
  }
  const o = ctx.rt.store.get(type, originId);
  if (!o) throw badRequest(`The ${type} ${originId} named by originId does not exist.`, 'InvalidRequest');
  return { displayName: String(o.displayName ?? originId), description: str(o.description) ?? null };
}

function addResource(ctx: Ctx, body: Obj): void {
  const catalog = isObj(body.catalog) ? str(body.catalog.id) : undefined;
  if (!catalog) throw badRequest("The request must name the catalog in 'catalog': { \"id\": … }.", 'InvalidRequest');
  if (!ctx.rt.store.get('accessPackageCatalog', catalog)) throw notFound(catalog);
  const r = isObj(body.resource) ? body.resource : undefined;
  const system = r ? str(r.originSystem) : undefined;
  const originId = r ? str(r.originId) : undefined;
  if (!r || !system || !originId) throw badRequest("The request's 'resource' must have originId and originSystem.", 'InvalidRequest');
  const origin = originOf(ctx, system, originId, r);
  const now = isoNow(ctx);
  const o: DirObject = {
    id: ctx.rt.ids.guid(), '@odata.type': '#microsoft.graph.accessPackageResource', originId, originSystem: system,
    displayName: origin.displayName, description: origin.description, attributes: [], createdDateTime: now, modifiedDateTime: now,
  };
  commitCreate(ctx, 'accessPackageResource', o, catalog);
}

function removeResource(ctx: Ctx, body: Obj): void {
  const id = isObj(body.resource) ? str(body.resource.id) : undefined;
  const o = id ? ctx.rt.store.get('accessPackageResource', id) : undefined;
  if (!id || !o) throw badRequest("adminRemove names the catalog resource to remove in 'resource': { \"id\": … }.", 'InvalidRequest');
  deleteObject(ctx, 'accessPackageResource', o);
}

/** `/identityGovernance/entitlementManagement/resourceRequests` (S206). */
export function resourceRequests(ctx: Ctx, rest: string[]): Answer {
  if (rest.length > 0 || ctx.method !== 'POST') throw badRequest('The emulator serves only POST of a resource request (adminAdd, adminRemove).', 'Request_BadRequest');
  requirePermission(ctx.caller, ctx.reg.descriptor('accessPackageResource'), true);
  const body = asBody(ctx.body);
  const kind = str(body.requestType);
  if (kind === 'adminAdd') addResource(ctx, body);
  else if (kind === 'adminRemove') removeResource(ctx, body);
  else throw badRequest(`requestType '${String(kind)}' is not adminAdd or adminRemove.`, 'InvalidRequest');
  const answer: Obj = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity',
    id: ctx.rt.ids.guid(), requestType: kind, state: 'delivered', createdDateTime: isoNow(ctx),
  };
  return { status: 201, body: answer, mutated: true };
}
