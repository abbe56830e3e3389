/**
 * Devices and their tenant settings as Graph v1.0 documents them (issue 15 item 10;
 * docs/graph-facts.md §3 "Devices and their settings", S185–S188). The catalog's generic routes
 * serve the lists and gets; this module answers what Graph does beyond them:
 * - `/policies/deviceRegistrationPolicy` is read-only in v1.0 (the CSDL says `Updatable false`,
 *   and v1.0 documents Get only, https://learn.microsoft.com/graph/api/deviceregistrationpolicy-get):
 *   a PATCH or PUT is refused (405), never silently accepted;
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
import { asBody, commitCreate, createObject, visible } from './writes.js';
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

/**
 * The writes above; undefined for every other call.
 * @throws GraphHttpError 400/403/404/405 as documented above
 */
export function deviceSettingsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const s = segs.map((x) => x.toLowerCase());
  if (s[0] === 'devices' && segs.length === 1 && ctx.method === 'POST' && ctx.caller.userId === undefined) throw forbidden();
  if (s[0] === 'devices' && segs.length === 2 && (ctx.method === 'PATCH' || ctx.method === 'DELETE')) requirePermission(ctx.caller, DEVICE_WRITE, true);
  if (s[0] === 'policies' && s[1] === 'deviceregistrationpolicy' && segs.length === 2 && ctx.method !== 'GET') throw notAllowed(ctx.method);
  if (s[0] !== 'organization' || s[2] !== 'certificatebasedauthconfiguration') return undefined;
  if (segs.length === 3 && ctx.method === 'POST') return createCba(ctx, segs[1]!);
  if (segs.length === 4 && (ctx.method === 'PATCH' || ctx.method === 'PUT')) throw notAllowed(ctx.method);
  return undefined;
}
