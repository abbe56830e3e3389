/**
 * The planner lets go of the archived users once it no longer reads them whole, when its caller
 * hands the archive over (src/restore/plan/release.ts; issue 17 item 1). The plan must be the
 * one the full archive gives: names in labels, the domain map, licences and sync anchors in the
 * manual steps, and the warning about values that embed the archived tenant, which is worked out
 * from the full users before they go. test/restore/planner-properties.test.ts checks the same over
 * generated tenants; these are users as Graph returns them.
 */
import { describe, expect, test } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { KEPT_USER_PROPERTIES, UserRelease } from '../../src/restore/plan/release.js';
import type { PlanContext } from '../../src/restore/plan/context.js';
import { setMemProbe } from '../../src/mem-probe.js';
import type { Relation } from '../../src/model.js';
import type { LiveState, Plan, ScenarioName } from '../../src/restore/types.js';
import { emptyLive, liveCopy, meta, sampleArchive, user } from './planner-fixtures.js';

/** A user with what Graph returns beside its keys: identities naming the archived initial domain, licences, a profile. */
function fullUser(id: string, local: string, extra: Partial<DirObject> = {}): DirObject {
  return user(id, `${local}@contoso.com`, {
    givenName: local, surname: 'Example', jobTitle: 'Analyst', department: 'Finance', city: 'Berlin', usageLocation: 'DE',
    mail: `${local}@contoso.com`, otherMails: [`${local}@example.org`], businessPhones: ['+49 30 1234'],
    identities: [{ signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: `${local}@contoso.onmicrosoft.com` }],
    assignedLicenses: [{ disabledPlans: [], skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df' }],
    passwordPolicies: 'DisablePasswordExpiration', employeeOrgData: { division: 'EMEA', costCenter: 'CC-1' },
    ...extra,
  });
}

function archiveWithUsers(): TenantData {
  const a = sampleArchive();
  a.objects.user = [
    ...(a.objects.user ?? []),
    fullUser('u-ann', 'ann'),
    fullUser('u-guest', 'guest', { userType: 'Guest', creationType: 'Invitation' }),
    fullUser('u-sync', 'sync', { onPremisesSyncEnabled: true, onPremisesImmutableId: 'imm-2', onPremisesSecurityIdentifier: 'S-1-5-21-2' }),
  ];
  a.relations.userManager = [{ kind: 'userManager', from: 'u-ann', to: 'u-bob', toType: 'user' }];
  (a.relations.groupMembers ??= []).push({ kind: 'groupMembers', from: 'g-sales', to: 'u-ann', toType: 'user' });
  return a;
}

/** The target: the archive itself with Ann's profile changed and the guest gone (updates and a create). */
function changedTarget(a: TenantData): LiveState {
  const live = liveCopy(a);
  live.objects.user = (live.objects.user ?? []).filter((u) => u.id !== 'u-guest').map((u) => (u.id === 'u-ann' ? { ...u, jobTitle: 'Manager', city: 'Paris' } : u));
  return live;
}

function plans(scenario: ScenarioName, live: (a: TenantData) => LiveState, selection?: { objectIds?: string[]; attributes?: string[] }): { kept: Plan; released: Plan; handed: TenantData } {
  const input = { archiveMeta: meta, scenario, ...(selection ? { selection } : {}) };
  const kept = buildPlan({ archive: archiveWithUsers(), live: live(archiveWithUsers()), ...input });
  const handed = archiveWithUsers();
  const released = buildPlan({ archive: handed, live: live(archiveWithUsers()), ...input, release: true });
  return { kept, released, handed };
}

describe('a plan over an archive handed over (release)', () => {
  test('tenant loss into another tenant: the same plan, with the warning about values naming the archived tenant', () => {
    const { kept, released, handed } = plans('tenant-loss', () => emptyLive());
    expect(released).toEqual(kept);
    // not vacuous: the created users' identities name the archived initial domain (the synced one is not created)
    expect(kept.warnings.some((w) => w.startsWith('Values embedding the archived tenant') && /identities \(2\)/.test(w))).toBe(true);
    expect(kept.operations.some((o) => o.kind === 'addRelation' && o.relation === 'userManager')).toBe(true);
    for (const u of handed.objects.user ?? []) expect(Object.keys(u).filter((k) => !KEPT_USER_PROPERTIES.has(k))).toEqual([]);
    // the kept properties are still there
    expect(handed.objects.user?.find((u) => u.id === 'u-sync')).toMatchObject({ onPremisesImmutableId: 'imm-2', displayName: 'sync' });
  });

  test.each<[ScenarioName, { objectIds?: string[]; attributes?: string[] } | undefined]>([
    ['all-admins-deleted', undefined],
    ['objects', { objectIds: ['u-ann', 'u-guest'] }],
    ['attributes', { objectIds: ['u-ann'], attributes: ['jobTitle', 'city'] }],
  ])('%s against a target that changed: the same plan', (scenario, selection) => {
    const { kept, released } = plans(scenario, changedTarget, selection);
    expect(released).toEqual(kept);
    expect(kept.operations.length).toBeGreaterThan(1);
  });

  test('a user the target lacks goes once its candidate is made; one the target has stays whole until the updates are resolved', () => {
    // the planner's memory mark after the candidates (src/mem-probe.ts) shows the handed-over archive then
    const handed = archiveWithUsers();
    const whole = (u: DirObject): boolean => Object.keys(u).some((k) => !KEPT_USER_PROPERTIES.has(k));
    const atCandidates = new Map<string, boolean>();
    setMemProbe((label) => {
      if (label === 'plan:candidates') for (const u of handed.objects.user ?? []) atCandidates.set(u.id, whole(u));
    });
    const input = { live: changedTarget(archiveWithUsers()), archiveMeta: meta, scenario: 'objects' as const, selection: { objectIds: ['u-ann', 'u-guest'] } };
    let released: Plan;
    try {
      released = buildPlan({ ...input, archive: handed, release: true });
    } finally {
      setMemProbe(undefined);
    }
    const kept = buildPlan({ ...input, archive: archiveWithUsers() });
    expect(released).toEqual(kept);
    // not vacuous: the guest is created, Ann's changed profile is written back
    expect(kept.operations.map((o) => o.opId)).toEqual(expect.arrayContaining(['create:user:u-guest', 'update:user:u-ann']));
    expect(atCandidates.get('u-guest')).toBe(false);
    expect(atCandidates.get('u-ann')).toBe(true);
    // outside the selection, and live: read by nothing, let go of with the rest
    expect(atCandidates.get('u-bob')).toBe(true);
    for (const u of handed.objects.user ?? []) expect(whole(u)).toBe(false);
  });

  test('a memory mark every 10,000 users let go of: a full collection in the CLI, where the whole users were the candidates\' garbage', () => {
    const users: DirObject[] = Array.from({ length: 20_001 }, (_, i) => ({ id: `u${i}`, displayName: `U ${i}`, jobTitle: 'Analyst' }));
    const ctx = { archive: { objects: { user: users } }, archivedById: new Map(), match: { entries: new Map(), tenantRewrites: [] } } as unknown as PlanContext;
    const marks: { label: string; slim: number }[] = [];
    setMemProbe((label) => marks.push({ label, slim: users.filter((u) => !('jobTitle' in u)).length }));
    try {
      const r = new UserRelease(ctx);
      for (const u of [...users]) r.early(u.id);
    } finally {
      setMemProbe(undefined);
    }
    // each mark comes once that many more users are slim, so their whole copies are garbage when it collects
    expect(marks).toEqual([{ label: 'plan:users-released', slim: 10_000 }, { label: 'plan:users-released', slim: 20_000 }]);
  });

  test('without release the archive is left as it was', () => {
    const a = archiveWithUsers();
    const before = JSON.stringify(a);
    buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(JSON.stringify(a)).toBe(before);
  });

  test('the relations: the same plan, and only the edges the manual steps still read are left', () => {
    // a device and an organizational contact in a group (neither can be created: their steps name
    // the groups), and a distribution list the target lacks (Exchange's: its step lists every member and owner)
    const build = (): TenantData => {
      const a = archiveWithUsers();
      a.objects.device = [{ id: 'd-1', displayName: 'Laptop 1', deviceId: 'dev-1', operatingSystem: 'Windows', operatingSystemVersion: '11', trustType: 'AzureAd', manufacturer: 'Contoso', model: 'X1', accountEnabled: true }];
      a.objects.orgContact = [{ id: 'c-1', displayName: 'Supplier Contact', mail: 'contact@supplier.example' }];
      a.objects.group = [...(a.objects.group ?? []), { id: 'g-dl', displayName: 'All Staff DL', mailNickname: 'allstaff', mailEnabled: true, securityEnabled: false, groupTypes: [] }];
      const e = (kind: 'groupMembers' | 'groupOwners', from: string, to: string, toType: Relation['toType']): Relation => ({ kind, from, to, toType });
      a.relations.groupMembers = [...(a.relations.groupMembers ?? []), e('groupMembers', 'g-sales', 'd-1', 'device'), e('groupMembers', 'g-sales', 'c-1', 'orgContact'), e('groupMembers', 'g-dl', 'u-ann', 'user'), e('groupMembers', 'g-dl', 'u-bob', 'user')];
      a.relations.groupOwners = [e('groupOwners', 'g-dl', 'u-admin', 'user'), e('groupOwners', 'g-sales', 'u-admin', 'user')];
      return a;
    };
    const input = { archiveMeta: meta, scenario: 'tenant-loss' as const };
    const kept = buildPlan({ archive: build(), live: emptyLive(), ...input });
    const handed = build();
    const released = buildPlan({ archive: handed, live: emptyLive(), ...input, release: true });
    expect(released).toEqual(kept);
    // not vacuous: each step names what only the archive's edges tell
    const instructions = kept.manualSteps.map((m) => m.instructions).join('\n');
    expect(instructions).toMatch(/Laptop 1 .*member of Sales/);
    expect(instructions).toMatch(/Supplier Contact/);
    expect(instructions).toMatch(/All Staff DL/);
    expect(kept.manualSteps.some((m) => /All Staff DL/.test(m.instructions) && /ann@contoso\.com/.test(m.instructions) && /admin@contoso\.com/.test(m.instructions))).toBe(true);
    // what is left: the device's and the contact's memberships, the distribution list's members and owner
    const ends = (k: 'groupMembers' | 'groupOwners') => (handed.relations[k] ?? []).map((r) => `${r.from}>${r.to}`).sort();
    expect(ends('groupMembers')).toEqual(['g-dl>u-ann', 'g-dl>u-bob', 'g-sales>c-1', 'g-sales>d-1']);
    expect(ends('groupOwners')).toEqual(['g-dl>u-admin']);
    expect(Object.keys(handed.relations).sort()).toEqual(['groupMembers', 'groupOwners']);
  });
});
