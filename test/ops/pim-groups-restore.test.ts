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
  });
});
