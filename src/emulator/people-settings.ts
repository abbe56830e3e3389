/**
 * The people settings under `/admin/people` as Graph v1.0 documents them (issue 15 item 10;
 * docs/graph-facts.md §3 "People settings", S340):
 * - only PeopleSettings.Read.All / PeopleSettings.ReadWrite.All open them: the pages name no
 *   Directory.* permission, so Directory.Read.All or Directory.ReadWrite.All alone answer 403
 *   (https://learn.microsoft.com/graph/api/peopleadminsettings-list-pronouns);
 * - PATCH /admin/people/pronouns answers 200 with the updated object
 *   (https://learn.microsoft.com/graph/api/pronounssettings-update), isEnabledInOrganization required;
 * - the JSON representation has no id (https://learn.microsoft.com/graph/api/resources/pronounssettings).
 * - PATCH /admin/people/itemInsights answers 200 with the updated object and, as the page says,
 *   does not check that disabledForGroup names an existing group
 *   (https://learn.microsoft.com/graph/api/insightssettings-update, S341).
 * - POST, PATCH and DELETE under /admin/people/profileCardProperties are delegated only
 *   ("Application: Not supported", S342:
 *   https://learn.microsoft.com/graph/api/peopleadminsettings-post-profilecardproperties,
 *   https://learn.microsoft.com/graph/api/profilecardproperty-update,
 *   https://learn.microsoft.com/graph/api/profilecardproperty-delete): an app-only caller gets 403
 *   even with PeopleSettings.ReadWrite.All; listing them is the generic route (PeopleSettings.Read.All).
 * The catalog's generic routes answer everything this module leaves undefined.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl, project, selectList } from './odata/listing.js';
import { asBody, patchObject } from './writes.js';

const READ = 'PeopleSettings.Read.All';
const WRITE = 'PeopleSettings.ReadWrite.All';

/** The singletons under /admin/people, by their lower-cased segment. */
const SINGLETONS: Readonly<Record<string, { type: ResourceType; segment: string; required: readonly string[] }>> = {
  pronouns: { type: 'pronounsSettings', segment: 'pronouns', required: ['isEnabledInOrganization'] },
  iteminsights: { type: 'itemInsightsSettings', segment: 'itemInsights', required: [] },
};

function singletonOf(ctx: Ctx, type: ResourceType): DirObject {
  const o = ctx.rt.store.live.get(type)?.values().next().value;
  if (!o) throw notFound(ctx.reg.descriptor(type).path);
  return o;
}

/** The object as Graph shows it: its declared properties (or the `$select`ed ones), never an id. */
function shown(ctx: Ctx, type: ResourceType, segment: string, o: DirObject): Record<string, Json> {
  const select = selectList(ctx, type, true);
  const { id: _id, ...rest } = project(ctx, type, o, select);
  return { '@odata.context': contextUrl(ctx, `admin/people/${segment}`, select, true), ...rest };
}

/**
 * Every call under /admin/people that Graph answers differently from the catalog's generic
 * routes; undefined for the others.
 * @throws GraphHttpError 400/403/404/405 as documented above
 */
export function peopleSettingsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const s = segs.map((x) => x.toLowerCase());
  if (s[0] !== 'admin' || s[1] !== 'people') return undefined;
  const roles = ctx.caller.roles;
  if (ctx.method === 'GET' ? !roles.has(READ) && !roles.has(WRITE) : !roles.has(WRITE)) throw forbidden();
  if (s[2] === 'profilecardproperties' && ctx.method !== 'GET' && ctx.caller.userId === undefined) throw forbidden();
  const single = segs.length === 3 ? SINGLETONS[s[2]!] : undefined;
  if (!single) return undefined;
  const o = singletonOf(ctx, single.type);
  if (ctx.method === 'GET') return { status: 200, body: shown(ctx, single.type, single.segment, o) };
  if (ctx.method !== 'PATCH') throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`);
  const body = asBody(ctx.body);
  for (const p of single.required) if (body[p] === undefined || body[p] === null) throw badRequest(`The property '${p}' is required.`);
  patchObject(ctx, single.type, o, body);
  return { status: 200, body: shown(ctx, single.type, single.segment, singletonOf(ctx, single.type)), mutated: true };
}
