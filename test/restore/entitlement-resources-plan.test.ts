/**
 * The planner and a catalog's resources / an access package's resource roles (issue 15 item 8,
 * part 2; docs/graph-facts.md §3 "Entitlement management: resources and resource role scopes"):
 * - a group resource is added after the group's create with its new id as originId
 *   (https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests);
 * - the package's Member_<groupId> role names the resource the plan adds (`role.resource.id`),
 *   waits for it, and carries the new group id in the role and the scope, without the archived
 *   role and scope ids (https://learn.microsoft.com/graph/api/accesspackage-post-resourcerolescopes);
 * - a SharePoint site on the target's own host is added again by URL; one on another tenant's
 *   host is skipped, its role blocked, both named in a manual step;
 * - an objects restore of the package brings its resource roles and their catalog resource.
 */
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { SITES_STEP_ID } from '../../src/restore/plan/entitlement-resources.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { meta } from './planner-fixtures.js';

const G = '11111111-2222-3333-4444-555555555555';
const NEW_G = '99999999-2222-3333-4444-555555555555';
const site = (host: string): string => `https://${host}/sites/projects`;

function tenants(siteHost: string): { archive: TenantData; live: LiveState } {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: {
      group: [{ id: G, displayName: 'Sales', mailEnabled: false, mailNickname: 'sales', securityEnabled: true, groupTypes: [] }],
      accessPackageCatalog: [{ id: 'cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }],
      accessPackage: [{ id: 'pkg1', displayName: 'Sales tools', description: 'tools', isHidden: false, catalog: { id: 'cat1' } }],
      accessPackageResource: [
        { id: 'res-g', originId: G, originSystem: 'AadGroup', displayName: 'Sales', '@parentId': 'cat1' },
        { id: 'res-s', originId: site(siteHost), originSystem: 'SharePointOnline', displayName: 'Projects', '@parentId': 'cat1' },
      ],
      accessPackageResourceRoleScope: [
        { id: 'r1_s1', '@parentId': 'pkg1', role: { id: 'r1', displayName: 'Member', originId: `Member_${G}`, originSystem: 'AadGroup' }, scope: { id: 's1', displayName: 'Root', originId: G, originSystem: 'AadGroup', isRootScope: true } },
        { id: 'r2_s2', '@parentId': 'pkg1', role: { id: 'r2', displayName: 'Members', originId: '4', originSystem: 'SharePointOnline' }, scope: { id: 's2', displayName: 'Root', originId: site(siteHost), originSystem: 'SharePointOnline', isRootScope: true } },
      ] as DirObject[],
    },
  };
  const live: LiveState = {
    tenantId: 'tenant-b', initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fresh.onmicrosoft.com'],
    objects: { group: [{ id: NEW_G, displayName: 'Sales', mailEnabled: false, mailNickname: 'sales', securityEnabled: true, groupTypes: [] }] },
  };
  return { archive, live };
}

const creates = (ops: Operation[], type: string): Extract<Operation, { kind: 'create' }>[] =>
  ops.filter((o): o is Extract<Operation, { kind: 'create' }> => o.kind === 'create' && o.type === type);

describe('planner: catalog resources and resource roles', () => {
  it('adds the group resource with its new id and the Member_ role naming it; a foreign site becomes a manual step', () => {
    const { archive, live } = tenants('contoso.sharepoint.com');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const [res, ...more] = creates(plan.operations, 'accessPackageResource');
    expect(more, 'the other tenant\'s site is not added').toEqual([]);
    expect(res!.body).toEqual({ originId: NEW_G, originSystem: 'AadGroup' });
    const [role, ...others] = creates(plan.operations, 'accessPackageResourceRoleScope');
    expect(others).toEqual([]);
    expect(role!.dependsOn).toContain(res!.opId);
    expect(role!.label).toBe(`Create Access package resource role Member (Member_${G}) → Sales tools`);
    expect(role!.refs).toEqual([expect.objectContaining({ at: ['role', 'resource', 'id'], archivedTargetId: 'res-g' })]);
    expect(role!.body).toEqual({
      role: { displayName: 'Member', originId: `Member_${NEW_G}`, originSystem: 'AadGroup', resource: { id: 'res-g' } },
      scope: { displayName: 'Root', originId: NEW_G, originSystem: 'AadGroup', isRootScope: true },
    });
    const step = plan.manualSteps.find((s) => s.id === SITES_STEP_ID);
    expect(step?.objects.sort()).toEqual(['r2_s2', 'res-s']);
    expect(step!.instructions).toContain(site('contoso.sharepoint.com'));
    expect(plan.skipped?.map((s) => s.archivedId).sort()).toEqual(['r2_s2', 'res-s']);
  });

  it('adds a site on the target\'s own SharePoint host again by URL, with its role', () => {
    const { archive, live } = tenants('fresh.sharepoint.com');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(creates(plan.operations, 'accessPackageResource').map((o) => o.body['originId']).sort()).toEqual([NEW_G, site('fresh.sharepoint.com')].sort());
    const siteRole = creates(plan.operations, 'accessPackageResourceRoleScope').find((o) => o.archivedId === 'r2_s2');
    expect(siteRole?.body['scope']).toMatchObject({ originId: site('fresh.sharepoint.com') });
    expect(plan.manualSteps.some((s) => s.id === SITES_STEP_ID)).toBe(false);
  });

  it('an objects restore of the package brings its resource roles and the catalog resources they name', () => {
    const { archive, live } = tenants('fresh.sharepoint.com');
    live.objects.accessPackageCatalog = [{ id: 'cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['pkg1'] } });
    expect(creates(plan.operations, 'accessPackageResourceRoleScope').map((o) => o.archivedId).sort()).toEqual(['r1_s1', 'r2_s2']);
    expect(creates(plan.operations, 'accessPackageResource').map((o) => o.archivedId).sort()).toEqual(['res-g', 'res-s']);
  });
});
