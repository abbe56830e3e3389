/**
 * Devices and their tenant settings as Graph v1.0 documents them (issue 15 item 10;
 * docs/graph-facts.md §3 "Devices and their settings", S185–S188). The catalog's generic routes
 * serve the lists and gets; this module answers what Graph does beyond them:
 * - `/policies/deviceRegistrationPolicy` is written by PUT of every updatable property (v1.0
 *   documents it since 2026, https://learn.microsoft.com/graph/api/deviceregistrationpolicy-update,
 *   Policy.ReadWrite.DeviceConfiguration; the older CSDL still says `Updatable false`): a PATCH is
 *   refused (405), a PUT missing a Required property or naming an unknown user or group is a 400;
 * - `/organization/{id}/certificateBasedAuthConfiguration` ("Only a single instance … can be
 *   created … It always has a fixed ID with a value of '29728ade-6ae4-4ee9-9103-412912537da5'",
 *   https://learn.microsoft.com/graph/api/certificatebasedauthconfiguration-post-certificatebasedauthconfiguration):
 *   POST creates it with that id, each certificate authority must carry `certificate` and
 *   `isRootAuthority`, a second one is a 400; v1.0 documents no update (405 on PATCH); list, get
 *   and delete are the generic routes;
 * - `POST /devices` is delegated only ("Application: Not supported",
 *   https://learn.microsoft.com/graph/api/device-post-devices): an app-only caller gets 403;
 *   an update or delete of a device needs Device.ReadWrite.All (or Directory.ReadWrite.All),
 *   https://learn.microsoft.com/graph/api/device-update, https://learn.microsoft.com/graph/api/device-delete
 *   (the catalog's read-only `write` permission for devices never lets a reader write one).
 */
import type { Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl, project } from './odata/listing.js';
import { asBody, commitCreate, createObject, patchObject, visible } from './writes.js';
import { CBA_CONFIGURATION_ID } from '../catalog/devices.js';

const CBA = 'certificateBasedAuthConfiguration' as const;
/** What Update and Delete device name for applications (the catalog's `write` for devices is read-only). */
const DEVICE_WRITE = { permissions: { read: 'Device.Read.All', write: 'Device.ReadWrite.All' } } as const;

const notAllowed = (method: string): GraphHttpError =>
  new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on this resource.`);

function checkAuthorities(list: Json | undefined): void {
  if (!Array.isArray(list) || list.length === 0) throw badRequest("Property 'certificateAuthorities' is required and must hold at least one certificateAuthority.");
  for (const a of list) {
    const ok = a !== null && typeof a === 'object' && !Array.isArray(a) && typeof a.certificate === 'string' && a.certificate !== '' && typeof a.isRootAuthority === 'boolean';
    if (!ok) throw badRequest('Each certificateAuthority must contain the certificate and isRootAuthority properties.');
  }
}

function createCba(ctx: Ctx, orgId: string): Answer {
  const store = ctx.rt.store;
  const org = store.get('organization', orgId);
  if (!org || !visible(ctx, org.id)) throw notFound(orgId);
  requirePermission(ctx.caller, ctx.reg.descriptor(CBA), true);
  const body = asBody(ctx.body);
  checkAuthorities(body.certificateAuthorities);
  if (store.get(CBA, CBA_CONFIGURATION_ID)) throw badRequest('Only a single certificateBasedAuthConfiguration can exist in the collection.');
  const o = createObject(ctx, CBA, org.id, Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'id')));
  o.id = CBA_CONFIGURATION_ID;
  commitCreate(ctx, CBA, o, org.id);
  return { status: 201, mutated: true, body: { '@odata.context': contextUrl(ctx, `organization('${org.id}')/certificateBasedAuthConfiguration`, undefined, true), ...project(ctx, CBA, o) } };
}

/** What "Update deviceRegistrationPolicy" marks Required: a PUT names every one (S186). */
const REGISTRATION_REQUIRED = ['userDeviceQuota', 'multiFactorAuthConfiguration', 'azureADRegistration', 'azureADJoin', 'localAdminPassword'] as const;

/**
 * The users and groups an enumerated membership names must exist (our model, as for Conditional
 * Access: the page does not say what Graph answers for an unknown id; a restore must never leave
 * a dangling one, docs/emulator.md "Devices and their settings").
 */
function checkMembers(ctx: Ctx, membership: Json | undefined, where: string): void {
  if (membership === null || typeof membership !== 'object' || Array.isArray(membership)) return;
  for (const [key, type] of [['users', 'user'], ['groups', 'group']] as const) {
    const ids = membership[key];
    if (ids === undefined || ids === null) continue;
    if (!Array.isArray(ids)) throw badRequest(`Property '${where}.${key}' must be a collection of ids.`);
    for (const id of ids) {
      const o = typeof id === 'string' ? ctx.rt.store.get(type, id) : undefined;
      if (!o || !visible(ctx, o.id)) throw badRequest(`Invalid ${type} id '${String(id)}' in '${where}.${key}'.`);
    }
  }
}

/**
 * `PUT /policies/deviceRegistrationPolicy` with "all the updatable properties" (each Required,
 * https://learn.microsoft.com/graph/api/deviceregistrationpolicy-update): 200 with the policy. A
 * body without one of them is a 400 (the page: userDeviceQuota left out "is automatically reset
 * to 0", which the lab refuses rather than model); the id, name and description are Graph's own.
 */
function putRegistrationPolicy(ctx: Ctx): Answer {
  const type = 'deviceRegistrationPolicy' as const;
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const store = ctx.rt.store;
  const o = [...(store.live.get(type)?.values() ?? [])][0];
  if (!o) throw notFound('deviceRegistrationPolicy');
  const body = asBody(ctx.body);
  const missing = REGISTRATION_REQUIRED.filter((p) => body[p] === undefined);
  if (missing.length > 0) throw badRequest(`Property '${missing[0]}' is required: a PUT of the device registration policy names every updatable property.`);
  const join = body['azureADJoin'];
  const reg = body['azureADRegistration'];
  if (join && typeof join === 'object' && !Array.isArray(join)) {
    checkMembers(ctx, join['allowedToJoin'], 'azureADJoin.allowedToJoin');
    const admins = join['localAdmins'];
    if (admins && typeof admins === 'object' && !Array.isArray(admins)) checkMembers(ctx, admins['registeringUsers'], 'azureADJoin.localAdmins.registeringUsers');
  }
  if (reg && typeof reg === 'object' && !Array.isArray(reg)) checkMembers(ctx, reg['allowedToRegister'], 'azureADRegistration.allowedToRegister');
  patchObject(ctx, type, o, Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'id' && k !== 'displayName' && k !== 'description')));
  const now = store.get(type, o.id) ?? o;
  return { status: 200, mutated: true, body: { '@odata.context': contextUrl(ctx, 'policies/deviceRegistrationPolicy', undefined, true), ...project(ctx, type, now) } };
}

/**
 * The writes above; undefined for every other call.
 * @throws GraphHttpError 400/403/404/405 as documented above
 */
export function deviceSettingsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const s = segs.map((x) => x.toLowerCase());
  if (s[0] === 'devices' && segs.length === 1 && ctx.method === 'POST' && ctx.caller.userId === undefined) throw forbidden();
  if (s[0] === 'devices' && segs.length === 2 && (ctx.method === 'PATCH' || ctx.method === 'DELETE')) requirePermission(ctx.caller, DEVICE_WRITE, true);
  if (s[0] === 'policies' && s[1] === 'deviceregistrationpolicy' && segs.length === 2 && ctx.method === 'PUT') return putRegistrationPolicy(ctx);
  if (s[0] === 'policies' && s[1] === 'deviceregistrationpolicy' && segs.length === 2 && ctx.method !== 'GET') throw notAllowed(ctx.method);
  if (s[0] !== 'organization' || s[2] !== 'certificatebasedauthconfiguration') return undefined;
  if (segs.length === 3 && ctx.method === 'POST') return createCba(ctx, segs[1]!);
  if (segs.length === 4 && (ctx.method === 'PATCH' || ctx.method === 'PUT')) throw notAllowed(ctx.method);
  return undefined;
}
