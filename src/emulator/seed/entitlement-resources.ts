/**
 * What the drill tenant's access packages grant (issue 15 item 8, part 2): the "Sales
 * resources" catalog holds a security group and an application's service principal, the
 * "Partner onboarding" catalog a SharePoint Online site; "Sales tools" grants membership of
 * the group and a user role of the app, "Partner workspace" the site's Members role. Shapes
 * follow the documented examples (docs/graph-facts.md §3 "Entitlement management: resources
 * and resource role scopes", S205–S208); the role and scope are kept under the emulator's
 * own names (../entitlement.ts LINK), as Graph serves them only expanded.
 */
import type { DirObject, Json } from '../../model.js';
import { LINK } from '../entitlement.js';
import type { SeedContext, SeededApp } from './context.js';
import { Rng } from './rng.js';
import { assignAppRole } from './apps.js';

const CREATED = '2025-03-02T09:00:00Z';

/** The drill's SharePoint site: under the tenant's own SharePoint host, named after its initial domain. */
export function seededSiteUrl(initialDomain: string): string {
  return `https://${initialDomain.split('.')[0]}.sharepoint.com/sites/partner-projects`;
}

export function seedEntitlementResources(ctx: SeedContext, opts: { groupId?: string; app?: SeededApp }): void {
  const rng = new Rng(ctx.seed, 'entitlement-resources');
  const byName = (type: 'accessPackageCatalog' | 'accessPackage', name: string): DirObject | undefined => (ctx.objects.get(type) ?? []).find((o) => o['displayName'] === name);
  const sales = byName('accessPackageCatalog', 'Sales resources');
  const partners = byName('accessPackageCatalog', 'Partner onboarding');
  const tools = byName('accessPackage', 'Sales tools');
  const workspace = byName('accessPackage', 'Partner workspace');
  if (!sales || !partners || !tools || !workspace) return;
  const resource = (catalog: DirObject, originSystem: string, originId: string, displayName: string): DirObject => ctx.add('accessPackageResource', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.accessPackageResource', originSystem, originId, displayName, description: null,
    attributes: [], createdDateTime: CREATED, modifiedDateTime: CREATED,
  }, catalog.id);
  const roleScope = (pkg: DirObject, res: DirObject, role: { originId: string; displayName: string }): void => {
    const roleId = rng.guid();
    const scopeId = rng.guid();
    const system = res['originSystem'] as string;
    const scope: Json = { id: scopeId, displayName: 'Root', description: 'Root Scope', originId: res['originId'] as string, originSystem: system, isRootScope: true };
    ctx.add('accessPackageResourceRoleScope', {
      id: `${roleId}_${scopeId}`, '@odata.type': '#microsoft.graph.accessPackageResourceRoleScope', createdDateTime: CREATED,
      [LINK.role]: { id: roleId, displayName: role.displayName, description: null, originId: role.originId, originSystem: system }, [LINK.scope]: scope,
    }, pkg.id);
  };
  if (opts.groupId) {
    const group = (ctx.objects.get('group') ?? []).find((g) => g.id === opts.groupId);
    const res = resource(sales, 'AadGroup', opts.groupId, String(group?.['displayName'] ?? 'Sales group'));
    roleScope(tools, res, { originId: `Member_${opts.groupId}`, displayName: 'Member' });
    // the package's delivered assignments have provisioned that role: their users are members (src/emulator/package-roles.ts)
    const members = new Set((ctx.relations.get('groupMembers') ?? []).filter((e) => e.from === opts.groupId).map((e) => e.to));
    for (const user of assignees(ctx, tools.id)) if (!members.has(user.id)) ctx.rel('groupMembers', opts.groupId, user.id, 'user');
  }
  const appRole = opts.app?.userRoleIds[0];
  if (opts.app && appRole) {
    const res = resource(sales, 'AadApplication', opts.app.sp.id, opts.app.displayName);
    // what the app asks the requestor, written to the user's officeLocation (S247)
    res['attributes'] = [{
      destination: { '@odata.type': '#microsoft.graph.accessPackageUserDirectoryAttributeStore' }, name: 'officeLocation', isEditable: true, isPersistedOnAssignmentRemoval: true,
      source: { '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion', question: {
        '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: new Rng(ctx.seed, 'entitlement-attributes').guid(), sequence: 1, isRequired: true, isAnswerEditable: true,
        text: 'What office do you work at?', localizations: [], isSingleLineQuestion: true, regexPattern: '[a-zA-Z]+[a-zA-Z\\s]*',
      } },
    }];
    roleScope(tools, res, { originId: appRole, displayName: 'User' });
    // and that app role (src/emulator/package-roles.ts)
    const held = new Set((ctx.objects.get('appRoleAssignment') ?? []).filter((x) => x['resourceId'] === opts.app!.sp.id && x['appRoleId'] === appRole).map((x) => String(x['principalId'])));
    const grants = new Rng(ctx.seed, 'entitlement-app-roles');
    for (const user of assignees(ctx, tools.id)) {
      if (!held.has(user.id)) assignAppRole(ctx, grants, { id: user.id, displayName: String(user['displayName']), type: 'User' }, opts.app.sp, appRole);
    }
  }
  const site = resource(partners, 'SharePointOnline', seededSiteUrl(ctx.initialDomain), 'Partner projects');
  roleScope(workspace, site, { originId: '4', displayName: 'Partner projects Members' });
}

/** The users of a package's delivered assignments. */
function assignees(ctx: SeedContext, packageId: string): DirObject[] {
  const users = new Map((ctx.objects.get('user') ?? []).map((u) => [u.id, u]));
  return (ctx.objects.get('accessPackageAssignment') ?? [])
    .filter((a) => a[LINK.accessPackage] === packageId && a['state'] === 'delivered')
    .map((a) => users.get(String((a[LINK.target] as { objectId?: string } | undefined)?.objectId)))
    .filter((u): u is DirObject => u !== undefined);
}
