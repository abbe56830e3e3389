/**
 * Issue 15 item 1, PIM for Groups through the whole product: a drill tenant's eligible
 * members and owners and its time-bound active member of a PIM-governed group are archived
 * (each group read with `$filter=groupId eq '…'`), and a tenant-loss restore into a new tenant
 * recreates them through schedule requests (adminAssign) with the group and principal ids
 * re-linked to the recreated objects and the archived expiration kept. Checked through Graph
 * after the restore (List eligibilitySchedules / assignmentSchedules of the new group), not
 * through the tool's report.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
let archived: Awaited<ReturnType<typeof backupOf>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-pimg-'));
  source = seedTenant({ seed: 44, users: 14 });
  target = emptyTenant({ seed: 45 });
  emu = await startEmulator({ port: 0, tenants: [source, target] });
  archived = await backupOf(emu, source.tenantId, dir);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Obj = Record<string, unknown>;

async function listOf(graph: GraphClient, path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  for await (const o of graph.list<Obj>(path)) out.push(o);
  return out;
}

async function idByName(graph: GraphClient, coll: string, o: DirObject): Promise<string> {
  const hits = await listOf(graph, `${coll}?$filter=displayName eq '${String(o.displayName).replace(/'/g, "''")}'&$select=id`);
  expect(hits, String(o.displayName)).toHaveLength(1);
  return String(hits[0]!.id);
}

describe('PIM for Groups on a tenant-loss restore', () => {
  it('recreates eligibility and active assignments with groups and principals re-linked, read back through Graph', { timeout: 120_000 }, async () => {
    const { archive } = archived;
    const objs = (t: string): DirObject[] => (archive.objects as Record<string, DirObject[] | undefined>)[t] ?? [];
    const eligible = objs('pimGroupEligibilitySchedule');
    const active = objs('pimGroupAssignmentSchedule');
    expect(eligible.length).toBeGreaterThanOrEqual(2);
    expect(active).toHaveLength(1);

    const work = join(dir, 'full');
    await mkdir(work);
    const { graph } = await writerOf(emu, target.tenantId, work);
    const r = await runRestore({
      archive, archiveMeta: archived.archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'full.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    // the active member's membership comes back through its assignment (with its end date), never as a permanent members/$ref
    const act = active[0]!;
    expect(r.plan.operations.filter((o) => o.kind === 'addRelation' && o.from === act.groupId && o.to === act.principalId)).toEqual([]);

    const principalOf = (id: string): { coll: string; o: DirObject } => {
      const u = objs('user').find((x) => x.id === id);
      return u ? { coll: '/users', o: u } : { coll: '/groups', o: objs('group').find((x) => x.id === id)! };
    };
    for (const [set, archivedList] of [['eligibilitySchedules', eligible], ['assignmentSchedules', active]] as const) {
      for (const s of archivedList) {
        const group = objs('group').find((g) => g.id === s.groupId)!;
        const newGroup = await idByName(graph, '/groups', group);
        expect(newGroup).not.toBe(group.id);
        const p = principalOf(String(s.principalId));
        const newPrincipal = await idByName(graph, p.coll, p.o);
        expect(newPrincipal).not.toBe(s.principalId);
        const live = await listOf(graph, `/identityGovernance/privilegedAccess/group/${set}?$filter=groupId eq '${newGroup}'`);
        const hit = live.filter((x) => x.principalId === newPrincipal && x.accessId === s.accessId);
        expect(hit, `${set} ${String(s.accessId)} ${String(p.o.displayName)}`).toHaveLength(1);
        const exp = (s.scheduleInfo as Obj).expiration as Obj;
        expect(((hit[0]!.scheduleInfo as Obj).expiration as Obj)).toMatchObject({ type: exp.type, endDateTime: exp.endDateTime ?? null });
        if (set === 'assignmentSchedules') {
          // the active assignment is the membership itself
          const members = await listOf(graph, `/groups/${newGroup}/members?$select=id`);
          expect(members.map((m) => m.id)).toContain(newPrincipal);
        }
      }
    }
    const dev = r.fidelity?.deviations.filter((d) => String(d.type).startsWith('pimGroup')) ?? [];
    expect(dev).toEqual([]);

    // the groups' PIM settings (member and owner policies): the governed group's hardened member
    // activation rules are patched onto the policy its restored schedules onboarded it with, read
    // back through Graph (List roleManagementPolicyAssignments, scopeType Group, S209, S230)
    const policies = objs('pimGroupPolicy');
    const asgs = objs('pimGroupPolicyAssignment');
    expect(policies.length).toBeGreaterThanOrEqual(2);
    const memberAsg = asgs.find((a) => a.roleDefinitionId === 'member' && a.scopeId === act.groupId)!;
    const archivedRules = (policies.find((p) => p.id === memberAsg.policyId)!.rules as Obj[]);
    const approval = archivedRules.find((x) => x.id === 'Approval_EndUser_Assignment')!;
    const approver = (((approval.setting as Obj).approvalStages as Obj[])[0]!.primaryApprovers as Obj[])[0]!;
    const ops = r.plan.operations.filter((o) => 'type' in o && o.type === 'pimGroupPolicy');
    expect(ops.length).toBeGreaterThanOrEqual(1);
    // ordered after the group's schedules, whose first request onboards the new group
    for (const o of ops) expect(o.dependsOn.some((x) => /^create:pimGroup(Eligibility|Assignment)Schedule:/.test(x))).toBe(true);
    const newGroup = await idByName(graph, '/groups', objs('group').find((g) => g.id === act.groupId)!);
    const f = `scopeId eq '${newGroup}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`;
    const [live] = await listOf(graph, `/policies/roleManagementPolicyAssignments?$filter=${f}&$expand=policy($expand=rules)`);
    const rules = ((live!.policy as Obj).rules as Obj[]);
    const rule = (id: string): Obj => rules.find((x) => x.id === id)!;
    expect(rule('Enablement_EndUser_Assignment').enabledRules).toEqual(['MultiFactorAuthentication', 'Justification']);
    expect(rule('Expiration_EndUser_Assignment').maximumDuration).toBe('PT2H');
    const setting = rule('Approval_EndUser_Assignment').setting as Obj;
    expect(setting.isApprovalRequired).toBe(true);
    const liveApprover = ((setting.approvalStages as Obj[])[0]!.primaryApprovers as Obj[])[0]!;
    const newApprover = await idByName(graph, '/users', objs('user').find((u) => u.id === approver.userId)!);
    expect(liveApprover.userId).toBe(newApprover);
    expect(liveApprover.userId).not.toBe(approver.userId);
    // the owner policy was not hardened: nothing differs, nothing patched, defaults kept
    const [owner] = await listOf(graph, `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${newGroup}' and scopeType eq 'Group' and roleDefinitionId eq 'owner'&$expand=policy($expand=rules)`);
    expect((((owner!.policy as Obj).rules as Obj[]).find((x) => x.id === 'Approval_EndUser_Assignment')!.setting as Obj).isApprovalRequired).toBe(false);
  });
});
