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
 * - a profile source is addressed by its alternate key, `profileSources(sourceId='…')`
 *   (https://learn.microsoft.com/graph/api/profilesource-update, S371; src/emulator/store.ts
 *   UNIQUE_KEYS), and its sourceId "isn't updateable" (a PATCH naming it answers 400, the catalog's
 *   createOnly; https://learn.microsoft.com/graph/profilesource-configure-settings, S370);
 * - PATCH of a profile property setting answers 200 with the object
 *   (https://learn.microsoft.com/graph/api/profilepropertysetting-update, S343);
 * - "Only one configuration without a name is allowed per collection" of profile property settings
 *   (https://learn.microsoft.com/graph/api/resources/profilepropertysetting, S372): a second nameless
 *   one, created or renamed to no name, answers 400.
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

const isNameless = (v: Json | undefined): boolean => v === null || v === undefined || v === '';

/** 400 when the write would leave two nameless profile property settings (S372). */
function refuseSecondNameless(ctx: Ctx, selfId: string | undefined): void {
  const body = asBody(ctx.body);
  if (selfId !== undefined ? !('name' in body) || !isNameless(body['name']) : !isNameless(body['name'])) return;
  const others = [...(ctx.rt.store.live.get('profilePropertySetting')?.values() ?? [])].filter((o) => o.id.toLowerCase() !== selfId?.toLowerCase());
  if (others.some((o) => isNameless(o['name']))) throw badRequest('Only one profile property setting without a name is allowed per collection.');
}

/** PATCH of a profile property setting: "200 OK" and the updated object (S343, profilepropertysetting-update). */
function patchPropertySetting(ctx: Ctx, id: string): Answer {
  const type: ResourceType = 'profilePropertySetting';
  const o = ctx.rt.store.get(type, id);
  if (!o) throw notFound(id);
  patchObject(ctx, type, o, asBody(ctx.body));
  const now = ctx.rt.store.get(type, id) ?? o;
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'admin/people/profilePropertySettings', undefined, true), ...project(ctx, type, now, undefined) }, mutated: true };
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
  if (s[2] === 'profilepropertysettings' && (ctx.method === 'POST' || ctx.method === 'PATCH')) refuseSecondNameless(ctx, segs[3]);
  if (s[2] === 'profilepropertysettings' && segs.length === 4 && ctx.method === 'PATCH') return patchPropertySetting(ctx, segs[3]!);
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
