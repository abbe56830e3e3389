/**
 * The planner and PIM role settings (issue 15 item 1), as fast-check properties over small
 * tenants: archived policies carry other ids than the target's (policy ids differ per
 * tenant, https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyassignment),
 * approvers may or may not exist in the target, custom roles may be missing.
 * - a policy is matched to the target's policy of the same role, through the assignments;
 * - policies are only ever updated (no create, no delete: they cannot be, per
 *   https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy), and only when a rule differs;
 * - approver ids are remapped to the target's; one that resolves to nothing is reported
 *   `dropped`, never left with the archived id;
 * - a recreated custom role's policy is updated after the role's create.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { DirObject, JsonObject, TenantData } from '../../src/model.js';
import { matchTenant } from '../../src/restore/diff.js';
import { defaultPlannerCatalog } from '../../src/restore/catalog.js';
import { findValues } from '../../src/restore/json.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { LiveState } from '../../src/restore/types.js';
import { defaultDirectoryRoleRules } from '../../src/emulator/builtin/pim-default-rules.js';
import { GA, HELPDESK, meta, user } from './planner-fixtures.js';

interface Spec {
  users: { live: boolean }[];
  customRoles: { live: boolean }[];
  policies: { role: number; hours: number; approvers: number[] }[];
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  users: fc.array(fc.record({ live: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  customRoles: fc.array(fc.record({ live: fc.boolean() }), { maxLength: 2 }),
  policies: fc.array(fc.record({ role: fc.nat(3), hours: fc.constantFrom(1, 4, 8), approvers: fc.array(fc.nat(5), { maxLength: 2 }) }), { maxLength: 4 }),
});

function rules(hours: number, approvers: string[]): JsonObject[] {
  const r = defaultDirectoryRoleRules();
  (r.find((x) => x['id'] === 'Expiration_EndUser_Assignment') as JsonObject)['maximumDuration'] = `PT${hours}H`;
  const approval = r.find((x) => x['id'] === 'Approval_EndUser_Assignment') as JsonObject;
  const stage = ((approval['setting'] as JsonObject)['approvalStages'] as JsonObject[])[0] as JsonObject;
  stage['primaryApprovers'] = approvers.map((userId) => ({ '@odata.type': '#microsoft.graph.singleUser', userId }));
  return r;
}

/** Archive and target: users `u{i}` (live ones under `new-u{i}`), roles GA, HELPDESK and custom `c{i}`. */
function build(spec: Spec): { archive: TenantData; live: LiveState; roles: string[] } {
  const users = spec.users.map((_, i) => user(`u${i}`, `user${i}@contoso.com`));
  const custom = spec.customRoles.map((_, i): DirObject => ({
    id: `c${i}`, displayName: `Custom ${i}`, isBuiltIn: false, isEnabled: true, templateId: `c${i}`, rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/update'] }],
  }));
  const builtIn = [GA, HELPDESK].map((id): DirObject => ({ id, displayName: id === GA ? 'Global Administrator' : 'Helpdesk Administrator', isBuiltIn: true, isEnabled: true, templateId: id }));
  const roles = [GA, HELPDESK, ...custom.map((c) => c.id)];
  const policy = (tenant: string, role: string, r: JsonObject[]): DirObject => ({ id: `DirectoryRole_${tenant}_${role}`, scopeId: '/', scopeType: 'DirectoryRole', displayName: 'DirectoryRole', rules: r });
  const assignment = (tenant: string, role: string): DirObject => ({ id: `DirectoryRole_${tenant}_${role}_${role}`, policyId: `DirectoryRole_${tenant}_${role}`, scopeId: '/', scopeType: 'DirectoryRole', roleDefinitionId: role });
  const hardened = new Map<string, JsonObject[]>();
  for (const p of spec.policies) {
    const role = roles[p.role % roles.length] as string;
    hardened.set(role, rules(p.hours, p.approvers.map((a) => `u${a}`)));
  }
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: {
      user: users, roleDefinition: [...builtIn, ...custom],
      roleManagementPolicy: roles.map((r) => policy('tenant-a', r, hardened.get(r) ?? defaultDirectoryRoleRules())),
      roleManagementPolicyAssignment: roles.map((r) => assignment('tenant-a', r)),
    },
  };
  // the target: live users and custom roles under new ids, every live role with Graph's default rules
  const liveCustom = custom.filter((_, i) => spec.customRoles[i]!.live).map((c) => ({ ...c, id: `new-${c.id}`, templateId: `new-${c.id}` }));
  const liveRoles = [GA, HELPDESK, ...liveCustom.map((c) => c.id)];
  const live: LiveState = {
    tenantId: 'tenant-b', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
    objects: {
      user: users.filter((_, i) => spec.users[i]!.live).map((u) => ({ ...u, id: `new-${u.id}` })),
      roleDefinition: [...builtIn, ...liveCustom],
      roleManagementPolicy: liveRoles.map((r) => policy('tenant-b', r, defaultDirectoryRoleRules())),
      roleManagementPolicyAssignment: liveRoles.map((r) => assignment('tenant-b', r)),
    },
  };
  return { archive, live, roles };
}

describe('planner: PIM role settings', () => {
  test('matched by role, only updated, approvers remapped or reported, custom roles after their create', () => {
    fc.assert(fc.property(arbSpec, (spec) => {
      const { archive, live } = build(spec);
      const m = matchTenant(defaultPlannerCatalog, archive, live);
      for (const asg of archive.objects.roleManagementPolicyAssignment ?? []) {
        const role = String(asg.roleDefinitionId);
        const liveRole = m.idMap.get(role);
        if (liveRole === undefined) continue;
        expect(m.idMap.get(String(asg.policyId)), `policy of ${role}`).toBe(`DirectoryRole_tenant-b_${liveRole}`);
      }
      const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
      const ops = plan.operations.filter((o) => 'type' in o && (o.type === 'roleManagementPolicy' || o.type === 'roleManagementPolicyAssignment'));
      for (const op of ops) {
        expect(op.kind).toBe('update');
        if (op.kind !== 'update') continue;
        expect(op.type).toBe('roleManagementPolicy');
        // no archived approver id survives unless a slot replaces it at run time
        const slots = new Set(op.refs.map((r) => JSON.stringify(r.at)));
        for (const f of findValues(op.body, 'rules.setting.approvalStages.primaryApprovers.userId')) {
          if (slots.has(JSON.stringify(f.at))) continue;
          expect(f.value.startsWith('new-'), `approver ${f.value}`).toBe(true);
        }
        const role = String(archive.objects.roleManagementPolicyAssignment!.find((a) => a.policyId === op.archivedId)!.roleDefinitionId);
        if (role.startsWith('c') && !m.idMap.has(role)) expect(op.dependsOn).toContain(`create:roleDefinition:${role}`);
      }
      // an approver that is neither live nor created is reported, with the policy
      for (const u of plan.unresolved.filter((x) => x.type === 'roleManagementPolicy')) {
        expect(u.effect).toBe('dropped');
        expect(u.path).toContain('primaryApprovers');
      }
      // a policy at Graph's defaults for a live role gets no op
      for (const p of archive.objects.roleManagementPolicy ?? []) {
        if (JSON.stringify(p.rules) !== JSON.stringify(defaultDirectoryRoleRules())) continue;
        const role = String(archive.objects.roleManagementPolicyAssignment!.find((a) => a.policyId === p.id)!.roleDefinitionId);
        if (m.idMap.has(role)) expect(ops.some((o) => 'archivedId' in o && o.archivedId === p.id), `default policy of ${role}`).toBe(false);
      }
    }), { numRuns: 150, seed: 1515 });
  });

  test('an objects restore of a deleted custom role brings its PIM settings, patched after the role\'s create', () => {
    const { archive, live } = build({ users: [{ live: true }], customRoles: [{ live: false }], policies: [{ role: 2, hours: 2, approvers: [0] }] });
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['c0'] } });
    const policyOp = plan.operations.find((o) => 'type' in o && o.type === 'roleManagementPolicy');
    expect(policyOp).toMatchObject({ kind: 'update', archivedId: 'DirectoryRole_tenant-a_c0' });
    expect(policyOp?.dependsOn).toContain('create:roleDefinition:c0');
    expect(plan.included?.map((x) => x.archivedId)).toEqual(expect.arrayContaining(['DirectoryRole_tenant-a_c0_c0', 'DirectoryRole_tenant-a_c0']));
    // the policy and its assignment come with the role: neither is reported as impossible
    expect(plan.warnings.filter((w) => /PIM role settings/.test(w))).toEqual([]);
    expect((plan.skipped ?? []).filter((x) => x.type === 'roleManagementPolicy' || x.type === 'roleManagementPolicyAssignment')).toEqual([]);
  });
});
