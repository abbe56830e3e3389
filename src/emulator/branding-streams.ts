/**
 * Company branding images and stylesheet (issue 15 item 10): the Edm.Stream properties of the
 * default branding and of each localization, read and written apart from the JSON object, as
 * Graph v1.0 serves them (docs/graph-facts.md S235):
 * - `GET /organization/{id}/branding/{stream}` and `…/branding/localizations/{locale}/{stream}`
 *   answer the bytes with their media type; a branding (or locale) that does not exist is 404.
 * - `PUT` of the same path with `Content-Type: image/*` (`text/css` for customCSS) writes them,
 *   "You can't update Stream types with other data types in the same request": any other
 *   content type is 400; the admin center's documented file-size limits are enforced as 400.
 * The bytes live on the branding object under a bookkeeping key (`@em.stream.<name>`), which
 * projections never show (./odata/listing.ts) and the state file keeps with the object.
 */
import type { DirObject, Json } from '../model.js';
import type { ResourceType } from '../catalog/types.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';

/** The stream properties of organizationalBranding and organizationalBrandingLocalization (CSDL). */
export const BRANDING_STREAMS = ['backgroundImage', 'bannerLogo', 'customCSS', 'favicon', 'headerLogo', 'squareLogo', 'squareLogoDark'] as const;
export type BrandingStream = (typeof BRANDING_STREAMS)[number];

/**
 * File-size limits the Entra admin center states for the images (docs/graph-facts.md S235):
 * background 300 KB, banner logo 10 KB, square logos 50 KB. Graph's own pages give pixel limits
 * only; the other streams have no documented byte limit, so none is enforced for them.
 */
export const BRANDING_STREAM_MAX_BYTES: Partial<Record<BrandingStream, number>> = {
  backgroundImage: 300 * 1024, bannerLogo: 10 * 1024, squareLogo: 50 * 1024, squareLogoDark: 50 * 1024,
};

const KEY = '@em.stream.';

/** The stored stream of a branding object, if any. */
export function streamOf(o: DirObject, name: BrandingStream): { contentType: string; base64: string } | undefined {
  const v = o[`${KEY}${name}`] as { contentType?: Json; base64?: Json } | undefined;
  return v && typeof v.contentType === 'string' && typeof v.base64 === 'string' ? { contentType: v.contentType, base64: v.base64 } : undefined;
}

function streamName(seg: string | undefined): BrandingStream | undefined {
  return BRANDING_STREAMS.find((s) => s.toLowerCase() === seg?.toLowerCase());
}

/**
 * Serves a branding stream, or returns undefined when `segs` is not one.
 * @throws GraphHttpError 404 for a missing branding or locale, 400 for a wrong content type or an over-size body, 405 for another method.
 */
export function brandingStreamRoute(ctx: Ctx, segs: string[]): Answer | undefined {
  const low = segs.map((s) => s.toLowerCase());
  if (low[0] !== 'organization' || low[2] !== 'branding') return undefined;
  let type: ResourceType;
  let id: string;
  let name: BrandingStream | undefined;
  if (segs.length === 4) {
    [type, id, name] = ['organizationalBranding', '0', streamName(segs[3])];
  } else if (segs.length === 6 && low[3] === 'localizations') {
    [type, id, name] = ['organizationalBrandingLocalization', segs[4]!, streamName(segs[5])];
  } else return undefined;
  if (!name) return undefined;
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor(type);
  requirePermission(ctx.caller, d, ctx.method !== 'GET');
  const orgId = segs[1]!;
  // the default branding is also reachable as the localization "0"
  const lookup: [ResourceType, string] = type === 'organizationalBrandingLocalization' && id === '0' ? ['organizationalBranding', '0'] : [type, id];
  const obj = store.get(lookup[0], lookup[1]);
  if (!obj || orgId !== store.tenantId) {
    throw new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  }
  if (ctx.method === 'GET') {
    const s = streamOf(obj, name);
    if (!s) return { status: 204 };
    return { status: 200, bytes: { contentType: s.contentType, data: Buffer.from(s.base64, 'base64') } };
  }
  if (ctx.method !== 'PUT') throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on a stream property.`);
  const type0 = (ctx.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const okType = name === 'customCSS' ? type0 === 'text/css' : /^image\/[a-z0-9.+-]+$/.test(type0);
  if (!okType) throw badRequest(`The content type '${type0 || '(none)'}' is not valid for ${name}: expected ${name === 'customCSS' ? 'text/css' : 'image/*'}.`);
  const body = ctx.body instanceof Uint8Array ? ctx.body : undefined;
  if (!body || body.length === 0) throw badRequest(`The request body for ${name} is empty.`);
  const max = BRANDING_STREAM_MAX_BYTES[name];
  if (max !== undefined && body.length > max) throw badRequest(`${name} is ${body.length} bytes; the limit is ${max} bytes.`);
  const next: DirObject = { ...obj, [`${KEY}${name}`]: { contentType: type0, base64: Buffer.from(body).toString('base64') } };
  store.replace(lookup[0], next);
  return { status: 204, mutated: true };
}
