/**
 * PIM for Groups in the emulator (issue 15 item 1), each behaviour against its Graph page:
 * - List eligibilitySchedules (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityschedules)
 *   and List assignmentSchedules (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedules):
 *   "This method requires the $filter (eq) query parameter to scope the request to a principalId
 *   or a groupId"; PrivilegedEligibilitySchedule.Read.AzureADGroup / PrivilegedAssignmentSchedule.Read.AzureADGroup.
 * - Create eligibilityScheduleRequests (https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-eligibilityschedulerequests)
 *   and assignmentScheduleRequests (https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-assignmentschedulerequests):
 *   accessId, principalId, groupId, action (adminAssign / adminRemove), scheduleInfo; 201 with the
 *   request; the ReadWrite.AzureADGroup permission; the reader cannot.
 * - privilegedAccessGroupAssignmentSchedule (https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupassignmentschedule):
 *   an active assignment is the membership itself.
 * - PIM for Groups policies: List roleManagementPolicies with `scopeId eq '{groupId}' and scopeType eq 'Group'`
 *   (https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies; RoleManagementPolicy.Read.AzureADGroup),
 *   assignments naming `member` / `owner` (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyassignment),
 *   rules written one at a time (https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update); a group's
 *   first schedule request onboards it (https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const BASE = '/identityGovernance/privilegedAccess/group';
type Obj = Record<string, unknown>;
const list = (r: { json: Obj }): Obj[] => r.json.value as Obj[];
const byGroup = (id: string): string => `$filter=${encodeURIComponent(`groupId eq '${id}'`)}`;

describe('emulator: PIM for Groups schedules', () => {
  let L: Lab;
  let governed = '';
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 153, users: 60 }));
    const seeded = (L.tenant.objects.pimGroupEligibilitySchedule ?? []) as Obj[];
    expect(seeded.length).toBeGreaterThan(1);
    // the group with the active assignment is the governed one (the other holds a nested group)
    governed = String(((L.tenant.objects.pimGroupAssignmentSchedule ?? []) as Obj[])[0]!.groupId);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('refuses a list without a groupId or principalId filter (400)', async () => {
    for (const path of [`${BASE}/eligibilitySchedules`, `${BASE}/assignmentSchedules`, `${BASE}/eligibilitySchedules?$filter=${encodeURIComponent("accessId eq 'member'")}`]) {
      const r = await L.reader('GET', path);
      expect(r.status, path).toBe(400);
      errorCode(r);
    }
  });

  it('lists a group\'s seeded schedules with $filter and $select; the active member is a member of the group', async () => {
    const el = list(await L.reader('GET', `${BASE}/eligibilitySchedules?${byGroup(governed)}`));
    expect(el.length).toBeGreaterThan(0);
    expect(el.every((s) => s.groupId === governed)).toBe(true);
    expect(new Set(el.map((s) => s.accessId))).toEqual(new Set(['member', 'owner']));
    const sel = list(await L.reader('GET', `${BASE}/eligibilitySchedules?${byGroup(governed)}&$select=principalId,accessId`));
    expect(Object.keys(sel[0]!).sort()).toEqual(['@odata.type', 'accessId', 'id', 'principalId']);
    const active = list(await L.reader('GET', `${BASE}/assignmentSchedules?${byGroup(governed)}`));
    expect(active.length).toBe(1);
    expect(active[0]).toMatchObject({ accessId: 'member', assignmentType: 'assigned', memberType: 'direct' });
    const members = list(await L.reader('GET', `/groups/${governed}/members?$select=id`)).map((m) => m.id);
    expect(members).toContain(active[0]!.principalId);
    const byPrincipal = list(await L.reader('GET', `${BASE}/assignmentSchedules?$filter=${encodeURIComponent(`principalId eq '${String(active[0]!.principalId)}'`)}`));
    expect(byPrincipal.map((s) => s.id)).toEqual([active[0]!.id]);
  });

  it('creates and removes schedules through schedule requests (adminAssign/adminRemove); the reader is refused', async () => {
    const user = (L.tenant.objects.user as Obj[]).find((u) => u.accountEnabled === true && !String(u.userPrincipalName).includes('#EXT#'))!;
    const req = {
      accessId: 'owner', principalId: user.id, groupId: governed, action: 'adminAssign', justification: 'restore',
      scheduleInfo: { startDateTime: '2026-08-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2027-08-01T00:00:00Z' } },
    };
    expect((await L.reader('POST', `${BASE}/assignmentScheduleRequests`, req)).status).toBe(403);
    const r = await L.writer('POST', `${BASE}/assignmentScheduleRequests`, req);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ action: 'adminAssign', status: 'Provisioned', accessId: 'owner', groupId: governed });
    const id = String(r.json.targetScheduleId);
    const got = await L.reader('GET', `${BASE}/assignmentSchedules/${id}`);
    expect(got.json).toMatchObject({ principalId: user.id, scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: '2027-08-01T00:00:00Z' } } });
    expect(list(await L.reader('GET', `/groups/${governed}/owners?$select=id`)).map((o) => o.id)).toContain(user.id);
    expect((await L.writer('POST', `${BASE}/assignmentScheduleRequests`, req)).status).toBe(400);
    expect((await L.writer('POST', `${BASE}/assignmentScheduleRequests`, { ...req, accessId: 'reader' })).status).toBe(400);
    expect((await L.writer('POST', `${BASE}/assignmentScheduleRequests`, { ...req, action: 'selfActivate' })).status).toBe(400);
    const { accessId: _drop, ...noAccess } = req;
    expect((await L.writer('POST', `${BASE}/eligibilityScheduleRequests`, noAccess)).status).toBe(400);
    expect((await L.writer('POST', `${BASE}/assignmentScheduleRequests`, { ...req, action: 'adminRemove' })).status).toBe(201);
    expect((await L.reader('GET', `${BASE}/assignmentSchedules/${id}`)).status).toBe(404);
    expect(list(await L.reader('GET', `/groups/${governed}/owners?$select=id`)).map((o) => o.id)).not.toContain(user.id);
    expect((await L.writer('PATCH', `${BASE}/eligibilitySchedules`, {})).status).toBe(405);
  });

  it('serves a group\'s member and owner policies (scopeType Group), made by its first schedule request; rules patched one at a time', async () => {
    const pol = (g: string): string => `/policies/roleManagementPolicies?$filter=${encodeURIComponent(`scopeId eq '${g}' and scopeType eq 'Group'`)}&$expand=rules`;
    const asg = (g: string): string => `/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(`scopeId eq '${g}' and scopeType eq 'Group'`)}`;
    // the seeded governed group is onboarded, with its member activation hardened
    const seeded = list(await L.reader('GET', pol(governed)));
    expect(seeded).toHaveLength(2);
    expect(seeded.every((p) => p.scopeType === 'Group' && p.scopeId === governed && Array.isArray(p.rules))).toBe(true);
    const roles = list(await L.reader('GET', asg(governed)));
    expect(roles.map((a) => a.roleDefinitionId).sort()).toEqual(['member', 'owner']);
    const member = seeded.find((p) => p.id === roles.find((a) => a.roleDefinitionId === 'member')!.policyId)!;
    const approval = (member.rules as Obj[]).find((r) => r.id === 'Approval_EndUser_Assignment')!;
    expect((approval.setting as Obj).isApprovalRequired).toBe(true);
    // a group PIM does not govern yet: an empty list (with $expand answered), then its first request onboards it
    const groups = (L.tenant.objects.group ?? []) as Obj[];
    const onboarded = new Set([...((L.tenant.objects.pimGroupEligibilitySchedule ?? []) as Obj[]), ...((L.tenant.objects.pimGroupAssignmentSchedule ?? []) as Obj[])].map((x) => x.groupId));
    const fresh = groups.find((g) => g.securityEnabled === true && !onboarded.has(g.id) && !g.groupTypes?.toString().includes('DynamicMembership'))!;
    const empty = await L.reader('GET', pol(String(fresh.id)));
    expect(empty.status).toBe(200);
    expect(list(empty)).toEqual([]);
    const user = ((L.tenant.objects.user ?? []) as Obj[]).find((u) => u.accountEnabled === true && !u.onPremisesSyncEnabled)!;
    const req = { accessId: 'member', principalId: user.id, groupId: fresh.id, action: 'adminAssign', scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'noExpiration' } } };
    expect((await L.writer('POST', `${BASE}/eligibilityScheduleRequests`, req)).status).toBe(201);
    const made = list(await L.reader('GET', pol(String(fresh.id))));
    expect(made).toHaveLength(2);
    const newAsg = list(await L.reader('GET', `${asg(String(fresh.id))}${encodeURIComponent(" and roleDefinitionId eq 'member'")}`));
    expect(newAsg).toHaveLength(1);
    const rulePath = `/policies/roleManagementPolicies/${String(newAsg[0]!.policyId)}/rules/Expiration_EndUser_Assignment`;
    const patch = { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', maximumDuration: 'PT3H' };
    expect((await L.reader('PATCH', rulePath, patch)).status).toBe(403);
    expect((await L.writer('PATCH', rulePath, patch)).status).toBe(204);
    expect((await L.reader('GET', rulePath)).json.maximumDuration).toBe('PT3H');
  });
});
