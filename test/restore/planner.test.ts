import { describe, expect, test } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { STALE } from '../../src/restore/plan/operations.js';
import type { Operation, Plan } from '../../src/restore/types.js';
import type { DirObject } from '../../src/model.js';
import { APP_HEX, EXT, GA, emptyLive, liveCopy, meta, sampleArchive, user } from './planner-fixtures.js';

const op = (p: Plan, id: string): Operation | undefined => p.operations.find((o) => o.opId === id);
const index = (p: Plan, id: string): number => p.operations.findIndex((o) => o.opId === id);

function assertTopological(p: Plan): void {
  const seen = new Set<string>();
  for (const o of p.operations) {
    for (const d of o.dependsOn) expect(seen.has(d), `${o.opId} after ${d}`).toBe(true);
    seen.add(o.opId);
  }
  // tiers never go down along the list
  for (let i = 1; i < p.operations.length; i++) {
    expect(p.operations[i]!.tier).toBeGreaterThanOrEqual(p.operations[i - 1]!.tier);
  }
}

describe('tenant-loss into an empty tenant', () => {
  const archive = sampleArchive();
  const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });

  test('plans every object, with catalog tiers and GA first', () => {
    assertTopological(plan);
    for (const [type, objs] of Object.entries(archive.objects)) {
      for (const o of objs ?? []) {
        if (o['onPremisesSyncEnabled'] === true) continue;
        expect(op(plan, `create:${type}:${o.id}`), `${type} ${o.id}`).toBeDefined();
      }
    }
    expect(plan.operations[0]!.kind).toBe('createBreakGlassAdmin');
    expect(op(plan, 'create:user:u-admin')!.tier).toBe(0);
    expect(op(plan, 'create:roleAssignment:ra-ga')!.tier).toBe(0);
    expect(op(plan, 'create:roleAssignment:ra-hd')!.tier).toBe(3);
    expect(op(plan, 'create:namedLocation:nl-1')!.tier).toBe(1);
    expect(op(plan, 'create:group:g-sales')!.tier).toBe(2);
    expect(op(plan, 'add:groupMembers:g-sales:u-bob')!.tier).toBe(3);
    expect(op(plan, 'create:conditionalAccessPolicy:ca-1')!.tier).toBe(4);
    expect(plan.operations.at(-1)!.kind).toBe('verify');
    const tier0 = plan.operations.filter((o) => o.tier === 0).map((o) => o.opId);
    expect(tier0).toEqual(['bootstrap:breakGlassAdmin', 'create:user:u-admin', 'create:roleAssignment:ra-ga']);
  });

  test('apps before their service principals; SP appId is a slot to the app', () => {
    const sp = op(plan, 'create:servicePrincipal:sp-1') as Extract<Operation, { kind: 'create' }>;
    expect(index(plan, 'create:application:app-1')).toBeLessThan(index(plan, 'create:servicePrincipal:sp-1'));
    expect(sp.dependsOn).toContain('create:application:app-1');
    expect(sp.refs).toEqual([{ at: ['appId'], by: 'appId', archivedTargetId: 'app-1', targetType: 'application' }]);
  });

  test('users: needsPassword, no password in the body, UPN moved to the initial domain', () => {
    const u = op(plan, 'create:user:u-bob') as Extract<Operation, { kind: 'create' }>;
    expect(u.needsPassword).toBe(true);
    expect(u.body['passwordProfile']).toBeUndefined();
    expect(u.body['createdDateTime']).toBeUndefined();
    expect(u.body['id']).toBeUndefined();
    expect(u.body['userPrincipalName']).toBe('bob@fresh.onmicrosoft.com');
    expect(plan.domainMap).toEqual({ 'contoso.com': 'fresh.onmicrosoft.com' });
    expect(plan.manualSteps.map((s) => s.kind)).toContain('domainVerification');
  });

  test('a user of the archived tenant\'s own .onmicrosoft.com comes to the target\'s, which no step asks to verify', () => {
    const archive = sampleArchive();
    archive.objects.user = [...archive.objects.user!, { id: 'u-init', displayName: 'Init', userPrincipalName: 'init@contoso.onmicrosoft.com', accountEnabled: true, mailNickname: 'init' }];
    const p = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect((op(p, 'create:user:u-init') as Extract<Operation, { kind: 'create' }>).body['userPrincipalName']).toBe('init@fresh.onmicrosoft.com');
    const step = p.manualSteps.find((x) => x.id === 'manual:domainVerification')!;
    // another tenant's onmicrosoft.com domain can be neither added nor verified: never listed to verify
    expect(step.instructions).toMatch(/^Add the DNS TXT records the target tenant shows for contoso\.com and verify them\./);
    expect(step.title).toBe('Verify 1 domain(s) by DNS');
    expect(step.instructions).toContain('Users of contoso.onmicrosoft.com (the archived tenant\'s own initial domain, which no other tenant can add) are created on fresh.onmicrosoft.com and stay there.');
  });

  test('extension attribute of a recreated app gets a $name slot and waits for the property', () => {
    const u = op(plan, 'create:user:u-bob') as Extract<Operation, { kind: 'create' }>;
    expect(u.refs).toContainEqual({ at: ['$name', EXT], by: 'extensionName', archivedTargetId: 'app-1', targetType: 'application' });
    expect(u.dependsOn).toEqual(expect.arrayContaining(['create:application:app-1', 'create:extensionProperty:ext-1']));
    const x = op(plan, 'create:extensionProperty:ext-1') as Extract<Operation, { kind: 'create' }>;
    expect(x.body['name']).toBe('costCenter');
    expect(x.parentArchivedId).toBe('app-1');
  });

  test('CA policy created report-only, enabled by a separate op after everything it references', () => {
    const ca = op(plan, 'create:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'create' }>;
    expect(ca.body['state']).toBe('enabledForReportingButNotEnforced');
    expect(ca.body['createdDateTime']).toBeUndefined();
    const en = op(plan, 'enable:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'enableConditionalAccess' }>;
    expect(en.state).toBe('enabled');
    expect(en.dependsOn).toEqual(
      expect.arrayContaining([
        'create:conditionalAccessPolicy:ca-1', 'create:group:g-sales', 'create:namedLocation:nl-1',
        'create:servicePrincipal:sp-1', 'create:user:u-admin',
      ]),
    );
    // role template ids stay as they are
    expect((ca.body['conditions'] as { users: { includeRoles: string[] } }).users.includeRoles).toEqual(['729827e3-9c14-49f7-bb1b-9608f156bbb8']);
    expect(plan.reportOnly).toEqual([]);
  });

  test('named location keeps its @odata.type subtype', () => {
    const nl = op(plan, 'create:namedLocation:nl-1') as Extract<Operation, { kind: 'create' }>;
    expect(nl.body['@odata.type']).toBe('#microsoft.graph.ipNamedLocation');
  });

  test('manual steps: passwords, MFA, secrets as metadata only, on-premises sync', () => {
    const kinds = plan.manualSteps.map((s) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(['password', 'mfaRegistration', 'clientSecret', 'onPremisesSync']));
    const secret = plan.manualSteps.find((s) => s.kind === 'clientSecret')!;
    expect(secret.instructions).toContain('keyId k1');
    expect(secret.instructions).not.toContain('abc');
    expect(plan.manualSteps.find((s) => s.kind === 'onPremisesSync')!.objects).toEqual(['u-hyb']);
    expect(op(plan, 'create:user:u-hyb')).toBeUndefined();
  });
});

describe('all-admins-deleted', () => {
  function damaged(gaSoftDeleted: boolean) {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    const admin = live.objects.user!.find((u) => u.id === 'u-admin') as DirObject;
    live.objects.user = live.objects.user!.filter((u) => u.id !== 'u-admin');
    live.objects.roleAssignment = live.objects.roleAssignment!.filter((a) => a.id !== 'ra-ga');
    if (gaSoftDeleted) live.deleted = { user: [{ ...admin, deletedDateTime: '2026-11-20T00:00:00Z' }] };
    return { archive, live };
  }

  test('GA in the recycle bin: tier-0 restore, GA assignment after it, no break-glass', () => {
    const { archive, live } = damaged(true);
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    assertTopological(plan);
    const r = op(plan, 'restore:user:u-admin');
    expect(r).toMatchObject({ kind: 'restoreDeleted', tier: 0, deletedId: 'u-admin' });
    expect(op(plan, 'create:user:u-admin')).toBeUndefined();
    expect(plan.operations.some((o) => o.kind === 'createBreakGlassAdmin')).toBe(false);
    const ga = op(plan, 'create:roleAssignment:ra-ga')!;
    expect(ga.tier).toBe(0);
    expect(ga.dependsOn).toEqual(['restore:user:u-admin']);
    expect(plan.operations[0]!.opId).toBe('restore:user:u-admin');
    // everything else equal: nothing else to do but verify (and the CA policy keeps its live state)
    expect(plan.operations.map((o) => o.opId)).toEqual(['restore:user:u-admin', 'create:roleAssignment:ra-ga', 'verify']);
  });

  test('every GA hard-deleted: break-glass admin, GA recreated in tier 0', () => {
    const { archive, live } = damaged(false);
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted', options: { breakGlassUpn: 'bg@contoso.com' } });
    assertTopological(plan);
    const bg = plan.operations[0] as Extract<Operation, { kind: 'createBreakGlassAdmin' }>;
    expect(bg).toMatchObject({ kind: 'createBreakGlassAdmin', tier: 0, userPrincipalName: 'bg@contoso.com' });
    expect(op(plan, 'create:user:u-admin')!.tier).toBe(0);
    // the CA policy excluded the hard-deleted admin: it is updated to the new id, report-only, then enabled
    const upd = op(plan, 'update:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'update' }>;
    expect(upd.body['state']).toBe('enabledForReportingButNotEnforced');
    expect(upd.refs).toContainEqual({ at: ['conditions', 'users', 'excludeUsers', 0], by: 'id', archivedTargetId: 'u-admin', targetType: 'user' });
    expect(op(plan, 'enable:conditionalAccessPolicy:ca-1')!.dependsOn).toContain('create:user:u-admin');
  });

  test('GA through a role-assignable group: group, membership and assignment in tier 0', () => {
    const archive = sampleArchive();
    archive.objects.group!.push({ id: 'g-admins', displayName: 'Admins', mailNickname: 'admins', mailEnabled: false, securityEnabled: true, isAssignableToRole: true });
    archive.objects.roleAssignment = [{ id: 'ra-g', principalId: 'g-admins', roleDefinitionId: GA, directoryScopeId: '/' }];
    archive.relations.groupMembers!.push({ kind: 'groupMembers', from: 'g-admins', to: 'u-admin', toType: 'user' });
    archive.relations.groupOwners = [{ kind: 'groupOwners', from: 'g-admins', to: 'u-bob', toType: 'user' }];
    const live = emptyLive();
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    assertTopological(plan);
    for (const id of ['create:user:u-admin', 'create:group:g-admins', 'add:groupMembers:g-admins:u-admin', 'create:roleAssignment:ra-g']) {
      expect(op(plan, id)?.tier, id).toBe(0);
    }
    // Owners of a role-assignable group are restored: the current "Add owners" page
    // (https://learn.microsoft.com/en-us/graph/api/group-post-owners) sets no exception for them.
    const owner = op(plan, 'add:groupOwners:g-admins:u-bob');
    expect(owner?.kind).toBe('addRelation');
    expect(owner!.dependsOn).toContain('create:group:g-admins');
    expect(plan.warnings.some((w) => w.includes('role-assignable'))).toBe(false);
  });
});

describe('a service principal in the recycle bin', () => {
  // found by test/ops/random-tenant.test.ts: an application purged from the bin and its principal only
  // deleted; the principal was restored from the bin, bound to an appId no application had any more
  test('whose application is gone for good is recreated for the recreated application, not restored as an orphan', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.application = [];
    live.objects.servicePrincipal = [];
    live.deleted = { servicePrincipal: [JSON.parse(JSON.stringify(archive.objects.servicePrincipal![0]))] };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['app-1', 'sp-1'] } });
    expect(plan.operations.some((o) => o.kind === 'restoreDeleted' && o.archivedId === 'sp-1')).toBe(false);
    const sp = op(plan, 'create:servicePrincipal:sp-1');
    expect(sp?.dependsOn).toContain('create:application:app-1');
  });

  test('whose application is in the bin too comes back from the bin with it', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.application = [];
    live.objects.servicePrincipal = [];
    live.deleted = { application: [JSON.parse(JSON.stringify(archive.objects.application![0]))], servicePrincipal: [JSON.parse(JSON.stringify(archive.objects.servicePrincipal![0]))] };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['app-1', 'sp-1'] } });
    expect(plan.operations.filter((o) => o.kind === 'restoreDeleted').map((o) => (o as { archivedId: string }).archivedId).sort()).toEqual(['app-1', 'sp-1']);
  });
});

describe('references that cannot be resolved', () => {
  test('CA policy with an unknown group stays report-only, never enabled, value reported', () => {
    const archive = sampleArchive();
    const ca = archive.objects.conditionalAccessPolicy![0]!;
    (ca['conditions'] as { users: { includeGroups: string[] } }).users.includeGroups.push('g-ghost');
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const create = op(plan, 'create:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['state']).toBe('enabledForReportingButNotEnforced');
    expect(op(plan, 'enable:conditionalAccessPolicy:ca-1')).toBeUndefined();
    expect(plan.unresolved).toContainEqual(
      expect.objectContaining({ archivedId: 'ca-1', value: 'g-ghost', effect: 'keptReportOnly', path: 'conditions.users.includeGroups[1]' }),
    );
    expect(plan.reportOnly.map((r) => r.archivedId)).toEqual(['ca-1']);
    expect(plan.manualSteps.map((s) => s.kind)).toContain('conditionalAccessReview');
    // the group is in no archive: it named nothing in the source either (a stale id), and the reason says so
    expect(plan.reportOnly[0]!.reason).toContain(`conditions.users.includeGroups[1]=g-ghost${STALE}`);
  });

  test('a CA policy naming an archived group the plan does not bring back: report-only, without the stale mark', () => {
    const archive = sampleArchive();
    // a synced group: directory sync brings it back, the restore does not create it
    Object.assign(archive.objects.group![0]!, { onPremisesSyncEnabled: true, onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1001' });
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const r = plan.reportOnly.find((x) => x.archivedId === 'ca-1');
    expect(r?.reason).toContain('conditions.users.includeGroups[0]=g-sales');
    expect(r?.reason).not.toContain(STALE);
  });

  test('a disabled CA policy with an unknown group stays disabled, the reference dropped and reported (issue 11 item 7)', () => {
    const archive = sampleArchive();
    const ca = archive.objects.conditionalAccessPolicy![0]!;
    ca['state'] = 'disabled';
    (ca['conditions'] as { users: { includeGroups: string[] } }).users.includeGroups.push('g-ghost');
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const create = op(plan, 'create:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['state']).toBe('disabled');
    expect((create.body['conditions'] as { users: { includeGroups: string[] } }).users.includeGroups).not.toContain('g-ghost');
    expect(op(plan, 'enable:conditionalAccessPolicy:ca-1')).toMatchObject({ state: 'disabled' });
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ archivedId: 'ca-1', value: 'g-ghost', effect: 'dropped' }));
    expect(plan.reportOnly).toEqual([]);
    expect(plan.warnings.some((w) => w.includes('restored disabled') && w.includes('g-ghost'))).toBe(true);
  });

  test('required reference missing: op blocked, listed, not emitted', () => {
    const archive = sampleArchive();
    archive.objects.roleAssignment!.push({ id: 'ra-x', principalId: 'u-nobody', roleDefinitionId: GA, directoryScopeId: '/' });
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(op(plan, 'create:roleAssignment:ra-x')).toBeUndefined();
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ opId: 'create:roleAssignment:ra-x', value: 'u-nobody', effect: 'blocked' }));
  });

  test('AU-scoped assignment waits for the AU and keeps the scope prefix', () => {
    const archive = sampleArchive();
    archive.objects.administrativeUnit = [{ id: 'au-1', displayName: 'Berlin' }];
    archive.objects.roleAssignment!.push({ id: 'ra-au', principalId: 'u-bob', roleDefinitionId: GA, directoryScopeId: '/administrativeUnits/au-1' });
    const live = liveCopy(archive);
    live.objects.administrativeUnit = [{ id: 'au-new', displayName: 'Berlin' }];
    live.objects.roleAssignment = live.objects.roleAssignment!.filter((r) => r.id !== 'ra-au');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['ra-au'] } });
    const c = op(plan, 'create:roleAssignment:ra-au') as Extract<Operation, { kind: 'create' }>;
    expect(c.body['directoryScopeId']).toBe('/administrativeUnits/au-new');
    expect(plan.idMap['au-1']).toBe('au-new');
  });
});

describe('objects and attributes scenarios', () => {
  test('objects: the CA policy pulls in what it needs, each dependency reported', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.conditionalAccessPolicy = [];
    live.objects.group = [];
    live.objects.namedLocation = [];
    live.relations.groupMembers = [];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['ca-1'] } });
    expect(plan.included?.map((i) => i.archivedId).sort()).toEqual(['g-sales', 'nl-1']);
    expect(op(plan, 'create:group:g-sales')).toBeDefined();
    expect(op(plan, 'add:groupMembers:g-sales:u-bob')).toBeDefined();
    expect(op(plan, 'enable:conditionalAccessPolicy:ca-1')).toBeDefined();
    expect(plan.operations.some((o) => o.kind === 'createBreakGlassAdmin')).toBe(false);
  });

  test('attributes: update ops only, selected attributes only; missing objects reported', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    const bob = live.objects.user!.find((u) => u.id === 'u-bob')!;
    bob['jobTitle'] = 'Intern';
    bob['displayName'] = 'Robert';
    live.objects.group = [];
    const plan = buildPlan({
      archive, archiveMeta: meta, live, scenario: 'attributes',
      selection: { objectIds: ['u-bob', 'g-sales'], attributes: ['jobTitle'] },
    });
    expect(plan.operations.map((o) => o.kind)).toEqual(['update', 'verify']);
    const u = plan.operations[0] as Extract<Operation, { kind: 'update' }>;
    expect(u.body).toEqual({ jobTitle: 'Sales' });
    expect(plan.skipped).toEqual([expect.objectContaining({ archivedId: 'g-sales' })]);
  });
});

describe('hybrid and rebuilt tenants', () => {
  test('hybrid user matched by onPremisesImmutableId: only cloud-only attributes re-applied', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.user = live.objects.user!.map((u) =>
      u.id === 'u-hyb' ? { ...u, id: 'u-hyb-new', userPrincipalName: 'h.ybrid@contoso.com', displayName: 'H', usageLocation: null } : u,
    );
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    expect(plan.idMap['u-hyb']).toBe('u-hyb-new');
    const upd = op(plan, 'update:user:u-hyb') as Extract<Operation, { kind: 'update' }>;
    expect(upd.body).toEqual({ usageLocation: 'DE' });
  });

  test('rebuilt app with a new appId: extension name rewritten to the live app', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    const newAppId = '99999999-8888-7777-6666-555555555555';
    live.objects.application = [{ id: 'app-new', appId: newAppId, displayName: 'Payroll' }];
    live.objects.servicePrincipal = [{ id: 'sp-new', appId: newAppId, displayName: 'Payroll' }];
    live.objects.extensionProperty = [{ id: 'ext-new', name: `extension_${newAppId.replace(/-/g, '')}_costCenter`, dataType: 'String', targetObjects: ['User'] }];
    live.objects.user = live.objects.user!.filter((u) => u.id !== 'u-bob');
    const cap = live.objects.conditionalAccessPolicy![0]!;
    (cap['conditions'] as { applications: { includeApplications: string[] } }).applications.includeApplications = [newAppId];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['u-bob'] } });
    const u = op(plan, 'create:user:u-bob') as Extract<Operation, { kind: 'create' }>;
    expect(u.body[`extension_${newAppId.replace(/-/g, '')}_costCenter`]).toBe('CC-42');
    expect(u.body[`extension_${APP_HEX}_costCenter`]).toBeUndefined();
    expect(u.refs).toEqual([]);
    expect(plan.appIdMap).toEqual({ '11111111-2222-3333-4444-555555555555': newAppId });
  });

  test('a user created after the snapshot is never deleted', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.user!.push(user('u-new', 'new@contoso.com'));
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.operations.map((o) => o.opId)).toEqual(['verify']);
  });
});

describe('settings', () => {
  test('group setting naming a recreated group waits for it; built-in method configurations are never created', () => {
    const archive = sampleArchive();
    archive.objects.groupSetting = [{
      id: 'gs-1', templateId: '62375ab9-6b52-47ed-826b-58e47e0e304b',
      values: [{ name: 'EnableGroupCreation', value: 'false' }, { name: 'GroupCreationAllowedGroupId', value: 'g-sales' }],
    }];
    archive.objects.authenticationMethodConfiguration = [{ id: 'Fido2', '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' }];
    archive.objects.attributeSet = [{ id: 'HR', description: 'HR data', maxAttributesPerSet: 10 }];
    archive.objects.domain = [{ id: 'contoso.com', isVerified: true }, { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true }];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const gs = op(plan, 'create:groupSetting:gs-1') as Extract<Operation, { kind: 'create' }>;
    expect(gs.refs).toEqual([{ at: ['values', 1, 'value'], by: 'id', archivedTargetId: 'g-sales', targetType: 'group' }]);
    expect(gs.dependsOn).toContain('create:group:g-sales');
    expect(gs.tier).toBe(2); // raised: it waits for a tier-2 group
    expect(op(plan, 'create:authenticationMethodConfiguration:Fido2')).toBeUndefined();
    expect(op(plan, 'create:attributeSet:HR')).toMatchObject({ body: { id: 'HR', description: 'HR data', maxAttributesPerSet: 10 } });
    expect(op(plan, 'create:domain:contoso.com')).toMatchObject({ body: { id: 'contoso.com' }, tier: 1 });
    expect(op(plan, 'create:domain:contoso.onmicrosoft.com')).toBeUndefined();
    assertTopological(plan);
  });
});

describe('conditional access in its recycle bin', () => {
  // Graph offers an application no restore from the CA bin (docs/graph-facts.md S392): the
  // policy is recreated like a missing one, created report-only and switched on afterwards.
  test('a deleted policy with an unresolvable reference is recreated report-only, never enabled', () => {
    const archive = sampleArchive();
    const ca = archive.objects.conditionalAccessPolicy![0]!;
    (ca['conditions'] as { users: { includeGroups: string[] } }).users.includeGroups = ['g-ghost'];
    const live = liveCopy(archive);
    live.objects.conditionalAccessPolicy = [];
    live.deleted = { conditionalAccessPolicy: [JSON.parse(JSON.stringify(ca))] };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    expect(plan.operations.some((o) => o.kind === 'restoreDeleted')).toBe(false);
    const create = op(plan, 'create:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['state']).toBe('enabledForReportingButNotEnforced');
    expect(op(plan, 'enable:conditionalAccessPolicy:ca-1')).toBeUndefined();
    expect(plan.reportOnly.map((r) => r.archivedId)).toEqual(['ca-1']);
  });

  test('a deleted policy whose references all resolve is recreated and then switched on', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.deleted = { conditionalAccessPolicy: live.objects.conditionalAccessPolicy! };
    live.objects.conditionalAccessPolicy = [];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    expect(plan.operations.map((o) => o.opId)).toEqual(['create:conditionalAccessPolicy:ca-1', 'enable:conditionalAccessPolicy:ca-1', 'verify']);
  });
});

describe('dependency cycles', () => {
  test('two apps exposing APIs to each other: the cycle is cut into a follow-up update', () => {
    const A = 'aaaaaaaa-0000-0000-0000-000000000001';
    const B = 'bbbbbbbb-0000-0000-0000-000000000002';
    const archive = sampleArchive();
    archive.objects.application = [
      { id: 'app-a', appId: A, displayName: 'A', requiredResourceAccess: [{ resourceAppId: B, resourceAccess: [] }] },
      { id: 'app-b', appId: B, displayName: 'B', requiredResourceAccess: [{ resourceAppId: A, resourceAccess: [] }] },
    ];
    archive.objects.servicePrincipal = [{ id: 'sp-a', appId: A }, { id: 'sp-b', appId: B }];
    archive.objects.extensionProperty = [];
    archive.objects.user = archive.objects.user!.map((u) => {
      const c = { ...u };
      delete c[EXT];
      return c;
    });
    (archive.objects.conditionalAccessPolicy![0]!['conditions'] as { applications: { includeApplications: string[] } }).applications.includeApplications = ['All'];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    assertTopological(plan);
    const followUps = plan.operations.filter((o) => o.kind === 'update' && o.type === 'application');
    expect(followUps).toHaveLength(1);
    const f = followUps[0] as Extract<Operation, { kind: 'update' }>;
    expect(Object.keys(f.body)).toEqual(['requiredResourceAccess']);
    expect(f.refs[0]).toMatchObject({ at: ['requiredResourceAccess', 0, 'resourceAppId'], by: 'appId' });
    const created = op(plan, `create:application:${f.archivedId}`) as Extract<Operation, { kind: 'create' }>;
    expect(created.body['requiredResourceAccess']).toBeUndefined();
  });
});

describe('PIM-backed role assignments', () => {
  const sched = (id: string, principalId: string, roleDefinitionId: string, end: string | null): DirObject => ({
    id, principalId, roleDefinitionId, directoryScopeId: '/', memberType: 'Direct', assignmentType: end ? 'Activated' : 'Assigned',
    scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: end ? { type: 'afterDateTime', endDateTime: end } : { type: 'noExpiration' } },
  });

  test('one write per grant: the schedule request creates the assignment it grants, in the assignment\'s tier', () => {
    const archive = sampleArchive();
    archive.objects.roleAssignmentSchedule = [sched('s-ga', 'u-admin', GA, null), sched('s-hd', 'u-bob', '729827e3-9c14-49f7-bb1b-9608f156bbb8', '2027-01-01T00:00:00Z')];
    archive.objects.roleEligibilitySchedule = [{ ...sched('e-ga', 'u-bob', GA, null), assignmentType: undefined } as DirObject];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    assertTopological(plan);
    expect(op(plan, 'create:roleAssignment:ra-ga')).toBeUndefined();
    expect(op(plan, 'create:roleAssignment:ra-hd')).toBeUndefined();
    const ga = op(plan, 'create:roleAssignmentSchedule:s-ga') as Extract<Operation, { kind: 'create' }>;
    expect(ga.tier).toBe(0);
    expect(ga.covers).toEqual([{ type: 'roleAssignment', archivedId: 'ra-ga' }]);
    expect(ga.dependsOn).toContain('create:user:u-admin');
    // a time-bound assignment keeps its end: the schedule request carries it
    const hd = op(plan, 'create:roleAssignmentSchedule:s-hd') as Extract<Operation, { kind: 'create' }>;
    expect(hd.covers).toEqual([{ type: 'roleAssignment', archivedId: 'ra-hd' }]);
    expect((hd.body['scheduleInfo'] as { expiration: { endDateTime: string } }).expiration.endDateTime).toBe('2027-01-01T00:00:00Z');
    // an eligibility is not an assignment: it keeps its own op and covers nothing
    const el = op(plan, 'create:roleEligibilitySchedule:e-ga') as Extract<Operation, { kind: 'create' }>;
    expect(el.covers).toBeUndefined();
  });

  test('an assignment without an archived schedule is still created directly', () => {
    const archive = sampleArchive();
    archive.objects.roleAssignmentSchedule = [sched('s-ga', 'u-admin', GA, null)];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(op(plan, 'create:roleAssignment:ra-hd')).toBeDefined();
    expect(op(plan, 'create:roleAssignment:ra-ga')).toBeUndefined();
  });
});

describe("the target tenant's own admin (issue 11 item 4)", () => {
  /** A fresh target whose initial admin `admin@fresh.onmicrosoft.com` holds Global Administrator. */
  function targetWithOwnAdmin() {
    const live = emptyLive();
    live.objects.user = [user('t-admin', 'admin@fresh.onmicrosoft.com', { displayName: 'Operator Admin' })];
    live.objects.roleAssignment = [{ id: 't-ra', principalId: 't-admin', roleDefinitionId: GA, directoryScopeId: '/' }];
    return live;
  }

  test('an archived admin whose remapped UPN is the target admin\'s is created under its own UPN; the target admin is never updated', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: targetWithOwnAdmin(), scenario: 'tenant-loss' });
    expect(plan.operations.some((o) => 'archivedId' in o && o.archivedId === 'u-admin' && o.kind === 'update')).toBe(false);
    expect(plan.idMap['u-admin']).toBeUndefined();
    const create = op(plan, 'create:user:u-admin') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['userPrincipalName']).toBe('admin-contoso@fresh.onmicrosoft.com');
    expect(create.tier).toBe(0);
    expect(plan.warnings.some((w) => w.includes('admin-contoso@fresh.onmicrosoft.com') && w.includes('never changed'))).toBe(true);
    expect(plan.operations.some((o) => o.kind === 'update' && o.type === 'user')).toBe(false);
  });

  test('a second run matches the restored admin under that UPN (no duplicate) and still leaves the target admin alone', () => {
    const live = targetWithOwnAdmin();
    live.objects.user!.push(user('t-restored', 'admin-contoso@fresh.onmicrosoft.com', { displayName: 'admin', mailNickname: 'admin' }));
    live.objects.roleAssignment!.push({ id: 't-ra2', principalId: 't-restored', roleDefinitionId: GA, directoryScopeId: '/' });
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.idMap['u-admin']).toBe('t-restored');
    expect(op(plan, 'create:user:u-admin')).toBeUndefined();
    expect(plan.operations.some((o) => o.kind === 'update' && o.type === 'user' && o.archivedId === 'u-admin')).toBe(false);
  });

  test('once the lost domain is verified, the admin restored beside the target admin is still matched (no duplicate)', () => {
    const live = targetWithOwnAdmin();
    live.verifiedDomains.push('contoso.com');
    live.objects.user!.push(user('t-restored', 'admin-contoso@fresh.onmicrosoft.com', { displayName: 'admin', mailNickname: 'admin' }));
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.idMap['u-admin']).toBe('t-restored');
    expect(op(plan, 'create:user:u-admin')).toBeUndefined();
  });

  test('a live admin with the archived admin\'s name under the remapped UPN is that admin restored earlier: it matches', () => {
    const live = emptyLive();
    live.objects.user = [user('t-same', 'admin@fresh.onmicrosoft.com', { displayName: 'admin' })];
    live.objects.roleAssignment = [{ id: 't-ra', principalId: 't-same', roleDefinitionId: GA, directoryScopeId: '/' }];
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.idMap['u-admin']).toBe('t-same');
  });
});

describe('authentication methods policy targets (issue 11 item 11)', () => {
  const campaign = (id: string): DirObject => ({
    id: 'authenticationMethodsPolicy',
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: {
      state: 'enabled', snoozeDurationInDays: 1,
      includeTargets: [{ id, targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }], excludeTargets: [],
    } },
  });
  const authenticator = (id: string): DirObject => ({
    id: 'MicrosoftAuthenticator', '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration', state: 'enabled',
    featureSettings: { displayAppInformationRequiredState: { state: 'enabled', includeTarget: { targetType: 'group', id }, excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' } } },
  });

  test('campaign and Authenticator feature targets naming a recreated group are remapped after it', () => {
    const archive = sampleArchive();
    archive.objects.authenticationMethodsPolicy = [campaign('g-sales')];
    archive.objects.authenticationMethodConfiguration = [authenticator('g-sales')];
    const live = emptyLive();
    // a fresh tenant has the singleton and the built-in method, targeting everyone
    live.objects.authenticationMethodsPolicy = [campaign('all_users')];
    live.objects.authenticationMethodConfiguration = [authenticator('all_users')];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    assertTopological(plan);
    const pol = plan.operations.find((o) => o.kind === 'update' && o.type === 'authenticationMethodsPolicy') as Extract<Operation, { kind: 'update' }>;
    expect(pol, 'policy update').toBeDefined();
    expect(pol.refs).toContainEqual({
      at: ['registrationEnforcement', 'authenticationMethodsRegistrationCampaign', 'includeTargets', 0, 'id'],
      by: 'id', archivedTargetId: 'g-sales', targetType: 'group',
    });
    expect(pol.dependsOn).toContain('create:group:g-sales');
    const auth = op(plan, 'update:authenticationMethodConfiguration:MicrosoftAuthenticator') as Extract<Operation, { kind: 'update' }>;
    expect(auth.refs).toEqual([{
      at: ['featureSettings', 'displayAppInformationRequiredState', 'includeTarget', 'id'],
      by: 'id', archivedTargetId: 'g-sales', targetType: 'group',
    }]);
    expect(auth.dependsOn).toContain('create:group:g-sales');
  });

  test('a campaign target naming a group the archive lacks is reported, never sent as the old id', () => {
    const archive = sampleArchive();
    archive.objects.authenticationMethodsPolicy = [campaign('g-ghost')];
    const live = emptyLive();
    live.objects.authenticationMethodsPolicy = [campaign('all_users')];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ type: 'authenticationMethodsPolicy', value: 'g-ghost' }));
  });
});

describe('objects scenario: what hangs off a restored object comes back with it (issue 11 item 5)', () => {
  test('a hard-deleted group brings back its app role assignment, and a user its role assignment; each is listed with the object that brought it', () => {
    const archive = sampleArchive();
    archive.objects.appRoleAssignment = [{ id: 'ara-sales', principalId: 'g-sales', principalType: 'Group', resourceId: 'sp-1', appRoleId: '00000000-0000-0000-0000-000000000000' }];
    const live = liveCopy(archive);
    // the group, its assignment and Bob's helpdesk role are gone from the target
    live.objects.group = [];
    live.objects.appRoleAssignment = [];
    live.objects.user = live.objects.user!.filter((u) => u.id !== 'u-bob');
    live.objects.roleAssignment = live.objects.roleAssignment!.filter((r) => r.id !== 'ra-hd');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g-sales', 'u-bob'] } });
    assertTopological(plan);
    expect(op(plan, 'create:appRoleAssignment:ara-sales')).toBeDefined();
    expect(op(plan, 'create:roleAssignment:ra-hd')).toBeDefined();
    expect(plan.included).toEqual(expect.arrayContaining([
      expect.objectContaining({ archivedId: 'ara-sales', type: 'appRoleAssignment', requiredBy: 'g-sales' }),
      expect.objectContaining({ archivedId: 'ra-hd', type: 'roleAssignment', requiredBy: 'u-bob' }),
    ]));
    // a grant of another, unselected object stays out
    expect(op(plan, 'create:roleAssignment:ra-ga')).toBeUndefined();
  });

  test('a grant the target still holds is not added again', () => {
    const archive = sampleArchive();
    archive.objects.appRoleAssignment = [{ id: 'ara-sales', principalId: 'g-sales', principalType: 'Group', resourceId: 'sp-1', appRoleId: '00000000-0000-0000-0000-000000000000' }];
    const live = liveCopy(archive);
    live.objects.group = [];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g-sales'] } });
    expect(plan.included?.some((i) => i.archivedId === 'ara-sales') ?? false).toBe(false);
  });
});

describe('objects scenario: live CA policies are re-linked to a recreated object (issue 11 item 5)', () => {
  test('a policy that named a hard-deleted group gets the recreated group added to its live value, keeps its live state and its other live changes, and is listed as included', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    live.objects.group = live.objects.group!.filter((g) => g.id !== 'g-sales');
    const ca = live.objects.conditionalAccessPolicy![0]!;
    // changed since the backup: Graph dropped the deleted group, an admin added a user and disabled the policy
    const users = (ca['conditions'] as { users: Record<string, unknown> }).users;
    users['includeGroups'] = [];
    users['includeUsers'] = ['u-bob'];
    ca['state'] = 'disabled';
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g-sales'] } });
    assertTopological(plan);
    const u = op(plan, 'update:conditionalAccessPolicy:ca-1') as Extract<Operation, { kind: 'update' }> | undefined;
    expect(u).toBeDefined();
    expect(Object.keys(u!.body)).toEqual(['conditions']);
    const written = (u!.body['conditions'] as { users: Record<string, unknown> }).users;
    expect(written['includeUsers']).toEqual(['u-bob']);
    expect(written['excludeUsers']).toEqual(['u-admin']);
    expect(u!.refs).toEqual([expect.objectContaining({ archivedTargetId: 'g-sales', at: ['conditions', 'users', 'includeGroups', 0] })]);
    expect(u!.dependsOn).toContain('create:group:g-sales');
    expect(plan.operations.some((o) => o.kind === 'enableConditionalAccess')).toBe(false);
    expect(plan.included).toContainEqual(expect.objectContaining({ archivedId: 'ca-1', type: 'conditionalAccessPolicy', requiredBy: 'g-sales' }));
  });

  test('a policy that still names a group restored from the recycle bin (same id) is left alone', () => {
    const archive = sampleArchive();
    const live = liveCopy(archive);
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g-sales'] } });
    expect(op(plan, 'update:conditionalAccessPolicy:ca-1')).toBeUndefined();
  });
});
