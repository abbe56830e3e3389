/**
 * Issue 15 item 8, part 2: what a restored access package grants, read back through Graph
 * after a tenant-loss restore (called by ./entitlement-restore.test.ts, which already runs
 * one, so no second restore is paid for). Pages: S205
 * https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resources and S208
 * https://learn.microsoft.com/graph/api/accesspackage-list-resourcerolescopes.
 * - the "Sales resources" catalog holds the recreated group and service principal: its
 *   resources' originIds are their new ids;
 * - "Sales tools" grants Member_<new group id> and the app's user role, scoped to the new ids;
 * - the SharePoint site of the lost tenant is not added: a manual step names it and the
 *   package role on it, and fidelity reports both.
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { Plan } from '../../src/restore/types.js';
import { SITES_STEP_ID } from '../../src/restore/plan/entitlement-resources.js';
import { findRoleScope } from '../../src/restore/execute/entitlement-resources.js';

const EM = '/identityGovernance/entitlementManagement';
type Origin = { originId?: string; originSystem?: string; displayName?: string };

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

export async function checkPackageGrants(graph: GraphClient, archive: TenantData, plan: Plan, deviations: readonly { type?: string; archivedId?: string }[]): Promise<void> {
  const o = archive.objects;
  const resources = o.accessPackageResource ?? [];
  const roleScopes = o.accessPackageResourceRoleScope ?? [];
  expect(resources.map((r) => r['originSystem']).sort(), 'catalog resources archived').toEqual(['AadApplication', 'AadGroup', 'SharePointOnline']);
  expect(roleScopes.length, 'resource roles archived').toBe(3);
  const group = o.group!.find((g) => g.id === resources.find((r) => r['originSystem'] === 'AadGroup')!['originId'])!;
  const sp = o.servicePrincipal!.find((s) => s.id === resources.find((r) => r['originSystem'] === 'AadApplication')!['originId'])!;
  const liveGroup = (await all<DirObject>(graph, `/groups?$filter=displayName eq '${String(group['displayName'])}'&$select=id`))[0]!;
  const liveSp = (await all<DirObject>(graph, `/servicePrincipals?$filter=displayName eq '${String(sp['displayName'])}'&$select=id`))[0]!;
  expect(liveGroup.id).not.toBe(group.id);
  expect(liveSp.id).not.toBe(sp.id);

  const catalogs = await all<DirObject>(graph, `${EM}/catalogs`);
  const sales = catalogs.find((c) => c['displayName'] === 'Sales resources')!;
  const partners = catalogs.find((c) => c['displayName'] === 'Partner onboarding')!;
  const salesRes = await all<DirObject>(graph, `${EM}/catalogs/${sales.id}/resources`);
  expect(salesRes.map((r) => [r['originSystem'], r['originId']]).sort()).toEqual([['AadApplication', liveSp.id], ['AadGroup', liveGroup.id]]);
  expect(await all<DirObject>(graph, `${EM}/catalogs/${partners.id}/resources`), 'the lost tenant\'s site is not added').toEqual([]);

  const pkgs = await all<DirObject>(graph, `${EM}/accessPackages`);
  const tools = pkgs.find((p) => p['displayName'] === 'Sales tools')!;
  const workspace = pkgs.find((p) => p['displayName'] === 'Partner workspace')!;
  const granted = await all<DirObject>(graph, `${EM}/accessPackages/${tools.id}/resourceRoleScopes?$expand=role,scope`);
  const appRole = roleScopes.map((s) => s['role'] as Origin).find((r) => r.originSystem === 'AadApplication')!;
  expect(granted.map((g) => [(g['role'] as Origin).originId, (g['scope'] as Origin).originId]).sort()).toEqual([
    [`Member_${liveGroup.id}`, liveGroup.id], [appRole.originId, liveSp.id],
  ].sort());
  expect(await all<DirObject>(graph, `${EM}/accessPackages/${workspace.id}/resourceRoleScopes`)).toEqual([]);
  // a resumed run finds the role again by its role and scope origins, never adds it twice (src/restore/execute/entitlement-resources.ts)
  const again = await findRoleScope(graph, `${EM}/accessPackages/${tools.id}/resourceRoleScopes`, { role: { originId: `Member_${liveGroup.id}` }, scope: { originId: liveGroup.id } });
  expect(again?.['id']).toBe(granted.find((g) => (g['role'] as Origin).originId === `Member_${liveGroup.id}`)!.id);

  const site = resources.find((r) => r['originSystem'] === 'SharePointOnline')!;
  const siteRole = roleScopes.find((s) => (s['scope'] as Origin).originId === site['originId'])!;
  const step = plan.manualSteps.find((s) => s.id === SITES_STEP_ID);
  expect(step?.objects.sort()).toEqual([site.id, siteRole.id].sort());
  expect(step!.instructions).toContain(String(site['originId']));
  expect(step!.instructions).toContain(`originId ${String((siteRole['role'] as Origin).originId)}`);
  const mine = deviations.filter((d) => d.type === 'accessPackageResource' || d.type === 'accessPackageResourceRoleScope');
  expect(mine.map((d) => d.archivedId).sort(), 'only the site and its role are reported').toEqual([site.id, siteRole.id].sort());
}
