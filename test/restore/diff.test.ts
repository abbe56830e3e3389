import { describe, expect, test } from 'vitest';
import { diffTenant } from '../../src/restore/diff.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { LiveState } from '../../src/restore/types.js';
import { APP_ID, EXT, liveCopy, sampleArchive } from './planner-fixtures.js';

/** The same tenant rebuilt elsewhere: every object id and appId is new, references follow. */
function rebuilt(a: TenantData): LiveState {
  const json = JSON.stringify(a);
  const ids = new Map<string, string>();
  for (const objs of Object.values(a.objects)) for (const o of objs ?? []) ids.set(o.id, `new-${o.id}`);
  const newAppId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  let s = json;
  for (const [o, n] of ids) s = s.split(`"${o}"`).join(`"${n}"`);
  s = s.split(APP_ID).join(newAppId).split(APP_ID.replace(/-/g, '')).join(newAppId.replace(/-/g, ''));
  s = s.split('@contoso.com').join('@CONTOSO.com');
  const t = JSON.parse(s) as TenantData;
  return { ...t, tenantId: 'tenant-b', deleted: {}, verifiedDomains: ['contoso.com'] };
}

describe('diffTenant', () => {
  test('identical tenant diffs equal everywhere', () => {
    const a = sampleArchive();
    const d = diffTenant(a, liveCopy(a));
    expect(d.counts).toEqual({ equal: d.objects.length, changed: 0, softDeleted: 0, missing: 0, extra: 0 });
    expect(d.relations.every((r) => r.status === 'equal')).toBe(true);
  });

  test('a rebuilt tenant with new ids and appIds diffs equal (natural keys + remapped references)', () => {
    const a = sampleArchive();
    const live = rebuilt(a);
    const d = diffTenant(a, live);
    const notEqual = d.objects.filter((o) => o.status !== 'equal');
    expect(notEqual).toEqual([]);
    expect(d.objects.find((o) => o.archivedId === 'u-bob')).toMatchObject({ liveId: 'new-u-bob', matchedBy: 'naturalKey' });
    expect(d.relations).toEqual([expect.objectContaining({ kind: 'groupMembers', status: 'equal' })]);
  });

  test('two archived objects of one name match the two live ones, not one of them twice', () => {
    // Graph's own example creates a lifecycle workflow or CA policy of a name another already has:
    // the second archived one must match the second live one (else it reads as missing, and a
    // re-run of the restore creates it a third time)
    const a = sampleArchive();
    const ca = a.objects.conditionalAccessPolicy![0]!;
    a.objects.conditionalAccessPolicy = [ca, { ...ca, id: 'ca-2', state: 'disabled' }];
    const live = rebuilt(a);
    const d = diffTenant(a, live);
    const cas = d.objects.filter((o) => o.type === 'conditionalAccessPolicy');
    expect(cas.map((o) => [o.archivedId, o.status, o.liveId])).toEqual([['ca-1', 'equal', 'new-ca-1'], ['ca-2', 'equal', 'new-ca-2']]);
    // each pairs with its own copy, whatever order the target's ids put them in
    const swapped = { ...live, objects: { ...live.objects, conditionalAccessPolicy: live.objects.conditionalAccessPolicy!.map((p) => ({ ...p, id: p.id === 'new-ca-1' ? 'z-second' : 'a-first' })) } };
    expect(diffTenant(a, swapped).objects.filter((o) => o.type === 'conditionalAccessPolicy').map((o) => [o.archivedId, o.status, o.liveId])).toEqual([['ca-1', 'equal', 'z-second'], ['ca-2', 'equal', 'a-first']]);
    // one live copy only: the second archived policy is missing, never matched to the first's copy
    const one = { ...live, objects: { ...live.objects, conditionalAccessPolicy: live.objects.conditionalAccessPolicy!.slice(0, 1) } };
    expect(diffTenant(a, one).objects.filter((o) => o.type === 'conditionalAccessPolicy').map((o) => o.status)).toEqual(['equal', 'missing']);
  });

  test('a changed writable attribute is reported; read-only ones are not', () => {
    const a = sampleArchive();
    const live = liveCopy(a);
    const bob = live.objects.user!.find((u) => u.id === 'u-bob') as DirObject;
    bob['jobTitle'] = 'Intern';
    bob['createdDateTime'] = '2030-01-01T00:00:00Z';
    bob[EXT] = 'CC-1';
    const d = diffTenant(a, live);
    const o = d.objects.find((x) => x.archivedId === 'u-bob')!;
    expect(o.status).toBe('changed');
    expect(o.changes!.map((c) => c.property)).toEqual([EXT, 'jobTitle']);
    expect(o.changes!.find((c) => c.property === 'jobTitle')).toEqual({ property: 'jobTitle', archived: 'Sales', live: 'Intern' });
  });

  test('key order and null-vs-absent do not count as changes', () => {
    const a = sampleArchive();
    const live = liveCopy(a);
    const ca = live.objects.conditionalAccessPolicy![0]!;
    const g = ca['grantControls'] as Record<string, unknown>;
    ca['grantControls'] = { builtInControls: g['builtInControls'], operator: g['operator'], authenticationStrength: null } as never;
    live.objects.user![0]!['officeLocation'] = null;
    const d = diffTenant(a, live);
    expect(d.counts.changed).toBe(0);
  });

  test('soft-deleted, missing and extra', () => {
    const a = sampleArchive();
    const live = liveCopy(a);
    const bob = live.objects.user!.find((u) => u.id === 'u-bob')!;
    live.objects.user = live.objects.user!.filter((u) => u.id !== 'u-bob' && u.id !== 'u-admin');
    live.deleted = { user: [bob] };
    live.relations.groupMembers = [];
    live.objects.group!.push({ id: 'g-new', displayName: 'New', mailNickname: 'new' });
    const d = diffTenant(a, live);
    const status = (id: string) => d.objects.find((o) => o.archivedId === id || o.liveId === id)!.status;
    expect(status('u-bob')).toBe('softDeleted');
    expect(status('u-admin')).toBe('missing');
    expect(status('g-new')).toBe('extra');
    expect(d.counts.extra).toBe(1);
    expect(d.relations.find((r) => r.edge.to === 'u-bob')!.status).toBe('missing');
  });

  test('UPN match is case-insensitive and tolerant of the domain remap', () => {
    const a = sampleArchive();
    const live: LiveState = {
      tenantId: 't', initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: [],
      objects: { user: [{ id: 'x1', userPrincipalName: 'BOB@fresh.onmicrosoft.com', displayName: 'bob' }] },
    };
    const d = diffTenant(a, live, { types: ['user'] });
    expect(d.objects.find((o) => o.archivedId === 'u-bob')).toMatchObject({ liveId: 'x1', matchedBy: 'naturalKey' });
    expect(d.objects.every((o) => o.type === 'user')).toBe(true);
  });

  test('hybrid user matched by onPremisesImmutableId', () => {
    const a = sampleArchive();
    const live = liveCopy(a);
    live.objects.user = live.objects.user!.map((u) => (u.id === 'u-hyb' ? { ...u, id: 'h2', userPrincipalName: 'renamed@contoso.com' } : u));
    const d = diffTenant(a, live);
    expect(d.objects.find((o) => o.archivedId === 'u-hyb')).toMatchObject({ liveId: 'h2', matchedBy: 'onPremisesAnchor', onPremisesSynced: true });
  });

  test('a CA policy naming a recreated custom role by template id diffs equal (issue 11 item 2)', () => {
    const a = sampleArchive();
    a.objects.roleDefinition = [{ id: 'cr-1', templateId: 'cr-1', displayName: 'Custom', isBuiltIn: false }];
    (a.objects.conditionalAccessPolicy![0]!['conditions'] as { users: { includeRoles: string[] } }).users.includeRoles = ['cr-1'];
    const live = liveCopy(a);
    // recreated: a new id, the archived templateId kept; the policy still names the template
    live.objects.roleDefinition = [{ id: 'live-cr', templateId: 'cr-1', displayName: 'Custom', isBuiltIn: false }];
    const d = diffTenant(a, live);
    expect(d.objects.find((x) => x.type === 'roleDefinition')).toMatchObject({ status: 'equal', liveId: 'live-cr' });
    expect(d.objects.find((x) => x.type === 'conditionalAccessPolicy')).toMatchObject({ status: 'equal' });
  });

  test('singletons match whatever their id', () => {
    const a = sampleArchive();
    a.objects.authorizationPolicy = [{ id: 'authorizationPolicy', allowInvitesFrom: 'everyone' }];
    const live = liveCopy(a);
    live.objects.authorizationPolicy = [{ id: 'other', allowInvitesFrom: 'adminsAndGuestInviters' }];
    const d = diffTenant(a, live);
    const o = d.objects.find((x) => x.type === 'authorizationPolicy')!;
    expect(o).toMatchObject({ status: 'changed', liveId: 'other' });
  });
});
