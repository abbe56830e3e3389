/**
 * PIM role settings in the emulator (issue 15 item 1), each behaviour against its Graph page:
 * - List roleManagementPolicies (https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies):
 *   the `$filter` on scopeId and scopeType is required; `$expand=rules` returns the rules;
 *   every directory role has one policy (scopeId '/', scopeType 'DirectoryRole').
 * - List roleManagementPolicyAssignments (https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments):
 *   the same required filter, optionally roleDefinitionId; `$expand=policy($expand=rules)`.
 * - unifiedRoleManagementPolicy (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy):
 *   no create, no delete; List/Get rules.
 * - Update unifiedRoleManagementPolicyRule (https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update):
 *   PATCH one rule, RoleManagementPolicy.ReadWrite.Directory; the reader cannot.
 * - the default rules are the 17 of the list page's example 2 (vendor/graph-docs/role-management-policy-rules.json).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { defaultDirectoryRoleRules } from '../../src/emulator/builtin/pim-default-rules.js';
import { ROLE } from '../../src/emulator/seed/roles.js';
import { errorCode, lab, type Lab } from './helpers.js';

const SCOPE = encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'");
const POLICIES = '/policies/roleManagementPolicies';
const ASSIGNMENTS = '/policies/roleManagementPolicyAssignments';
type Obj = Record<string, unknown>;
const list = (r: { json: Obj }): Obj[] => r.json.value as Obj[];

describe('emulator: PIM role management policies (directory roles)', () => {
  let L: Lab;
  let roleCount = 0;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 151 }));
    roleCount = L.tenant.objects.roleDefinition?.length ?? 0;
    expect(roleCount).toBeGreaterThan(100);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('the vendored default rules are the copy the emulator serves', () => {
    const vendored = JSON.parse(readFileSync(new URL('../../vendor/graph-docs/role-management-policy-rules.json', import.meta.url), 'utf8')) as unknown;
    expect(defaultDirectoryRoleRules()).toEqual(vendored);
  });

  it('refuses the lists without the scope filter (400), as both list pages require it', async () => {
    for (const path of [POLICIES, ASSIGNMENTS, `${POLICIES}?$filter=${encodeURIComponent("scopeId eq '/'")}`]) {
      const r = await L.reader('GET', path);
      expect(r.status, path).toBe(400);
      errorCode(r);
    }
  });

  it('has one policy and one assignment per role definition, rules only with $expand=rules', async () => {
    const plain = list(await L.reader('GET', `${POLICIES}?$filter=${SCOPE}`));
    expect(plain.length).toBe(roleCount);
    expect(plain[0]).toMatchObject({ scopeId: '/', scopeType: 'DirectoryRole', isOrganizationDefault: false });
    expect(plain[0]!.rules).toBeUndefined();
    const expanded = list(await L.reader('GET', `${POLICIES}?$filter=${SCOPE}&$expand=rules`));
    expect((expanded[0]!.rules as Obj[]).map((r) => r.id)).toEqual(defaultDirectoryRoleRules().map((r) => r.id));
    const asg = list(await L.reader('GET', `${ASSIGNMENTS}?$filter=${SCOPE}`));
    expect(asg.length).toBe(roleCount);
    expect(new Set(asg.map((a) => a.policyId))).toEqual(new Set(plain.map((p) => p.id)));
  });

  it('filters assignments by roleDefinitionId and expands the policy with its rules', async () => {
    const f = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${ROLE.globalAdministrator}'`);
    const r = await L.reader('GET', `${ASSIGNMENTS}?$filter=${f}&$expand=policy($expand=rules)`);
    expect(r.status).toBe(200);
    const [a] = list(r);
    expect(list(r).length).toBe(1);
    expect(a).toMatchObject({ roleDefinitionId: ROLE.globalAdministrator, scopeId: '/', scopeType: 'DirectoryRole' });
    expect((a!.policy as Obj).id).toBe(a!.policyId);
    expect(((a!.policy as Obj).rules as Obj[]).length).toBe(17);
  });

  it('cannot create or delete a policy; patches one rule', async () => {
    const [p] = list(await L.reader('GET', `${POLICIES}?$filter=${SCOPE}`));
    expect((await L.writer('POST', POLICIES, { scopeId: '/', scopeType: 'DirectoryRole' })).status).toBe(405);
    expect((await L.writer('DELETE', `${POLICIES}/${String(p!.id)}`)).status).toBe(405);
    const rule = `${POLICIES}/${String(p!.id)}/rules/Expiration_EndUser_Assignment`;
    const body = { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', isExpirationRequired: true, maximumDuration: 'PT2H' };
    expect((await L.writer('PATCH', rule, body)).status).toBe(204);
    expect((await L.reader('GET', rule)).json).toMatchObject({ id: 'Expiration_EndUser_Assignment', maximumDuration: 'PT2H' });
    const all = list(await L.reader('GET', `${POLICIES}/${String(p!.id)}/rules`));
    expect(all.find((r) => r.id === 'Expiration_EndUser_Assignment')).toMatchObject({ maximumDuration: 'PT2H' });
    // the rule's type cannot change
    const wrong = await L.writer('PATCH', rule, { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule', enabledRules: [] });
    expect(wrong.status).toBe(400);
  });

  // Update unifiedRoleManagementPolicyRule takes the rule's type's properties, read by Graph's OData
  // reader against the CSDL (docs/graph-facts.md §5 "Write validation", S72; Edm.Duration's form: S381)
  it('refuses a rule body that is not the rule type: a duration that is none, a year duration, an unknown property, a wrong type', async () => {
    const [p] = list(await L.reader('GET', `${POLICIES}?$filter=${SCOPE}`));
    const rule = `${POLICIES}/${String(p!.id)}/rules/Expiration_EndUser_Assignment`;
    const body = (extra: Obj) => ({ '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', ...extra });
    for (const bad of [{ maximumDuration: '[object Object]' }, { maximumDuration: 'P1Y' }, { maximumDuration: 'P' }, { maximumDays: 3 }, { isExpirationRequired: 'yes' }]) {
      const r = await L.writer('PATCH', rule, body(bad));
      expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
    }
    expect((await L.reader('GET', rule)).json.maximumDuration).not.toBe('[object Object]');
    for (const good of ['P180D', 'PT8H', 'P1DT12H', 'PT0.5S']) expect((await L.writer('PATCH', rule, body({ maximumDuration: good }))).status).toBe(204);
  });

  // our model (docs/graph-facts.md "(unverified) The service rejects a policy that names an object id it
  // does not know"), as for CA policies and entitlement subject sets: an approver names a user or group of the tenant
  it('refuses an approval rule whose approver names nobody, or has no id; takes one naming a user and a group', async () => {
    const [p] = list(await L.reader('GET', `${POLICIES}?$filter=${SCOPE}`));
    const rule = `${POLICIES}/${String(p!.id)}/rules/Approval_EndUser_Assignment`;
    const body = (approvers: Obj[]) => ({ '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule', id: 'Approval_EndUser_Assignment', setting: {
      isApprovalRequired: true, isApprovalRequiredForExtension: false, isRequestorJustificationRequired: true, approvalMode: 'SingleStage',
      approvalStages: [{ approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true, escalationTimeInMinutes: 0, isEscalationEnabled: false, primaryApprovers: approvers, escalationApprovers: [] }],
    } });
    const nobody = '00000000-0000-0000-0000-0000000000ab';
    for (const bad of [[{ '@odata.type': '#microsoft.graph.singleUser', userId: nobody }], [{ '@odata.type': '#microsoft.graph.singleUser' }], [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: nobody }]]) {
      const r = await L.writer('PATCH', rule, body(bad));
      expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
    }
    const user = String(list(await L.reader('GET', '/users?$select=id'))[0]!.id);
    const group = String((await L.writer('POST', '/groups', { displayName: 'Approvers', mailEnabled: false, mailNickname: 'approvers', securityEnabled: true })).json.id);
    const ok = await L.writer('PATCH', rule, body([{ '@odata.type': '#microsoft.graph.singleUser', userId: user }, { '@odata.type': '#microsoft.graph.groupMembers', groupId: group }]));
    expect(ok.status).toBe(204);
  });

  it('gives a new custom role its policy, and takes it away with the role', async () => {
    const def = await L.writer('POST', '/roleManagement/directory/roleDefinitions', {
      displayName: 'PIM test role', isEnabled: true, rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/update'] }],
    });
    expect(def.status).toBe(201);
    const f = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${String(def.json.id)}'`);
    expect(list(await L.reader('GET', `${ASSIGNMENTS}?$filter=${f}`)).length).toBe(1);
    expect((await L.writer('DELETE', `/roleManagement/directory/roleDefinitions/${String(def.json.id)}`)).status).toBe(204);
    expect(list(await L.reader('GET', `${ASSIGNMENTS}?$filter=${f}`)).length).toBe(0);
  });
});

describe('emulator: a drill tenant hardens PIM for a few roles', () => {
  it('Global Administrator: approval by a group and a user, MFA and justification, 4 h; policy ids differ per tenant; the reader cannot write', async () => {
    const L = await lab(seedTenant({ seed: 152, users: 30 }));
    const E = await lab(emptyTenant({ seed: 153 }));
    try {
      const f = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${ROLE.globalAdministrator}'`);
      const [a] = list(await L.reader('GET', `${ASSIGNMENTS}?$filter=${f}&$expand=policy($expand=rules)`));
      const rules = (a!.policy as Obj).rules as Obj[];
      const byId = (id: string) => rules.find((r) => r.id === id) as Obj;
      expect(byId('Expiration_EndUser_Assignment').maximumDuration).toBe('PT4H');
      expect(byId('Enablement_EndUser_Assignment').enabledRules).toEqual(['MultiFactorAuthentication', 'Justification']);
      const setting = byId('Approval_EndUser_Assignment').setting as Obj;
      expect(setting.isApprovalRequired).toBe(true);
      const approvers = (setting.approvalStages as Obj[])[0]!.primaryApprovers as Obj[];
      const group = approvers.find((x) => x['@odata.type'] === '#microsoft.graph.groupMembers')!;
      const user = approvers.find((x) => x['@odata.type'] === '#microsoft.graph.singleUser')!;
      expect((await L.reader('GET', `/groups/${String(group.groupId)}`)).status).toBe(200);
      expect((await L.reader('GET', `/users/${String(user.userId)}`)).status).toBe(200);
      const [b] = list(await E.reader('GET', `${ASSIGNMENTS}?$filter=${f}`));
      expect(b!.policyId).not.toBe(a!.policyId);
      // the backup reader (RoleManagementPolicy.Read.Directory) reads but cannot patch a rule
      const rule = `${POLICIES}/${String(a!.policyId)}/rules/Expiration_EndUser_Assignment`;
      expect((await L.reader('PATCH', rule, { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', maximumDuration: 'PT1H' })).status).toBe(403);
    } finally {
      await L.emu.close();
      await E.emu.close();
    }
  });
});
