/**
 * PIM for Groups in the planner (issue 15 item 1): a schedule is created after its group and
 * principal with both ids as references; the membership an active assignment grants is left to
 * the assignment (never a permanent members/$ref, docs/graph-facts.md §3 "PIM for Groups"),
 * while other memberships are still written; an objects restore of a deleted group brings its
 * schedules along.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { emptyLive, liveCopy, meta, sampleArchive, user } from './planner-fixtures.js';

function withPim(): TenantData {
  const a = sampleArchive();
  a.objects.user!.push(user('u-eve', 'eve@contoso.com'));
  a.relations.groupMembers!.push({ kind: 'groupMembers', from: 'g-sales', to: 'u-eve', toType: 'user' });
  const scheduleInfo = { startDateTime: '2026-10-01T00:00:00Z', recurrence: null, expiration: { type: 'afterDateTime', endDateTime: '2026-12-31T00:00:00Z', duration: null } };
  a.objects.pimGroupAssignmentSchedule = [
    { id: 'pa-1', '@parentId': 'g-sales', groupId: 'g-sales', principalId: 'u-eve', accessId: 'member', assignmentType: 'assigned', memberType: 'direct', status: 'Provisioned', scheduleInfo },
  ];
  a.objects.pimGroupEligibilitySchedule = [
    { id: 'pe-1', '@parentId': 'g-sales', groupId: 'g-sales', principalId: 'u-bob', accessId: 'owner', memberType: 'direct', status: 'Provisioned', scheduleInfo },
  ];
  return a;
}

describe('PIM for Groups in the plan', () => {
  it('creates each schedule after its group and principal; the active member\'s membership comes with its assignment', () => {
    const a = withPim();
    const plan = buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const creates = plan.operations.filter((o) => o.kind === 'create' && (o.type === 'pimGroupAssignmentSchedule' || o.type === 'pimGroupEligibilitySchedule'));
    expect(creates.map((o) => ('archivedId' in o ? o.archivedId : '')).sort()).toEqual(['pa-1', 'pe-1']);
    const groupOp = plan.operations.find((o) => o.kind === 'create' && o.type === 'group')!;
    const eveOp = plan.operations.find((o) => o.kind === 'create' && o.type === 'user' && o.archivedId === 'u-eve')!;
    const pa = creates.find((o) => 'archivedId' in o && o.archivedId === 'pa-1')!;
    expect(pa.dependsOn).toEqual(expect.arrayContaining([groupOp.opId, eveOp.opId]));
    const edges = plan.operations.filter((o) => o.kind === 'addRelation' && o.relation === 'groupMembers').map((o) => (o.kind === 'addRelation' ? o.to : ''));
    expect(edges).toEqual(['u-bob']);
    // the op names the group, the access and the principal
    expect(pa.label).toContain('Sales (member) → eve');
  });

  it('writes the membership when the assignment is not restored (not in the archive)', () => {
    const a = withPim();
    delete a.objects.pimGroupAssignmentSchedule;
    const plan = buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const edges = plan.operations.filter((o) => o.kind === 'addRelation' && o.relation === 'groupMembers').map((o) => (o.kind === 'addRelation' ? o.to : '')).sort();
    expect(edges).toEqual(['u-bob', 'u-eve']);
  });

  it('an objects restore of a deleted group brings its PIM for Groups schedules', () => {
    const a = withPim();
    const live = liveCopy(a);
    live.objects.group = [];
    live.objects.pimGroupAssignmentSchedule = [];
    live.objects.pimGroupEligibilitySchedule = [];
    live.relations.groupMembers = [];
    const plan = buildPlan({ archive: a, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g-sales'] } });
    const types = plan.operations.filter((o) => o.kind === 'create').map((o) => (o.kind === 'create' ? o.type : '')).sort();
    expect(types).toEqual(expect.arrayContaining(['pimGroupAssignmentSchedule', 'pimGroupEligibilitySchedule']));
  });
});
