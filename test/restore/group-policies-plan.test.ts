/**
 * The planner and PIM for Groups policies (issue 15 item 1; src/restore/plan/group-policies.ts),
 * on a small hand-built tenant. Policy ids differ per tenant and a group's policy is named by its
 * assignment (roleDefinitionId `member` / `owner`, scopeId the group:
 * https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyassignment); ids change
 * when PIM onboards a group, by its first schedule request or rule update
 * (https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview).
 */
import { describe, expect, test } from 'vitest';
import type { DirObject, JsonObject, TenantData } from '../../src/model.js';
import { matchTenant } from '../../src/restore/diff.js';
import { defaultPlannerCatalog } from '../../src/restore/catalog.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { LiveState } from '../../src/restore/types.js';
import { defaultDirectoryRoleRules } from '../../src/emulator/builtin/pim-default-rules.js';
import { meta, user } from './planner-fixtures.js';

const group = (id: string, name: string): DirObject => ({ id, displayName: name, mailNickname: name, securityEnabled: true, mailEnabled: false, groupTypes: [] });

function hardened(approver: string): JsonObject[] {
  const r = defaultDirectoryRoleRules();
  (r.find((x) => x['id'] === 'Expiration_EndUser_Assignment') as JsonObject)['maximumDuration'] = 'PT2H';
  const stage = (((r.find((x) => x['id'] === 'Approval_EndUser_Assignment') as JsonObject)['setting'] as JsonObject)['approvalStages'] as JsonObject[])[0] as JsonObject;
  stage['primaryApprovers'] = [{ '@odata.type': '#microsoft.graph.singleUser', userId: approver }];
  return r;
}

function policies(tenant: string, groupId: string, memberRules: JsonObject[]): { pimGroupPolicy: DirObject[]; pimGroupPolicyAssignment: DirObject[] } {
  const mk = (role: string, rules: JsonObject[]): [DirObject, DirObject] => {
    const id = `Group_${groupId}_${tenant}${role}`;
    return [{ id, scopeId: groupId, scopeType: 'Group', displayName: 'Group', rules, '@parentId': groupId },
      { id: `${id}_${role}`, policyId: id, scopeId: groupId, scopeType: 'Group', roleDefinitionId: role, '@parentId': groupId }];
  };
  const both = [mk('member', memberRules), mk('owner', defaultDirectoryRoleRules())];
  return { pimGroupPolicy: both.map((x) => x[0]), pimGroupPolicyAssignment: both.map((x) => x[1]) };
}

const schedule = (id: string, groupId: string, principalId: string): DirObject => ({
  id, groupId, principalId, accessId: 'member', '@parentId': groupId, scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'noExpiration' } },
});

function archive(): TenantData {
  return {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: { user: [user('u0', 'ann@contoso.com')], group: [group('g0', 'PIM admins')], pimGroupEligibilitySchedule: [schedule('s0', 'g0', 'u0')], ...policies('a', 'g0', hardened('u0')) },
  };
}

const liveBase = (objects: LiveState['objects']): LiveState => ({
  tenantId: 'tenant-b', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'], objects,
});

describe('planner: PIM for Groups policies', () => {
  test('a live onboarded group: its member policy matched through the assignment, only it updated, approver re-linked', () => {
    const live = liveBase({ user: [{ ...user('u0', 'ann@contoso.com'), id: 'new-u0' }], group: [group('new-g0', 'PIM admins')], pimGroupEligibilitySchedule: [schedule('s9', 'new-g0', 'new-u0')], ...policies('b', 'new-g0', defaultDirectoryRoleRules()) });
    const m = matchTenant(defaultPlannerCatalog, archive(), live);
    expect(m.idMap.get('Group_g0_amember')).toBe('Group_new-g0_bmember');
    expect(m.idMap.get('Group_g0_aowner')).toBe('Group_new-g0_bowner');
    const plan = buildPlan({ archive: archive(), archiveMeta: meta, live, scenario: 'tenant-loss' });
    const ops = plan.operations.filter((o) => 'type' in o && String(o.type).startsWith('pimGroupPolic'));
    expect(ops.map((o) => [o.kind, 'archivedId' in o ? o.archivedId : ''])).toEqual([['update', 'Group_g0_amember']]);
    expect(JSON.stringify(ops[0])).toContain('new-u0');
    expect(JSON.stringify(ops[0])).not.toContain('"u0"');
  });

  test('a recreated group: the policy update waits for its restored schedule; with none to restore, for the group\'s create', () => {
    const live = liveBase({ user: [{ ...user('u0', 'ann@contoso.com'), id: 'new-u0' }] });
    const plan = buildPlan({ archive: archive(), archiveMeta: meta, live, scenario: 'tenant-loss' });
    const op = plan.operations.find((o) => 'type' in o && o.type === 'pimGroupPolicy')!;
    expect(op).toMatchObject({ kind: 'update', archivedId: 'Group_g0_amember' });
    // (the schedule itself waits for the group's create)
    expect(op.dependsOn).toContain('create:pimGroupEligibilitySchedule:s0');
    expect(plan.operations.find((o) => o.opId === 'create:pimGroupEligibilitySchedule:s0')?.dependsOn).toContain('create:group:g0');
    // the owner policy is at the defaults Graph gives an onboarded group: patched only where rules differ, at run time
    expect(plan.operations.filter((o) => 'type' in o && o.type === 'pimGroupPolicyAssignment')).toEqual([]);
    const bare = archive();
    delete bare.objects.pimGroupEligibilitySchedule;
    const plan2 = buildPlan({ archive: bare, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const op2 = plan2.operations.find((o) => 'type' in o && o.type === 'pimGroupPolicy' && o.archivedId === 'Group_g0_amember')!;
    expect(op2.dependsOn).toContain('create:group:g0');
  });

  test('an objects restore of a deleted approver re-links the live group policy that named it, under its group', () => {
    const a = archive();
    const live = liveBase({ group: [group('g0', 'PIM admins')], pimGroupEligibilitySchedule: [], ...policies('a', 'g0', hardened('u0')) });
    const plan = buildPlan({ archive: a, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['u0'] } });
    const op = plan.operations.find((o) => 'type' in o && o.type === 'pimGroupPolicy');
    expect(op).toMatchObject({ kind: 'update', archivedId: 'Group_g0_amember', parentArchivedId: 'g0' });
    expect(op?.dependsOn).toContain('create:user:u0');
  });
});
