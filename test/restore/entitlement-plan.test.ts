/**
 * The planner and entitlement management (issue 15 item 8):
 * - an access package is created in the catalog the plan recreates (`catalog: { id }`, the
 *   create body of https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages),
 *   after it; a policy on the recreated package (`accessPackage: { id }`,
 *   https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentpolicies), after it;
 * - a policy's approver that resolves to nothing is taken out with its whole subject set
 *   (`dropped`) and listed in a manual step with its archived id, never silently;
 * - a delivered assignment of a user is requested again (Graph creates them only from requests,
 *   https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests, adminAdd):
 *   its user, policy and package re-linked, after them; one that was not delivered, or is a
 *   service principal's, is skipped and listed with who, which package and until when.
 */
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { ASSIGNMENTS_STEP_ID, POLICY_SUBJECTS_STEP_ID } from '../../src/restore/plan/entitlement.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { meta, user } from './planner-fixtures.js';

const single = (userId: string): DirObject => ({ '@odata.type': '#microsoft.graph.singleUser', userId, description: userId }) as unknown as DirObject;
const policy: DirObject = {
  id: 'pol1', displayName: 'Requests', description: 'with approval', allowedTargetScope: 'allMemberUsers', accessPackage: { id: 'pkg1' },
  requestApprovalSettings: {
    isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: false,
    stages: [{ durationBeforeAutomaticDenial: 'P7D', primaryApprovers: [single('u1'), single('u-gone')], fallbackPrimaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: 'g1' }], escalationApprovers: [], fallbackEscalationApprovers: [] }],
  },
  specificAllowedTargets: [],
};
const assignment: DirObject = {
  id: 'as1', state: 'delivered', status: 'Delivered',
  schedule: { startDateTime: '2025-01-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2027-01-31T00:00:00Z', duration: null } },
  target: { objectId: 'u1', principalName: 'ann@contoso.com', displayName: 'Ann' }, accessPackage: { id: 'pkg1', displayName: 'Sales tools' },
  assignmentPolicy: { id: 'pol1', displayName: 'Requests' },
};

function tenants(): { archive: TenantData; live: LiveState } {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: {
      user: [user('u1', 'ann@contoso.com')],
      group: [{ id: 'g1', displayName: 'Approvers', mailEnabled: false, mailNickname: 'approvers', securityEnabled: true, groupTypes: [] }],
      accessPackageCatalog: [{ id: 'cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }],
      accessPackage: [{ id: 'pkg1', displayName: 'Sales tools', description: 'tools', isHidden: false, catalog: { id: 'cat1' } }],
      accessPackageAssignmentPolicy: [policy],
      accessPackageAssignment: [assignment],
    },
  };
  const live: LiveState = {
    tenantId: 'tenant-b', initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fresh.onmicrosoft.com', 'contoso.com'],
    objects: { user: [user('new-u1', 'ann@contoso.com')], group: [{ id: 'new-g1', displayName: 'Approvers', mailEnabled: false, mailNickname: 'approvers', securityEnabled: true, groupTypes: [] }] },
  };
  return { archive, live };
}

const create = (ops: Operation[], type: string): Extract<Operation, { kind: 'create' }> => {
  const op = ops.find((o) => o.kind === 'create' && o.type === type);
  expect(op, type).toBeDefined();
  return op as Extract<Operation, { kind: 'create' }>;
};

describe('planner: entitlement management', () => {
  it('creates catalog → package → policy in order, re-links the policy\'s users and groups, and lists what it cannot', () => {
    const { archive, live } = tenants();
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const cat = create(plan.operations, 'accessPackageCatalog');
    const pkg = create(plan.operations, 'accessPackage');
    const pol = create(plan.operations, 'accessPackageAssignmentPolicy');
    expect(pkg.dependsOn).toContain(cat.opId);
    expect(pol.dependsOn).toContain(pkg.opId);
    expect(pkg.refs.map((r) => r.archivedTargetId)).toContain('cat1');
    expect(pol.refs.map((r) => r.archivedTargetId)).toContain('pkg1');
    // the approver that resolves to nothing goes with its subject set; u1 and g1 stay (mapped to the target's ids)
    const stage = (pol.body['requestApprovalSettings'] as { stages: { primaryApprovers: { userId: string }[]; fallbackPrimaryApprovers: { groupId: string }[] }[] }).stages[0]!;
    expect(stage.primaryApprovers.map((s) => s.userId)).toEqual(['new-u1']);
    expect(stage.fallbackPrimaryApprovers.map((s) => s.groupId)).toEqual(['new-g1']);
    expect(plan.unresolved).toEqual([expect.objectContaining({ archivedId: 'pol1', value: 'u-gone', effect: 'dropped' })]);
    const subjects = plan.manualSteps.find((s) => s.id === POLICY_SUBJECTS_STEP_ID);
    expect(subjects?.instructions).toContain('u-gone');
    // the assignment: requested again for the target's user, on the recreated policy and package, after them
    const asg = create(plan.operations, 'accessPackageAssignment');
    expect(asg.body['target']).toMatchObject({ objectId: 'new-u1' });
    expect(asg.dependsOn).toEqual(expect.arrayContaining([pkg.opId, pol.opId]));
    expect(asg.body['schedule']).toMatchObject({ expiration: { endDateTime: '2027-01-31T00:00:00Z' } });
    expect(plan.manualSteps.some((s) => s.id === ASSIGNMENTS_STEP_ID)).toBe(false);
  });

  it('an assignment not delivered when archived, or of a service principal, is not requested: listed with who, which package, until when', () => {
    for (const [changed, why] of [[{ state: 'pendingApproval' }, 'state pendingApproval'], [{ target: { ...(assignment.target as object), subjectType: 'servicePrincipal' } }, 'servicePrincipal']] as const) {
      const { archive, live } = tenants();
      archive.objects.accessPackageAssignment = [{ ...assignment, ...changed } as DirObject];
      const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
      expect(plan.operations.some((o) => 'type' in o && o.type === 'accessPackageAssignment')).toBe(false);
      expect(plan.skipped?.find((x) => x.archivedId === 'as1')?.reason).toContain(why);
      const step = plan.manualSteps.find((x) => x.id === ASSIGNMENTS_STEP_ID);
      expect(step?.objects).toEqual(['as1']);
      expect(step?.instructions).toContain('ann@contoso.com had "Sales tools" through policy "Requests" until 2027-01-31T00:00:00Z');
    }
  });

  it('a membership the package\'s group role gives is left to the assignment the plan requests again (S385), and written when the assignment is not requested', () => {
    const { archive, live } = tenants();
    archive.objects.accessPackageResourceRoleScope = [{
      id: 'r1_s1', '@parentId': 'pkg1', role: { id: 'r1', originId: 'Member_g1', originSystem: 'AadGroup', displayName: 'Member' },
      scope: { id: 's1', originId: 'g1', originSystem: 'AadGroup', displayName: 'Root', isRootScope: true },
    }];
    archive.relations.groupMembers = [{ kind: 'groupMembers', from: 'g1', to: 'u1', toType: 'user' }];
    const edgeOp = (p: ReturnType<typeof buildPlan>) => p.operations.find((o) => o.kind === 'addRelation' && o.relation === 'groupMembers');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    create(plan.operations, 'accessPackageAssignment');
    expect(edgeOp(plan)).toBeUndefined();
    // the assignment still in the target: the membership was removed by hand and Graph would not
    // give it again, so it is written
    const kept = tenants();
    kept.archive.objects.accessPackageResourceRoleScope = archive.objects.accessPackageResourceRoleScope;
    kept.archive.relations.groupMembers = archive.relations.groupMembers;
    kept.live.objects.accessPackageCatalog = [{ id: 'new-cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }];
    kept.live.objects.accessPackage = [{ id: 'new-pkg1', displayName: 'Sales tools', description: 'tools', isHidden: false, catalog: { id: 'new-cat1' } }];
    kept.live.objects.accessPackageAssignmentPolicy = [{ ...policy, id: 'new-pol1', accessPackage: { id: 'new-pkg1' } }];
    kept.live.objects.accessPackageAssignment = [{ ...assignment, id: 'live-as', target: { ...(assignment.target as object), objectId: 'new-u1' }, accessPackage: { id: 'new-pkg1', displayName: 'Sales tools' }, assignmentPolicy: { id: 'new-pol1', displayName: 'Requests' } }];
    const still = buildPlan({ archive: kept.archive, archiveMeta: meta, live: kept.live, scenario: 'tenant-loss' });
    expect(still.operations.some((o) => 'type' in o && o.type === 'accessPackageAssignment')).toBe(false);
    expect(edgeOp(still)).toBeDefined();
    // not delivered when archived: no request, so the membership is written as it was
    archive.objects.accessPackageAssignment = [{ ...assignment, state: 'pendingApproval' }];
    const pending = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(edgeOp(pending)).toBeDefined();
  });

  it('an app role the package gives is covered by the assignment the plan requests again (S385), never POSTed beside it', () => {
    const { archive, live } = tenants();
    archive.objects.servicePrincipal = [{ id: 'sp1', appId: '11111111-2222-3333-4444-555555555555', displayName: 'CRM', appRoles: [{ id: 'role-1', value: 'User' }] }];
    archive.objects.accessPackageResourceRoleScope = [{
      id: 'r2_s2', '@parentId': 'pkg1', role: { id: 'r2', originId: 'role-1', originSystem: 'AadApplication', displayName: 'User' },
      scope: { id: 's2', originId: 'sp1', originSystem: 'AadApplication', displayName: 'Root', isRootScope: true },
    }];
    archive.objects.appRoleAssignment = [
      { id: 'ara-1', principalId: 'u1', principalType: 'User', resourceId: 'sp1', appRoleId: 'role-1' },
      // another role of the same app, which no package gives: written as before
      { id: 'ara-2', principalId: 'u1', principalType: 'User', resourceId: 'sp1', appRoleId: '00000000-0000-0000-0000-000000000000' },
    ];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const asg = create(plan.operations, 'accessPackageAssignment');
    expect(asg.covers).toEqual([{ type: 'appRoleAssignment', archivedId: 'ara-1' }]);
    const appRoleCreates = plan.operations.filter((o) => o.kind === 'create' && o.type === 'appRoleAssignment').map((o) => (o as { archivedId: string }).archivedId);
    expect(appRoleCreates).toEqual(['ara-2']);
  });

  it('an assignment present in the target is left alone (no update op); one whose end differs is reported, never rewritten', () => {
    const { archive, live } = tenants();
    live.objects.accessPackageCatalog = [{ id: 'new-cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }];
    live.objects.accessPackage = [{ id: 'new-pkg1', displayName: 'Sales tools', description: 'tools', isHidden: false, catalog: { id: 'new-cat1' } }];
    live.objects.accessPackageAssignmentPolicy = [{ ...policy, id: 'new-pol1', accessPackage: { id: 'new-pkg1' } }];
    // the target's assignment of the same user, package and policy, another id and start: the same assignment
    const same = { ...assignment, id: 'live-as', target: { ...(assignment.target as object), objectId: 'new-u1' }, accessPackage: { id: 'new-pkg1', displayName: 'Sales tools' }, assignmentPolicy: { id: 'new-pol1', displayName: 'Requests' } };
    live.objects.accessPackageAssignment = [{ ...same, schedule: { ...(assignment.schedule as object), startDateTime: '2026-12-01T00:00:00Z' } }];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.operations.some((o) => 'type' in o && o.type === 'accessPackageAssignment')).toBe(false);
    expect(plan.manualSteps.some((s) => s.id === ASSIGNMENTS_STEP_ID)).toBe(false);
    // another end: no write (Graph has only another request for it), a warning that says so
    live.objects.accessPackageAssignment = [{ ...same, schedule: { startDateTime: '2026-12-01T00:00:00Z', expiration: { type: 'noExpiration', endDateTime: null, duration: null } } }];
    const ended = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(ended.operations.some((o) => 'type' in o && o.type === 'accessPackageAssignment')).toBe(false);
    expect(ended.warnings.some((w) => w.includes('schedule differs but can only be set on create'))).toBe(true);
  });

  it('an assignment the target lists for a user that is not there, or is another object, is not the archived one: requested again', () => {
    // src/restore/diff.ts staleSubject: an assignment names its subject by id and Graph cannot move it
    for (const liveUsers of [[], undefined]) {
      const { archive, live } = tenants();
      if (liveUsers) live.objects.user = liveUsers;
      // the old id: no user of the target (u1 is new-u1 there, or missing)
      live.objects.accessPackageAssignment = [{ ...assignment }];
      const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
      const asg = create(plan.operations, 'accessPackageAssignment');
      expect(asg.archivedId).toBe('as1');
      // for the user the plan recreates (its new id set when it runs), or the target's own
      if (liveUsers) expect(asg.dependsOn).toContain('create:user:u1');
      else expect((asg.body['target'] as { objectId: string }).objectId).toBe('new-u1');
    }
  });

  it('objects: a selected user recreated with a new id brings its assignments, requested again for the new id', () => {
    const { archive, live } = tenants();
    // the user was deleted for good; the target still lists the assignment for the old id
    live.objects.user = [];
    live.objects.accessPackageAssignment = [{ ...assignment }];
    // without its package in the target (nor restored): blocked, and listed to request again by hand
    const blocked = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['u1'] } });
    expect(blocked.included?.map((i) => [i.archivedId, i.requiredBy])).toContainEqual(['as1', 'u1']);
    expect(blocked.operations.some((o) => 'type' in o && o.type === 'accessPackageAssignment')).toBe(false);
    expect(blocked.manualSteps.find((s) => s.id === ASSIGNMENTS_STEP_ID)?.objects).toEqual(['as1']);
    // with its package and policy in the target: requested again once the user is back
    live.objects.accessPackageCatalog = [{ id: 'new-cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }];
    live.objects.accessPackage = [{ id: 'new-pkg1', displayName: 'Sales tools', description: 'tools', isHidden: false, catalog: { id: 'new-cat1' } }];
    live.objects.accessPackageAssignmentPolicy = [{ ...policy, id: 'new-pol1', accessPackage: { id: 'new-pkg1' } }];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['u1'] } });
    expect(plan.included?.map((i) => [i.archivedId, i.requiredBy])).toContainEqual(['as1', 'u1']);
    const asg = create(plan.operations, 'accessPackageAssignment');
    expect(asg.dependsOn).toContain(create(plan.operations, 'user').opId);
    expect(asg.body['accessPackage']).toMatchObject({ id: 'new-pkg1' });
    expect(asg.body['assignmentPolicy']).toMatchObject({ id: 'new-pol1' });
    expect(plan.manualSteps.some((s) => s.id === ASSIGNMENTS_STEP_ID)).toBe(false);
    // in the recycle bin, the user comes back with its id: the assignment still names it
    const binned = buildPlan({ archive, archiveMeta: meta, live: { ...live, deleted: { user: [user('u1', 'ann@contoso.com')] } }, scenario: 'objects', selection: { objectIds: ['u1'] } });
    expect(binned.included ?? []).not.toContainEqual(expect.objectContaining({ archivedId: 'as1' }));
    expect(binned.manualSteps.some((s) => s.id === ASSIGNMENTS_STEP_ID)).toBe(false);
  });

  it('objects: a recreated access package brings its missing policies and requests its assignments again; a restored approver does not bring a package back', () => {
    const { archive, live } = tenants();
    live.objects.accessPackageCatalog = [{ id: 'new-cat1', displayName: 'Sales', description: 'sales', isExternallyVisible: false, state: 'published', catalogType: 'userManaged' }];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['pkg1'] } });
    // the live catalog (matched by name) is named by its own id
    expect(create(plan.operations, 'accessPackage').body['catalog']).toEqual({ id: 'new-cat1' });
    expect(create(plan.operations, 'accessPackageAssignmentPolicy').dependsOn).toContain(create(plan.operations, 'accessPackage').opId);
    // the assignment comes with its package, and its policy with it (the package's, or the assignment's that names it)
    expect(plan.included?.map((i) => [i.archivedId, i.requiredBy])).toContainEqual(['as1', 'pkg1']);
    expect(plan.included?.map((i) => i.archivedId).sort()).toEqual(['as1', 'pol1']);
    expect(create(plan.operations, 'accessPackageAssignment').dependsOn).toContain(create(plan.operations, 'accessPackageAssignmentPolicy').opId);
    expect(plan.manualSteps.some((s) => s.id === ASSIGNMENTS_STEP_ID)).toBe(false);
    const byUser = buildPlan({ archive, archiveMeta: meta, live: { ...live, objects: { ...live.objects, user: [] } }, scenario: 'objects', selection: { objectIds: ['u1'] } });
    expect(byUser.operations.some((o) => 'type' in o && (o.type === 'accessPackage' || o.type === 'accessPackageAssignmentPolicy'))).toBe(false);
  });
});
