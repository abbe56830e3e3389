/**
 * `GET /identityGovernance/entitlementManagement/accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)`:
 * the read Graph v1.0 documents for an access package's resource role scopes
 * (docs/graph-facts.md §3, S225: https://learn.microsoft.com/graph/api/accesspackage-list-resourcerolescopes).
 * The page's example answers with the package and a `resourceRoleScopes` array whose items
 * carry `id`, `createdDateTime` and, when expanded, `role` and `scope`.
 * - Only on one access package's GET: the v1.0 list page documents `$select` and `$filter`,
 *   not `$expand` (S226); on the list the expansion is refused with a 400.
 * - Inside the parentheses `$expand` (of `role` and `scope` only) and `$select` (of the role
 *   scope's own properties) are served; any other nested option is a 400, never ignored.
 * Wired into the generic expander by ./expand.ts.
 */
import { graphTypes } from '../catalog/generated/graph-v1.0.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { LINK } from './entitlement-links.js';
import { badRequest } from './graph-error.js';
import { project } from './odata/listing.js';

const ENTITY = 'microsoft.graph.accessPackageResourceRoleScope';
const NESTED_NAVS: Record<string, 'role' | 'scope'> = { role: 'role', scope: 'scope' };

/** Whether an `$expand` item names an access package's resource role scopes. */
export const isRoleScopesItem = (raw: string): boolean => /^resourceRoleScopes(\(|$)/i.test(raw.trim());

interface Nested {
  navs: Array<'role' | 'scope'>;
  select: string[] | undefined;
}

function parseNested(raw: string): Nested {
  const m = /^resourceRoleScopes(?:\((.*)\))?$/i.exec(raw.trim());
  if (!m) throw badRequest(`Invalid $expand clause '${raw}'.`, 'BadRequest');
  const out: Nested = { navs: [], select: undefined };
  for (const opt of (m[1] ?? '').split(';').map((x) => x.trim()).filter(Boolean)) {
    const eq = opt.indexOf('=');
    const name = (eq < 0 ? opt : opt.slice(0, eq)).trim().toLowerCase();
    const values = opt.slice(eq + 1).split(',').map((x) => x.trim()).filter(Boolean);
    if (eq < 0 || values.length === 0) throw badRequest(`Invalid query option '${opt}' inside $expand.`, 'BadRequest');
    if (name === '$expand') {
      for (const v of values) {
        const nav = NESTED_NAVS[v.toLowerCase()];
        if (!nav) throw badRequest(`Expanding '${v}' is not supported on '${ENTITY}': only role and scope.`, 'Request_BadRequest');
        if (!out.navs.includes(nav)) out.navs.push(nav);
      }
    } else if (name === '$select') {
      const known = new Set((graphTypes[ENTITY]?.properties ?? []).map((p) => p.name));
      for (const v of values) {
        if (!known.has(v)) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${v}' on type '${ENTITY}'.`, 'BadRequest');
      }
      out.select = values;
    } else {
      throw badRequest(`Query option '${opt.slice(0, eq)}' is not supported inside the $expand of resourceRoleScopes.`, 'Request_BadRequest');
    }
  }
  return out;
}

/**
 * The reader of `resourceRoleScopes` on an access package for ./expand.ts.
 * @throws GraphHttpError 400 on a list of access packages (S226), or for a nested option
 *   that is not `$expand=role,scope` or `$select` of the role scope's properties.
 */
export function roleScopesReader(ctx: Ctx, raw: string, single: boolean): { name: string; read: (o: DirObject) => Array<Record<string, Json>> } {
  if (!single) throw badRequest("Expanding 'resourceRoleScopes' is supported on one access package's GET only.", 'Request_BadRequest');
  const nested = parseNested(raw);
  return {
    name: 'resourceRoleScopes',
    read: (pkg) => {
      const m = ctx.rt.store.live.get('accessPackageResourceRoleScope');
      const ids = [...(m?.keys() ?? [])].filter((id) => ctx.rt.store.parentOf.get(id) === pkg.id).sort();
      const value: Array<Record<string, Json>> = [];
      for (const id of ids) {
        const o = m!.get(id)!;
        const out = project(ctx, 'accessPackageResourceRoleScope', o, nested.select);
        for (const nav of nested.navs) out[nav] = (o[LINK[nav]] as Json | undefined) ?? null;
        value.push(out);
      }
      return value;
    },
  };
}
