/**
 * `$expand` of directory relationships (docs/graph-facts.md §8 "$expand"): `manager`,
 * `directReports` and `memberOf` on users, `members`, `owners` and `memberOf` on groups,
 * `owners` on applications and service principals, `principal` and `roleDefinition` on role
 * assignments and schedules. Graph's documented limits hold: at most 20 expanded objects and
 * no nextLink, one level only, only `$select` nested inside, and no `$expand` together with
 * advanced queries (https://learn.microsoft.com/graph/query-parameters "Expand",
 * https://learn.microsoft.com/graph/known-issues "query parameter limitations"). Any other
 * expansion is refused with a 400, never ignored.
 */
import { graphTypes } from '../catalog/generated/graph-v1.0.js';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Ctx } from './context.js';
import { badRequest } from './graph-error.js';
import { relationFor } from './navs.js';
import { advancedQuery, project } from './odata/listing.js';
import { resolveRoleDefinition } from './writes.js';
import { entitlementNav } from './entitlement.js';
import { expandAllowedValues } from './allowed-values.js';
import { isRoleScopesItem, roleScopesReader } from './role-scope-expand.js';
import { questionsOf } from './entitlement-questions.js';
import { assignedAttributeId } from './user-flow-attributes.js';
import { isStageSettingsItem, stageSettingsReader } from './entitlement-extensions.js';

/** Graph returns at most this many objects for an expanded directory relationship. */
export const EXPAND_LIMIT = 20;

interface ExpandItem {
  /** The navigation as Graph spells it in responses. */
  name: string;
  select: string[] | undefined;
}

/** Adds the expanded navigations to one projected object. */
export type Expander = (type: ResourceType, o: DirObject, out: Record<string, Json>) => void;

function splitTop(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of raw) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function parseItem(raw: string): { nav: string; select: string[] | undefined } {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(raw);
  if (!m) {
    if (raw === '*' || raw.includes('/')) throw badRequest(`Expanding '${raw}' is not supported: one level of expand only, and no wildcard.`, 'Request_BadRequest');
    throw badRequest(`Invalid $expand clause '${raw}'.`, 'BadRequest');
  }
  let select: string[] | undefined;
  for (const opt of (m[2] ?? '').split(';').map((x) => x.trim()).filter(Boolean)) {
    const eq = opt.indexOf('=');
    const name = (eq < 0 ? opt : opt.slice(0, eq)).trim().toLowerCase();
    if (name !== '$select') {
      throw badRequest(`Query option '${opt.slice(0, eq < 0 ? undefined : eq)}' is not supported inside $expand; only $select may be nested.`, 'Request_BadRequest');
    }
    select = opt.slice(eq + 1).split(',').map((x) => x.trim()).filter(Boolean);
  }
  return { nav: m[1]!, select };
}

/** Expandable navigations per type: the response name and how to read it. */
type Reader = (ctx: Ctx, o: DirObject) => string | string[] | Record<string, Json> | Array<Record<string, Json>> | undefined;

const REVERSE_READERS: Record<string, { kinds: Parameters<Ctx['rt']['store']['edges']>[0][]; types: readonly ResourceType[] }> = {
  memberOf: { kinds: ['groupMembers', 'administrativeUnitMembers'], types: ['user', 'group', 'servicePrincipal'] },
  directReports: { kinds: ['userManager'], types: ['user'] },
};

const SCHEDULES: readonly ResourceType[] = ['roleAssignment', 'roleEligibilitySchedule', 'roleAssignmentSchedule'];

/** The reader of `nav` on `type` (with its permission check), or undefined when not expandable here. */
function readerFor(ctx: Ctx, type: ResourceType, nav: string): { name: string; read: Reader } | undefined {
  const store = ctx.rt.store;
  // entitlement management's links (./entitlement.ts)
  const em = entitlementNav(type, nav);
  if (em) return { name: em.name, read: (_c, o) => em.read(o) };
  // a policy's questions, kept with it (./entitlement-questions.ts)
  if (type === 'accessPackageAssignmentPolicy' && nav.toLowerCase() === 'questions') return { name: 'questions', read: (_c, o) => questionsOf(o) };
  // a definition's predefined values, kept with it (./allowed-values.ts)
  if (type === 'customSecurityAttributeDefinition' && nav.toLowerCase() === 'allowedvalues') return { name: 'allowedValues', read: (_c, o) => expandAllowedValues(o) };
  // the attribute an assignment collects (./user-flow-attributes.ts)
  if (type === 'userFlowAttributeAssignment' && nav.toLowerCase() === 'userattribute') return { name: 'userAttribute', read: (_c, o) => assignedAttributeId(store, o) };
  const rel = relationFor(type, nav);
  if (rel) {
    requirePermission(ctx.caller, { permissions: rel.permissions }, false);
    const name = rel.path.split('/').pop()!;
    return {
      name,
      read: (_c, o) => {
        const ids = store.edges(rel.kind).targets(o.id).filter((id) => store.isLive(id));
        return rel.singleValued ? ids[0] : ids;
      },
    };
  }
  for (const [name, r] of Object.entries(REVERSE_READERS)) {
    if (name.toLowerCase() !== nav.toLowerCase() || !r.types.includes(type)) continue;
    requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
    return {
      name,
      read: (_c, o) => {
        const ids = new Set<string>();
        for (const k of r.kinds) for (const s of store.edges(k).sources(o.id)) if (store.isLive(s)) ids.add(s);
        return [...ids];
      },
    };
  }
  if (SCHEDULES.includes(type) && nav.toLowerCase() === 'principal') {
    return { name: 'principal', read: (_c, o) => (typeof o.principalId === 'string' && store.isLive(o.principalId) ? o.principalId : undefined) };
  }
  if (SCHEDULES.includes(type) && nav.toLowerCase() === 'roledefinition') {
    requirePermission(ctx.caller, ctx.reg.descriptor('roleDefinition'), false);
    return { name: 'roleDefinition', read: (_c, o) => resolveRoleDefinition(store, String(o.roleDefinitionId))?.id };
  }
  return undefined;
}

/**
 * The expander for `$expand` on objects of `type`, or undefined when the request has none.
 * @throws GraphHttpError 400 for a navigation that does not exist, one Graph or the emulator
 *   does not expand, nested options other than `$select`, or `$expand` in an advanced query;
 *   403 when the caller may not read the expanded relationship.
 * @param single - true on one object's GET (an access package's `resourceRoleScopes` is
 *   expanded there only: ./role-scope-expand.ts).
 */
export function expanderFor(ctx: Ctx, type: ResourceType | undefined, single = false): Expander | undefined {
  const raw = ctx.query.get('$expand');
  if (raw === null) return undefined;
  if (advancedQuery(ctx)) throw badRequest('$expand is not supported with advanced queries (ConsistencyLevel: eventual and $count=true).', 'Request_UnsupportedQuery');
  if (!type) throw badRequest(`Expanding '${raw}' is not supported for this request.`, 'Request_BadRequest');
  const entityType = ctx.reg.descriptor(type).entityType;
  const items: Array<ExpandItem & { read: Reader }> = [];
  for (const part of splitTop(raw)) {
    if (type === 'accessPackage' && isRoleScopesItem(part)) {
      const rs = roleScopesReader(ctx, part, single);
      items.push({ name: rs.name, select: undefined, read: (_c, o) => rs.read(o) });
      continue;
    }
    // a policy's custom extension stages, with the documented nested $expand=customExtension (./entitlement-extensions.ts)
    if (type === 'accessPackageAssignmentPolicy' && isStageSettingsItem(part)) {
      const read = stageSettingsReader(ctx, part);
      items.push({ name: 'customExtensionStageSettings', select: undefined, read: (_c, o) => read(o) });
      continue;
    }
    const { nav, select } = parseItem(part);
    const r = readerFor(ctx, type, nav);
    if (!r) {
      const known = graphTypes[entityType]?.navigationProperties.some((n) => n.name.toLowerCase() === nav.toLowerCase());
      if (known) throw badRequest(`Expanding '${nav}' is not supported on '${entityType}'.`, 'Request_BadRequest');
      throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${nav}' on type '${entityType}'.`, 'BadRequest');
    }
    items.push({ name: r.name, select, read: r.read });
  }
  const store = ctx.rt.store;
  const one = (id: string): Record<string, Json> | undefined => {
    const hit = store.anyLive(id);
    return hit ? project(ctx, hit.type, hit.obj) : undefined;
  };
  return (_type, o, out) => {
    for (const it of items) {
      const got = it.read(ctx, o);
      const shape = (id: string): Record<string, Json> | undefined => {
        const hit = store.anyLive(id);
        return hit ? project(ctx, hit.type, hit.obj, it.select) : undefined;
      };
      if (Array.isArray(got)) {
        const value: Json[] = [];
        for (const x of [...got].sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : 0))) {
          if (typeof x !== 'string') {
            // values kept with the object (predefined values), $select applied; all of them, as they are not directory objects
            value.push(it.select ? Object.fromEntries(Object.entries(x).filter(([k]) => k === 'id' || it.select!.includes(k))) : x);
            continue;
          }
          if (value.length >= EXPAND_LIMIT) break;
          const p = it.select ? shape(x) : one(x);
          if (p) value.push(p);
        }
        out[it.name] = value;
      } else if (got !== undefined && typeof got === 'object') {
        // a value kept with the object (an assignment's target), $select applied to it
        out[it.name] = it.select ? Object.fromEntries(Object.entries(got).filter(([k]) => k === 'id' || k.startsWith('@odata') || it.select!.includes(k))) : got;
      } else if (got !== undefined) {
        const p = shape(got);
        if (p) out[it.name] = p;
      }
    }
  };
}
