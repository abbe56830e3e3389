/**
 * The multi-tenant organization (issue 15 item 7), checked after a tenant-loss restore into a new
 * tenant, read back through Graph (https://learn.microsoft.com/graph/api/multitenantorganization-get,
 * https://learn.microsoft.com/graph/api/multitenantorganization-list-tenants,
 * https://learn.microsoft.com/graph/api/multitenantorganizationjoinrequestrecord-get):
 * - the archive holds the organization, its three tenants and the join request;
 * - nothing of it is written: the new tenant's organization stays inactive with no tenants;
 * - manual:multiTenantOrganization names the organization, each member tenant and who adds whom;
 * - fidelity reports the organization's objects, and the exit rule says incomplete.
 * Shared by test/ops/group-lifecycle-restore.test.ts, which already restores a drill tenant.
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { restoreComplete, type RunRestoreResult } from '../../src/ops/restore.js';

/** The checks above, for a restore `r` of `archive` into tenant `targetTenantId`. */
export async function checkMtoAfterTenantLoss(archive: TenantData, graph: GraphClient, r: RunRestoreResult, targetTenantId: string): Promise<void> {
  const [org] = archive.objects.multiTenantOrganization ?? [];
  expect(org).toMatchObject({ state: 'active' });
  const tenants = archive.objects.multiTenantOrganizationMember ?? [];
  expect(tenants.map((t) => t['role']).sort()).toEqual(['member', 'member', 'owner']);
  expect(tenants.some((t) => t['tenantId'] === archive.tenantId)).toBe(true);
  const [join] = archive.objects.multiTenantOrganizationJoinRequest ?? [];
  const owner = tenants.find((t) => t['role'] === 'owner')!;
  expect(join).toMatchObject({ addedByTenantId: owner['tenantId'], memberState: 'active' });

  // nothing written: the new tenant is still in no organization
  const liveOrg = await graph.get<DirObject>('/tenantRelationships/multiTenantOrganization');
  expect(liveOrg['state']).toBe('inactive');
  const liveTenants: DirObject[] = [];
  for await (const t of graph.list<DirObject>('/tenantRelationships/multiTenantOrganization/tenants')) liveTenants.push(t);
  expect(liveTenants).toEqual([]);

  const step = r.plan.manualSteps.find((s) => s.id === 'manual:multiTenantOrganization');
  expect(step?.instructions).toContain(`Organization: ${String(org!['displayName'])}; description: ${String(org!['description'])}.`);
  for (const t of tenants) expect(step!.instructions).toContain(`- ${String(t['tenantId'])} ${String(t['displayName'])}: role ${String(t['role'])}`);
  expect(step!.instructions).toContain(`PATCH /tenantRelationships/multiTenantOrganization/joinRequest with {"addedByTenantId": "${String(owner['tenantId'])}"}`);
  expect(step!.instructions).toContain(`"tenantId": "${targetTenantId}"`);
  const dev = r.fidelity!.deviations;
  expect(dev.filter((d) => d.type === 'multiTenantOrganizationMember' && d.what === 'objectMissing')).toHaveLength(3);
  expect(dev.some((d) => d.type === 'multiTenantOrganization' && d.what === 'attributeDiffers' && d.property === 'displayName')).toBe(true);
  expect(restoreComplete(r)).toBe(false);
}
