/**
 * `POST /identityGovernance/entitlementManagement/resourceRequests` (docs/graph-facts.md §3
 * "Entitlement management: resources and resource role scopes", S206): `adminAdd` adds a group
 * (originSystem AadGroup, originId the group id), an application's service principal
 * (AadApplication, the service principal id) or a SharePoint Online site (SharePointOnline,
 * the site's URL) to the catalog named by `catalog: { id }`, copying the origin's name;
 * `adminRemove` removes the catalog resource named by `resource: { id }`. Listing the requests
 * is answered 400 (the product never lists them), never ignored.
 * A resource's `attributes` (what the requestor is asked for the resource app, written to the
 * user: `destination` accessPackageUserDirectoryAttributeStore, `name`, `source` an
 * accessPackageResourceAttributeQuestion with its `question`) come with adminAdd or, for a
 * resource already in the catalog, `adminUpdate` naming it by origin (S247); a malformed one is
 * refused (400) and each question gets Graph's id (./entitlement-questions.ts).
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { asBody, commitCreate, deleteObject, isoNow } from './writes.js';
import { parseQuestion } from './entitlement-questions.js';

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

const ATTRIBUTE_KEYS = ['destination', 'name', 'source', 'isEditable', 'isPersistedOnAssignmentRemoval'];

/** A resource's attributes as stored (S247). @throws GraphHttpError 400 for a malformed one. */
function parseAttributes(ctx: Ctx, raw: Json | undefined): Json[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest("Property 'attributes' must be a collection.");
  return raw.map((a): Obj => {
    if (!isObj(a)) throw badRequest('An attribute must be a JSON object.', 'InvalidRequest');
    for (const k of Object.keys(a)) if (!ATTRIBUTE_KEYS.includes(k)) throw badRequest(`Property '${k}' does not exist on 'accessPackageResourceAttribute'.`);
    const dest = a.destination;
    if (!isObj(dest) || String(dest['@odata.type']).replace(/^#/, '') !== 'microsoft.graph.accessPackageUserDirectoryAttributeStore') {
      throw badRequest("An attribute's destination must be a microsoft.graph.accessPackageUserDirectoryAttributeStore.", 'InvalidRequest');
    }
    if (typeof a.name !== 'string' || a.name === '') throw badRequest('An attribute must have the name of the user property it writes.', 'InvalidRequest');
    const src = a.source;
    if (!isObj(src) || src['@odata.type'] !== '#microsoft.graph.accessPackageResourceAttributeQuestion' || !isObj(src.question)) {
      throw badRequest("An attribute's source must be a #microsoft.graph.accessPackageResourceAttributeQuestion with its question.", 'InvalidRequest');
    }
    const question = parseQuestion(src.question, 0, undefined, () => ctx.rt.ids.guid());
    return { destination: dest, name: a.name, source: { '@odata.type': src['@odata.type'], question }, isEditable: a.isEditable ?? false, isPersistedOnAssignmentRemoval: a.isPersistedOnAssignmentRemoval ?? false };
  });
}

/** adminUpdate: the attributes of the catalog's resource of the given origin (S247). */
function updateResource(ctx: Ctx, body: Obj): void {
  const catalog = isObj(body.catalog) ? str(body.catalog.id) : undefined;
  const r = isObj(body.resource) ? body.resource : undefined;
  if (!catalog || !r || !str(r.originId) || !str(r.originSystem)) throw badRequest("adminUpdate names the catalog and the resource's originId and originSystem.", 'InvalidRequest');
  const store = ctx.rt.store;
  const o = [...(store.live.get('accessPackageResource')?.values() ?? [])].find((x) => store.parentOf.get(x.id) === catalog && x.originId === r.originId && x.originSystem === r.originSystem);
  if (!o) throw notFound(String(r.originId));
  store.replace('accessPackageResource', { ...o, attributes: parseAttributes(ctx, r.attributes), modifiedDateTime: isoNow(ctx) });
  store.touch('accessPackageResource', o.id, 'live');
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
    displayName: origin.displayName, description: origin.description, attributes: parseAttributes(ctx, r.attributes), createdDateTime: now, modifiedDateTime: now,
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
  if (rest.length > 0 || ctx.method !== 'POST') throw badRequest('The emulator serves only POST of a resource request (adminAdd, adminUpdate, adminRemove).', 'Request_BadRequest');
  requirePermission(ctx.caller, ctx.reg.descriptor('accessPackageResource'), true);
  const body = asBody(ctx.body);
  const kind = str(body.requestType);
  if (kind === 'adminAdd') addResource(ctx, body);
  else if (kind === 'adminRemove') removeResource(ctx, body);
  else if (kind === 'adminUpdate') updateResource(ctx, body);
  else throw badRequest(`requestType '${String(kind)}' is not adminAdd, adminUpdate or adminRemove.`, 'InvalidRequest');
  const answer: Obj = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity',
    id: ctx.rt.ids.guid(), requestType: kind, state: 'delivered', createdDateTime: isoNow(ctx),
  };
  return { status: 201, body: answer, mutated: true };
}
