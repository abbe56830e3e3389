/**
 * The settings of one group (`/groups/{id}/settings`) as Graph v1.0 documents them (issue 15
 * item 10; docs/graph-facts.md §3 "Group settings of one group", S108):
 * - "Group-specific settings apply to only Microsoft 365 groups"
 *   (https://learn.microsoft.com/graph/api/resources/groupsetting);
 * - "the template named Group.Unified.Guest can be used to configure group-specific settings"
 *   (https://learn.microsoft.com/graph/api/group-post-settings), whose one value is
 *   AllowToAddGuests (https://learn.microsoft.com/graph/api/resources/groupsettingtemplate);
 * - the setting's displayName comes from its template and is read-only.
 * A create under another kind of group, from another template, with a value the template does
 * not have, or a second setting of the same template is a 400; list, get, PATCH and DELETE are
 * the catalog's generic routes for a contained type.
 */
import type { Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { contextUrl, project } from './odata/listing.js';
import { asBody, commitCreate, createObject, visible } from './writes.js';

const TYPE = 'groupSpecificSetting' as const;
/** Group.Unified.Guest: template id → its display name and value names. */
export const GROUP_UNIFIED_GUEST = { id: '08d542b9-071f-4e16-94b0-74abb372e3d9', displayName: 'Group.Unified.Guest', values: ['AllowToAddGuests'] } as const;

function checkValues(values: Json | undefined): void {
  if (values === undefined) return;
  if (!Array.isArray(values)) throw badRequest("Property 'values' must be a collection of settingValue.");
  for (const v of values) {
    const name = v && typeof v === 'object' && !Array.isArray(v) ? v.name : undefined;
    if (typeof name !== 'string' || !(GROUP_UNIFIED_GUEST.values as readonly string[]).includes(name)) {
      throw badRequest(`Setting '${String(name)}' is not defined in template ${GROUP_UNIFIED_GUEST.displayName}.`);
    }
  }
}

/**
 * POST (and the value check of PATCH) under `/groups/{id}/settings`; undefined otherwise.
 * @throws GraphHttpError 400 as documented above, 403 without Directory.ReadWrite.All, 404 for an unknown group
 */
export function groupSettingsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  if (segs[0]?.toLowerCase() !== 'groups' || segs[2]?.toLowerCase() !== 'settings') return undefined;
  if (segs.length === 4 && ctx.method === 'PATCH') checkValues(asBody(ctx.body).values);
  if (segs.length !== 3 || ctx.method !== 'POST') return undefined;
  const group = ctx.rt.store.get('group', segs[1]!);
  if (!group || !visible(ctx, group.id)) throw notFound(segs[1]!);
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  const body = asBody(ctx.body);
  if (!(Array.isArray(group.groupTypes) && group.groupTypes.includes('Unified'))) throw badRequest('Group-specific settings apply to Microsoft 365 groups only.');
  if (body.templateId !== GROUP_UNIFIED_GUEST.id) throw badRequest(`Template '${String(body.templateId)}' cannot be used for a group-specific setting: use ${GROUP_UNIFIED_GUEST.displayName}.`);
  checkValues(body.values);
  const store = ctx.rt.store;
  const dup = [...(store.live.get(TYPE)?.values() ?? [])].some((x) => store.parentOf.get(x.id) === group.id && x.templateId === body.templateId);
  if (dup) throw badRequest(`A setting from template ${GROUP_UNIFIED_GUEST.displayName} already exists for this group.`);
  const o = createObject(ctx, TYPE, group.id, body);
  o.displayName = GROUP_UNIFIED_GUEST.displayName;
  commitCreate(ctx, TYPE, o, group.id);
  return { status: 201, mutated: true, body: { '@odata.context': contextUrl(ctx, `groups('${group.id}')/settings`, undefined, true), ...project(ctx, TYPE, o) } };
}
