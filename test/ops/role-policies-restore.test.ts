/**
 * Issue 15 item 1, PIM role settings through the whole product: a drill tenant's hardened
 * rules (Global Administrator: approval by a group and a user, MFA and justification, 4 h;
 * Privileged Role Administrator: eligibility expires after 90 days, admin alerts to a
 * mailbox) are archived, and a tenant-loss restore into a new tenant — whose policies have
 * other ids and Graph's default rules — patches each role's policy, matched through its
 * assignment's roleDefinitionId, with the approvers remapped to the new tenant's group and
 * user. Checked through Graph after the restore (List roleManagementPolicyAssignments with
 * `$expand=policy($expand=rules)`), not through the tool's report. An approver that cannot be
 * resolved is taken out and reported as a deviation with its reason, never silently dropped.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { ROLE } from '../../src/emulator/seed/roles.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
const targets: SeededTenant[] = [];
let archived: Awaited<ReturnType<typeof backupOf>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-pim-'));
  source = seedTenant({ seed: 41, users: 14 });
  targets.push(emptyTenant({ seed: 42 }), emptyTenant({ seed: 43 }));
  emu = await startEmulator({ port: 0, tenants: [source, ...targets] });
  archived = await backupOf(emu, source.tenantId, dir);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Obj = Record<string, unknown>;

/** The role's policy rules as Graph returns them, by rule id. */
async function rulesOf(graph: GraphClient, roleId: string): Promise<Map<string, Obj>> {
  const f = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`;
  const out: Obj[] = [];
  for await (const a of graph.list<Obj>(`/policies/roleManagementPolicyAssignments?$filter=${f}&$expand=policy($expand=rules)`)) out.push(a);
  expect(out, `policy of ${roleId}`).toHaveLength(1);
  return new Map(((out[0]!.policy as Obj).rules as Obj[]).map((r) => [String(r.id), r]));
}

function archivedRules(archive: TenantData, roleId: string): Map<string, Obj> {
  const asg = (archive.objects.roleManagementPolicyAssignment ?? []).find((a) => a.roleDefinitionId === roleId)!;
  const policy = (archive.objects.roleManagementPolicy ?? []).find((p) => p.id === asg.policyId)!;
  return new Map((policy.rules as unknown as Obj[]).map((r) => [String(r.id), r]));
}

async function findId(graph: GraphClient, path: string, name: string): Promise<string> {
  const hits: Obj[] = [];
  for await (const o of graph.list<Obj>(`${path}?$filter=displayName eq '${name.replace(/'/g, "''")}'&$select=id,displayName`)) hits.push(o);
  expect(hits, `${path} ${name}`).toHaveLength(1);
  return String(hits[0]!.id);
}

async function restore(archive: TenantData, to: SeededTenant, name: string) {
  const work = join(dir, name);
  await mkdir(work);
  const { graph } = await writerOf(emu, to.tenantId, work);
  const r = await runRestore({
    archive, archiveMeta: archived.archiveMeta, graph, targetTenantId: to.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: to.tenantId,
    journalPath: join(dir, `${name}.journal`), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
  return { r, graph };
}

const approversOf = (rules: Map<string, Obj>): Obj[] =>
  (((rules.get('Approval_EndUser_Assignment')!.setting as Obj).approvalStages as Obj[])[0]!.primaryApprovers as Obj[]);

describe('PIM role settings on a tenant-loss restore', () => {
  it('patches each role\'s policy in the new tenant, approvers remapped, read back through Graph', { timeout: 180_000 }, async () => {
    const { archive } = archived;
    const objs = (t: string) => (archive.objects as Record<string, DirObject[] | undefined>)[t] ?? [];
    expect(objs('roleManagementPolicy').length).toBe(objs('roleDefinition').length);
    expect(objs('roleManagementPolicyAssignment').length).toBe(objs('roleDefinition').length);
    const gaArchived = archivedRules(archive, ROLE.globalAdministrator);
    const [groupAp, userAp] = approversOf(gaArchived);
    const group = objs('group').find((g) => g.id === groupAp!.groupId)!;
    const user = objs('user').find((u) => u.id === userAp!.userId)!;

    const { r, graph } = await restore(archive, targets[0]!, 'full');
    expect(r.execution?.failures).toEqual([]);
    const updates = r.plan.operations.filter((o) => 'type' in o && o.type === 'roleManagementPolicy');
    // the hardened built-in roles differ from Graph's defaults; the op names the role
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.map((o) => o.label)).toContain('Update PIM role settings of Global Administrator');

    const ga = await rulesOf(graph, ROLE.globalAdministrator);
    expect(ga.get('Expiration_EndUser_Assignment')).toMatchObject({ maximumDuration: 'PT4H', isExpirationRequired: true });
    expect(ga.get('Enablement_EndUser_Assignment')!.enabledRules).toEqual(['MultiFactorAuthentication', 'Justification']);
    expect((ga.get('Approval_EndUser_Assignment')!.setting as Obj).isApprovalRequired).toBe(true);
    const newGroup = await findId(graph, '/groups', String(group.displayName));
    const newUser = await findId(graph, '/users', String(user.displayName));
    expect(newGroup).not.toBe(group.id);
    expect(newUser).not.toBe(user.id);
    expect(approversOf(ga)).toEqual([
      { ...groupAp, groupId: newGroup },
      { ...userAp, userId: newUser },
    ]);
    // every other rule as archived, apart from the remapped approvers
    for (const [id, rule] of gaArchived) if (id !== 'Approval_EndUser_Assignment') expect(ga.get(id), id).toEqual(rule);
    const pra = await rulesOf(graph, ROLE.privilegedRoleAdministrator);
    for (const [id, rule] of archivedRules(archive, ROLE.privilegedRoleAdministrator)) expect(pra.get(id), id).toEqual(rule);
    expect(pra.get('Expiration_Admin_Eligibility')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'P90D' });
    // a custom role recreated by the restore (new id): its new policy is patched after the role's create
    const custom = objs('roleDefinition').find((d) => d.isBuiltIn === false && archivedRules(archive, d.id).get('Enablement_EndUser_Assignment')!.enabledRules!.toString().includes('Ticketing'))!;
    const newCustom = await findId(graph, '/roleManagement/directory/roleDefinitions', String(custom.displayName));
    expect(newCustom).not.toBe(custom.id);
    expect((await rulesOf(graph, newCustom)).get('Enablement_EndUser_Assignment')!.enabledRules).toEqual(['Justification', 'Ticketing']);
    // a role left at Graph's defaults is not written
    expect(updates.some((o) => 'archivedId' in o && o.archivedId === archive.objects.roleManagementPolicyAssignment!.find((a) => a.roleDefinitionId === ROLE.globalReader)!.policyId)).toBe(false);
    // fidelity finds the policies as archived
    const dev = r.fidelity?.deviations.filter((d) => d.type === 'roleManagementPolicy' || d.type === 'roleManagementPolicyAssignment') ?? [];
    expect(dev).toEqual([]);
  });

  it('an approver that cannot be resolved is taken out and reported with its reason, the rest is restored', { timeout: 180_000 }, async () => {
    const archive = structuredClone(archived.archive);
    const [, userAp] = approversOf(archivedRules(archive, ROLE.globalAdministrator));
    // the approver's user is not in the archive (excluded from the backup): nothing to map it to
    archive.objects.user = (archive.objects.user ?? []).filter((u) => u.id !== userAp!.userId);
    const { r, graph } = await restore(archive, targets[1]!, 'unresolved');
    expect(r.execution?.failures).toEqual([]);
    const open = r.plan.unresolved.filter((u) => u.type === 'roleManagementPolicy');
    expect(open).toEqual([expect.objectContaining({ value: userAp!.userId, effect: 'dropped', path: expect.stringContaining('primaryApprovers') })]);
    const ga = await rulesOf(graph, ROLE.globalAdministrator);
    const approvers = approversOf(ga);
    expect(approvers).toHaveLength(1);
    expect(approvers[0]!['@odata.type']).toBe('#microsoft.graph.groupMembers');
    expect(ga.get('Expiration_EndUser_Assignment')!.maximumDuration).toBe('PT4H');
    const gaPolicy = archive.objects.roleManagementPolicyAssignment!.find((a) => a.roleDefinitionId === ROLE.globalAdministrator)!.policyId;
    const dev = r.fidelity?.deviations.find((d) => d.type === 'roleManagementPolicy' && d.archivedId === gaPolicy && d.property === 'rules');
    expect(dev?.reason).toContain(`unresolved reference`);
    expect(dev?.reason).toContain(String(userAp!.userId));
  });
});
