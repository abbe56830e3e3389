/**
 * A catalog's resources and an access package's resource roles in a restore plan
 * (src/catalog/entitlement-resources.ts). Pure.
 *
 * - A resource role scope is created naming its catalog resource by id (`role.resource.id`,
 *   docs/graph-facts.md §3 "Entitlement management: resources and resource role scopes"),
 *   which Graph does not return on a list. The create body takes it from the archive: the
 *   resource of the package's catalog with the scope's origin. The catalog's reference rules
 *   then remap it to the resource the plan adds and order the create after that add; the
 *   role's `Member_<groupId>` and the scope's origin are remapped to the recreated group or
 *   service principal the same way. The archived role's and scope's own ids are catalog-bound
 *   and left out (Graph assigns new ones).
 * - A SharePoint Online site is named by its URL, which Graph cannot check here. A site on the
 *   target tenant's own SharePoint host (`<tenant>.sharepoint.com`, the prefix of its initial
 *   domain) is added again by URL; a site on another tenant's host cannot exist in the target,
 *   so it is not added: a manual step names the catalog, the site and every package role on it
 *   (the roles are skipped as blocked by it).
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { ManualStep, Plan } from '../types.js';
import { parentIdOf } from '../catalog.js';
import { cmp } from '../json.js';
import type { ArchivedEntry, PlanContext } from './context.js';
import type { ScopeResult } from './scope.js';

export const SITES_STEP_ID = 'manual:accessPackageSharePointSites';

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The SharePoint host of a tenant: the prefix of its initial `*.onmicrosoft.com` domain. */
export function sharePointHost(initialDomain: string): string {
  return `${initialDomain.split('.')[0]?.toLowerCase() ?? ''}.sharepoint.com`;
}

/** Why a SharePoint site resource is not added to the target (undefined: added, or another type). */
export function siteSkipReason(type: ResourceType, obj: DirObject, targetInitialDomain: string): string | undefined {
  if (type !== 'accessPackageResource' || obj['originSystem'] !== 'SharePointOnline') return undefined;
  const url = str(obj['originId']) ?? '';
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    host = '';
  }
  const own = sharePointHost(targetInitialDomain);
  if (host === own || host === own.replace('.sharepoint.com', '-my.sharepoint.com')) return undefined;
  return `a SharePoint Online site of another tenant (${host || url}) cannot be added to the target's catalog (${SITES_STEP_ID})`;
}

/** The archived catalog resource a role scope's role belongs to: same catalog as its package, same origin as its scope. */
function resourceOf(ctx: PlanContext, roleScope: DirObject): DirObject | undefined {
  const pkgId = parentIdOf(roleScope);
  const pkg = pkgId ? ctx.archivedById.get(pkgId)?.obj : undefined;
  const catalogId = pkg && isObj(pkg['catalog']) ? str(pkg['catalog']['id']) : undefined;
  const scope = roleScope['scope'];
  const origin = isObj(scope) ? str(scope['originId']) : undefined;
  if (!catalogId || origin === undefined) return undefined;
  return (ctx.archive.objects.accessPackageResource ?? []).find((r) => parentIdOf(r) === catalogId && r['originId'] === origin);
}

/**
 * Writes a role scope's create body (in place): the role and scope without their archived
 * ids, the role naming its archived catalog resource. Returns a skip reason when the archive
 * holds no such resource.
 */
export function roleScopeBody(ctx: PlanContext, obj: DirObject, body: JsonObject): string | undefined {
  const role = obj['role'];
  const scope = obj['scope'];
  const res = resourceOf(ctx, obj);
  if (!isObj(role) || !isObj(scope) || !res) return 'its role, scope or catalog resource is not in the archive; add the role to the access package by hand';
  const pick = (o: JsonObject, keys: readonly string[]): JsonObject => Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k] as Json]));
  body['role'] = { ...pick(role, ['displayName', 'description', 'originId', 'originSystem']), resource: { id: res.id } };
  body['scope'] = pick(scope, ['displayName', 'description', 'originId', 'originSystem', 'isRootScope']);
  return undefined;
}

/**
 * `objects` scenario: a recreated catalog brings its missing resources, a recreated access
 * package its missing resource roles (with the resources they name), each in `included` with
 * the object that brought it.
 */
export function addCatalogDependents(ctx: PlanContext, closed: ScopeResult, close: (ids: string[]) => ScopeResult): void {
  const add = (id: string, by: string, type: ResourceType): void => {
    const more = close([id]);
    for (const x of more.ids) closed.ids.add(x);
    closed.included.push({ archivedId: id, type, displayName: ctx.nameOf(id), requiredBy: by });
  };
  const missing = (id: string): boolean => !closed.ids.has(id) && ctx.match.entries.get(id)?.state !== 'live';
  for (const r of [...(ctx.archive.objects.accessPackageResource ?? [])].sort((a, b) => cmp(a.id, b.id))) {
    const cat = parentIdOf(r);
    if (cat && closed.ids.has(cat) && missing(r.id)) add(r.id, cat, 'accessPackageResource');
  }
  for (const s of [...(ctx.archive.objects.accessPackageResourceRoleScope ?? [])].sort((a, b) => cmp(a.id, b.id))) {
    const pkg = parentIdOf(s);
    if (!pkg || !closed.ids.has(pkg) || !missing(s.id)) continue;
    add(s.id, pkg, 'accessPackageResourceRoleScope');
    const res = resourceOf(ctx, s);
    if (res && missing(res.id)) add(res.id, s.id, 'accessPackageResource');
  }
}

/** The manual step for the SharePoint sites the plan does not add, with the package roles on each (undefined: none). */
export function siteStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, ArchivedEntry>): ManualStep | undefined {
  const sites = (skipped ?? []).filter((s) => s.type === 'accessPackageResource' && s.reason.includes(SITES_STEP_ID)).map((s) => archivedById.get(s.archivedId)?.obj).filter((o): o is DirObject => o !== undefined);
  if (sites.length === 0) return undefined;
  const roleScopes = [...archivedById.values()].filter((e) => e.type === 'accessPackageResourceRoleScope').map((e) => e.obj);
  const lines: string[] = [];
  const objects: string[] = [];
  for (const site of sites.sort((a, b) => cmp(a.id, b.id))) {
    const catalog = archivedById.get(parentIdOf(site) ?? '')?.obj;
    lines.push(`- site ${String(site['originId'])} ("${String(site['displayName'] ?? '')}") in catalog "${String(catalog?.['displayName'] ?? parentIdOf(site))}"`);
    objects.push(site.id);
    for (const rs of roleScopes) {
      const scope = rs['scope'];
      const pkg = archivedById.get(parentIdOf(rs) ?? '')?.obj;
      const pkgCatalog = pkg && isObj(pkg['catalog']) ? pkg['catalog']['id'] : undefined;
      if (!isObj(scope) || scope['originId'] !== site['originId'] || pkgCatalog !== parentIdOf(site)) continue;
      const role = isObj(rs['role']) ? rs['role'] : {};
      lines.push(`  - access package "${String(pkg?.['displayName'] ?? '?')}": role "${String(role['displayName'] ?? '')}" (originId ${String(role['originId'] ?? '?')}), scope ${String(scope['originId'])}`);
      objects.push(rs.id);
    }
  }
  return {
    id: SITES_STEP_ID,
    kind: 'other',
    title: `Add again ${sites.length} SharePoint Online site(s) to their catalogs and their roles to the access packages`,
    instructions: [
      'These sites belong to the archived tenant\'s SharePoint Online, which the target does not have, so the restore neither adds them nor the package roles on them.',
      'Recreate or pick the site in the target\'s SharePoint, add it to the catalog (Identity Governance > Catalogs > Resources, or POST /identityGovernance/entitlementManagement/resourceRequests with requestType adminAdd and originSystem SharePointOnline), then add each role to its access package (Resource roles):',
      ...lines,
    ].join('\n'),
    objects,
  };
}
