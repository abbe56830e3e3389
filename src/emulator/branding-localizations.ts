/**
 * Company branding per locale (issue 15 item 10), beyond the catalog's generic contained-type
 * rules, as Graph v1.0 serves it (docs/graph-facts.md §3 "Company branding", S198):
 * - A localization is created with its locale as `id` (RFC 1766 culture name, "fr-FR", or a
 *   bare language, "fr"); "You can't create the default branding by setting the value of id to
 *   the String types 0 or default", and "Multiple branding for a single locale are currently not
 *   supported".
 * - The list "Retrieve[s] all localization branding objects, including the default branding",
 *   which appears as id "0"; it "supports only the $select OData query parameter".
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import { contextUrl, project, selectList } from './odata/listing.js';

const LOCALIZATION = 'organizationalBrandingLocalization' as const;
const LOCALE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/**
 * Checks a localization's create body (resources.ts create).
 * @throws GraphHttpError 400 for a missing or malformed locale or the default's id, 409 for a locale already branded.
 */
export function checkLocalizationCreate(ctx: Ctx, body: Record<string, Json>): void {
  const id = body.id;
  if (typeof id !== 'string' || id.trim() === '') throw badRequest("Property 'id' (the locale) is required.");
  if (id === '0' || id.toLowerCase() === 'default') throw badRequest('The default branding cannot be created as a localization.');
  if (!LOCALE.test(id)) throw badRequest(`'${id}' is not a valid culture name.`);
  if (ctx.rt.store.get(LOCALIZATION, id)) throw new GraphHttpError(409, 'Request_BadRequest', `A branding for the locale '${id}' already exists.`);
}

/**
 * `GET /organization/{id}/branding/localizations`: the default branding (id "0") first, then
 * each localization; `$select` only. Undefined for any other request (the generic routes serve it).
 * @throws GraphHttpError 400 for a query option other than `$select`.
 */
export function listLocalizations(ctx: Ctx, orgId: string): Answer | undefined {
  if (ctx.method !== 'GET') return undefined;
  const d = ctx.reg.descriptor(LOCALIZATION);
  requirePermission(ctx.caller, d, false);
  for (const k of ctx.query.keys()) if (k !== '$select') throw badRequest(`Query option '${k}' is not supported; this list supports only $select.`);
  const store = ctx.rt.store;
  const select = selectList(ctx, LOCALIZATION);
  const value: Json[] = [];
  const branding = [...(store.live.get('organizationalBranding')?.values() ?? [])].find((b) => store.parentOf.get(b.id) === orgId);
  if (branding) {
    // the default branding, shown with the localization's properties only
    const shown: DirObject = { id: '0' };
    for (const p of d.properties) if (p !== 'id' && branding[p] !== undefined) shown[p] = branding[p]!;
    value.push({ ...project(ctx, LOCALIZATION, shown, select), id: '0' });
  }
  const mine = [...(store.live.get(LOCALIZATION)?.values() ?? [])].filter((l) => store.parentOf.get(l.id) === orgId).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const l of mine) value.push(project(ctx, LOCALIZATION, l, select));
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `organization('${orgId}')/branding/localizations`, select), value } };
}
