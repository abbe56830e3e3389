/**
 * docs/reliability.md 17, 18, 22 as fast-check properties over generated small tenants and a
 * random live state derived from them (objects deleted, soft-deleted, changed, rebuilt
 * with new ids).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { descriptor } from '../../src/catalog/index.js';
import type { ResourceType } from '../../src/catalog/types.js';
import type { DirObject, Relation, TenantData } from '../../src/model.js';
import { diffTenant } from '../../src/restore/diff.js';
import { restoresFromBin } from '../../src/restore/catalog.js';
import { findValues } from '../../src/restore/json.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { KEPT_USER_PROPERTIES } from '../../src/restore/plan/release.js';
import { BOOTSTRAP_WHOLE_TYPES, bootstrapArchive, buildBootstrapPlan } from '../../src/restore/plan/bootstrap.js';
import type { LiveState, Operation, Plan, ScenarioName } from '../../src/restore/types.js';
import { GA, HELPDESK, meta } from './planner-fixtures.js';

type Fate = 'same' | 'changed' | 'soft' | 'hard' | 'rebuilt';

const arbSpec = fc.record({
  users: fc.array(fc.record({ synced: fc.boolean(), ext: fc.boolean(), unverified: fc.boolean() }), { minLength: 1, maxLength: 6 }),
  groups: fc.array(
    fc.record({
      unified: fc.boolean(),
      roleAssignable: fc.boolean(),
      members: fc.array(fc.nat(20), { maxLength: 4 }),
      owners: fc.array(fc.nat(20), { maxLength: 2 }),
    }),
    { maxLength: 4 },
  ),
  apps: fc.array(fc.record({ sp: fc.boolean(), requires: fc.option(fc.nat(5), { nil: undefined }) }), { maxLength: 3 }),
  roles: fc.array(fc.record({ principal: fc.nat(20), group: fc.boolean(), ga: fc.boolean() }), { maxLength: 4 }),
  cas: fc.array(
    fc.record({
      state: fc.constantFrom('enabled', 'disabled', 'enabledForReportingButNotEnforced'),
      users: fc.array(fc.nat(20), { maxLength: 2 }),
      groups: fc.array(fc.nat(20), { maxLength: 2 }),
      apps: fc.array(fc.nat(20), { maxLength: 2 }),
      ghost: fc.boolean(),
      location: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  managers: fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 3 }),
  fates: fc.array(fc.constantFrom<Fate>('same', 'changed', 'soft', 'hard', 'rebuilt'), { minLength: 64, maxLength: 64 }),
  scenario: fc.constantFrom<ScenarioName>('tenant-loss', 'all-admins-deleted', 'objects', 'attributes'),
  pick: fc.array(fc.nat(40), { maxLength: 4 }),
  preferRecycleBin: fc.boolean(),
});
type Spec = typeof arbSpec extends fc.Arbitrary<infer T> ? T : never;

const hex = (n: number): string => n.toString(16).padStart(12, '0');
const appIdOf = (i: number): string => `0000000${i}-0000-0000-0000-${hex(i + 1)}`;

function buildArchive(s: Spec): TenantData {
  const pick = <T>(arr: T[], n: number): T | undefined => (arr.length ? arr[n % arr.length] : undefined);
  const apps: DirObject[] = s.apps.map((a, i) => ({ id: `app-${i}`, appId: appIdOf(i), displayName: `App ${i}` }));
  s.apps.forEach((a, i) => {
    if (a.requires !== undefined && apps.length) {
      apps[i]!['requiredResourceAccess'] = [{ resourceAppId: appIdOf(a.requires % apps.length), resourceAccess: [] }];
    }
  });
  const sps: DirObject[] = s.apps.flatMap((a, i) => (a.sp ? [{ id: `sp-${i}`, appId: appIdOf(i), displayName: `App ${i}` }] : []));
  const ext = apps.length ? `extension_${appIdOf(0).replace(/-/g, '')}_dept` : undefined;
  const exts: DirObject[] = ext ? [{ id: 'ext-0', name: ext, dataType: 'String', targetObjects: ['User'] }] : [];
  const users: DirObject[] = s.users.map((u, i) => {
    const o: DirObject = {
      id: `u-${i}`, userPrincipalName: `user${i}@${u.unverified ? 'contoso.com' : 'contoso.onmicrosoft.com'}`,
      displayName: `User ${i}`, accountEnabled: true, mailNickname: `user${i}`, createdDateTime: '2025-01-01T00:00:00Z',
    };
    if (u.synced) Object.assign(o, { onPremisesSyncEnabled: true, onPremisesImmutableId: `imm-${i}` });
    if (u.ext && ext) o[ext] = `d${i}`;
    return o;
  });
  const groups: DirObject[] = s.groups.map((g, i) => ({
    id: `g-${i}`, displayName: `Group ${i}`, mailNickname: `group${i}`, mailEnabled: g.unified, securityEnabled: !g.unified,
    groupTypes: g.unified ? ['Unified'] : [], ...(g.roleAssignable && !g.unified ? { isAssignableToRole: true } : {}),
  }));
  const roleAssignments: DirObject[] = s.roles.flatMap((r, i) => {
    const p = r.group ? pick(groups, r.principal) : pick(users, r.principal);
    return p ? [{ id: `ra-${i}`, principalId: p.id, roleDefinitionId: r.ga ? GA : HELPDESK, directoryScopeId: '/' }] : [];
  });
  const locations: DirObject[] = [{ id: 'nl-0', '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: 'HQ', ipRanges: [] }];
  const cas: DirObject[] = s.cas.map((c, i) => ({
    id: `ca-${i}`, displayName: `Policy ${i}`, state: c.state,
    conditions: {
      users: {
        includeUsers: [...new Set(c.users.map((n) => pick(users, n)?.id).filter((x): x is string => !!x)), ...(c.ghost ? ['u-ghost'] : [])],
        includeGroups: [...new Set(c.groups.map((n) => pick(groups, n)?.id).filter((x): x is string => !!x))],
        includeRoles: [GA],
      },
      applications: { includeApplications: [...new Set(c.apps.map((n) => pick(sps, n)?.['appId'] as string | undefined).filter((x): x is string => !!x)), 'Office365'] },
      locations: c.location ? { includeLocations: ['All'], excludeLocations: ['nl-0'] } : null,
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  }));
  const edges = (kind: Relation['kind'], list: [DirObject | undefined, DirObject | undefined, ResourceType][]): Relation[] => {
    const seen = new Set<string>();
    const out: Relation[] = [];
    for (const [f, t, tt] of list) {
      if (!f || !t || f.id === t.id || seen.has(`${f.id}|${t.id}`)) continue;
      seen.add(`${f.id}|${t.id}`);
      out.push({ kind, from: f.id, to: t.id, toType: tt });
    }
    return out;
  };
  const members = edges('groupMembers', s.groups.flatMap((g, i) => g.members.map((m): [DirObject | undefined, DirObject | undefined, ResourceType] => [groups[i], pick(users, m), 'user'])));
  const owners = edges('groupOwners', s.groups.flatMap((g, i) => g.owners.map((m): [DirObject | undefined, DirObject | undefined, ResourceType] => [groups[i], pick(users, m), 'user'])));
  const managers = edges('userManager', s.managers.map(([a, b]): [DirObject | undefined, DirObject | undefined, ResourceType] => [pick(users, a), pick(users, b), 'user']));
  const single = new Map(managers.map((m) => [m.from, m]));
  return {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com',
    objects: {
      user: users, group: groups, application: apps, extensionProperty: exts, servicePrincipal: sps,
      roleAssignment: roleAssignments, namedLocation: locations, conditionalAccessPolicy: cas,
    },
    relations: { groupMembers: members, groupOwners: owners, userManager: [...single.values()] },
  };
}

function softDeletable(type: ResourceType, o: DirObject): boolean {
  const sd = descriptor(type).softDelete;
  if (sd === 'recycleBin' || sd === 'caDeletedItems' || sd === 'lifecycleDeletedItems') return true;
  if (sd === 'recycleBinIfUnified') return Array.isArray(o['groupTypes']) && (o['groupTypes'] as string[]).includes('Unified');
  return false;
}

function deriveLive(a: TenantData, fates: Fate[]): LiveState {
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', objects: {}, relations: {}, deleted: {},
    verifiedDomains: ['contoso.onmicrosoft.com'],
  };
  const liveId = new Map<string, string>();
  let n = 0;
  for (const [type, objs] of Object.entries(a.objects) as [ResourceType, DirObject[]][]) {
    for (const o of objs) {
      const fate = fates[n++ % fates.length] as Fate;
      const copy = JSON.parse(JSON.stringify(o)) as DirObject;
      if (fate === 'hard' || (fate === 'soft' && !softDeletable(type, o))) continue;
      if (fate === 'soft') {
        (live.deleted[type] ??= []).push(copy);
        continue;
      }
      if (fate === 'changed') copy['displayName'] = `${String(o['displayName'] ?? o.id)} (edited)`;
      if (fate === 'rebuilt') copy.id = `r-${o.id}`;
      liveId.set(o.id, copy.id);
      (live.objects[type] ??= []).push(copy);
    }
  }
  for (const [kind, edges] of Object.entries(a.relations) as [Relation['kind'], Relation[]][]) {
    live.relations[kind] = edges
      .filter((e) => liveId.has(e.from) && liveId.has(e.to))
      .map((e) => ({ ...e, from: liveId.get(e.from) as string, to: liveId.get(e.to) as string }));
  }
  return live;
}

function reversed(t: TenantData): TenantData {
  const objects: TenantData['objects'] = {};
  for (const k of Object.keys(t.objects).reverse() as ResourceType[]) objects[k] = [...(t.objects[k] ?? [])].reverse();
  const relations: TenantData['relations'] = {};
  for (const k of Object.keys(t.relations).reverse() as Relation['kind'][]) relations[k] = [...(t.relations[k] ?? [])].reverse();
  return { ...t, objects, relations };
}

function planFor(s: Spec, archive: TenantData, live: LiveState): Plan {
  const ids = Object.values(archive.objects).flatMap((l) => (l ?? []).map((o) => o.id)).sort();
  const selection = { objectIds: s.pick.map((p) => ids[p % ids.length] as string), attributes: ['displayName', 'conditions'] };
  return buildPlan({ archive, archiveMeta: meta, live, scenario: s.scenario, selection, options: { preferRecycleBin: s.preferRecycleBin } });
}

function archivedIndex(a: TenantData): Map<string, { type: ResourceType; obj: DirObject }> {
  const m = new Map<string, { type: ResourceType; obj: DirObject }>();
  for (const [type, objs] of Object.entries(a.objects) as [ResourceType, DirObject[]][]) for (const o of objs) m.set(o.id, { type, obj: o });
  return m;
}

/** Every archived reference in a create/update body is a live value, a RefSlot, or reported. */
function checkReferences(plan: Plan, archive: TenantData): void {
  const idx = archivedIndex(archive);
  // appId → archived application and service principal ids carrying it
  const byAppId = new Map<string, string[]>();
  for (const t of ['application', 'servicePrincipal'] as const) {
    for (const o of archive.objects[t] ?? []) byAppId.set(o['appId'] as string, [...(byAppId.get(o['appId'] as string) ?? []), o.id]);
  }
  for (const op of plan.operations) {
    if (op.kind !== 'create' && op.kind !== 'update') continue;
    const archived = idx.get(op.archivedId)!.obj;
    const reported = (v: string): boolean => plan.unresolved.some((u) => u.opId === op.opId && u.value === v);
    for (const rule of descriptor(op.type).references) {
      if (rule.by === 'extensionName') {
        for (const key of Object.keys(archived).filter((k) => k.startsWith('extension_'))) {
          if (op.kind === 'update' && !op.changes.some((c) => c.property.endsWith(key.slice(-5)))) continue;
          const slot = (o: Operation): boolean => (o.kind === 'create' || o.kind === 'update') && o.archivedId === op.archivedId && o.refs.some((r) => r.at[0] === '$name' && r.at[1] === key);
          const ok = reported(key) || plan.operations.some(slot) ||
            Object.keys(op.body).some((k) => k.startsWith('extension_') && k.endsWith(key.slice(key.lastIndexOf('_'))));
          expect(ok, `${op.opId} ${key}`).toBe(true);
        }
        continue;
      }
      const top = rule.path.split('.')[0] as string;
      if (op.kind === 'update' && !(top in op.body)) continue;
      for (const f of findValues(archived as never, rule.path)) {
        const v = f.value;
        if (rule.specialValues?.includes(v)) continue;
        const targets = rule.by === 'appId' ? (byAppId.get(v) ?? []) : [rule.by === 'directoryScope' ? v.replace(/^\/(administrativeUnits\/)?/, '') : v];
        const mapped = rule.by === 'appId' ? (plan.appIdMap[v] ?? v) : (plan.idMap[v] ?? v);
        const inBody = findValues(op.body, rule.path).some((x) => x.value === mapped || x.value === v);
        const slotted = op.refs.some((r) => targets.includes(r.archivedTargetId));
        // A slot lives only where the value still sits in the body; a cut reference moved to a follow-up op.
        const followUp = plan.operations.some((x) => x.kind === 'update' && x.archivedId === op.archivedId && x.opId !== op.opId && x.refs.some((r) => targets.includes(r.archivedTargetId)));
        const ok = reported(v) || slotted || inBody || followUp;
        expect(ok, `${op.opId} ${rule.path}=${v}`).toBe(true);
        // A value that names an object this plan recreates must be a slot, never the stale archived id.
        if (rule.by === 'id' && idx.has(v) && plan.idMap[v] === undefined && !reported(v)) {
          const recreated = plan.operations.some((o) => o.kind === 'create' && o.archivedId === v);
          if (recreated) expect(slotted, `${op.opId} ${rule.path}=${v} must be a slot`).toBe(true);
        }
      }
    }
  }
}

function checkPlan(s: Spec, archive: TenantData, live: LiveState, plan: Plan): void {
  // docs/reliability.md 17: every op after what it depends on; no cycles; unique ids.
  const pos = new Map<string, number>();
  plan.operations.forEach((o, i) => {
    expect(pos.has(o.opId), `duplicate ${o.opId}`).toBe(false);
    pos.set(o.opId, i);
  });
  plan.operations.forEach((o, i) => {
    for (const d of o.dependsOn) {
      expect(pos.has(d), `${o.opId} → unknown ${d}`).toBe(true);
      expect(pos.get(d)!, `${o.opId} after ${d}`).toBeLessThan(i);
    }
    if (i > 0) expect(o.tier).toBeGreaterThanOrEqual(plan.operations[i - 1]!.tier);
  });
  expect(plan.operations.at(-1)!.kind).toBe('verify');
  checkReferences(plan, archive);

  // docs/reliability.md 18: recycle bin first, where a restore takes objects back from that bin:
  // never the Conditional Access bin, which Graph does not open to an application (S392)
  const created = new Set(plan.operations.filter((o) => o.kind === 'create').map((o) => (o as { archivedId: string }).archivedId));
  const restored = new Set(plan.operations.filter((o) => o.kind === 'restoreDeleted').map((o) => (o as { archivedId: string }).archivedId));
  for (const [type, objs] of Object.entries(live.deleted) as [ResourceType, DirObject[] | undefined][]) {
    if (!restoresFromBin(descriptor(type))) {
      for (const o of objs ?? []) expect(restored.has(o.id), `${type} ${o.id} taken from the CA bin`).toBe(false);
      continue;
    }
    for (const o of objs ?? []) {
      // a service principal's deleted copy keeps its appId: when its application is gone for good
      // (recreated with a new appId), the principal is recreated for the new one, never restored
      // as an orphan (src/restore/diff.ts binCopyUsable)
      const app = type === 'servicePrincipal' ? (archive.objects.application ?? []).find((a) => a['appId'] === o['appId']) : undefined;
      const orphan = app !== undefined && !(live.objects.application ?? []).some((l) => l['appId'] === o['appId']) && !(live.deleted.application ?? []).some((d) => d.id === app.id);
      if (orphan) {
        expect(restored.has(o.id), `orphaned ${o.id} restored from the bin`).toBe(false);
        continue;
      }
      if (s.preferRecycleBin) expect(created.has(o.id), `soft-deleted ${o.id} recreated`).toBe(false);
      if (s.preferRecycleBin && (s.scenario === 'tenant-loss' || s.scenario === 'all-admins-deleted')) {
        expect(restored.has(o.id), `soft-deleted ${o.id} not restored`).toBe(true);
      }
    }
  }
  // Full scenarios: everything missing is created, restored, blocked (reported) or skipped (reported).
  if (s.scenario === 'tenant-loss' || s.scenario === 'all-admins-deleted') {
    const diff = diffTenant(archive, live);
    for (const d of diff.objects) {
      if (d.status !== 'missing' && d.status !== 'softDeleted') continue;
      const id = d.archivedId!;
      const accounted = created.has(id) || restored.has(id) || plan.skipped?.some((x) => x.archivedId === id);
      expect(accounted, `${d.type} ${id} (${d.status}) not accounted for`).toBe(true);
    }
  }
  // docs/reliability.md 22: CA bodies report-only; enable only when nothing is unresolved.
  // Issue 11 item 7: a disabled policy is written disabled and switched to nothing else.
  const caState = new Map((archive.objects.conditionalAccessPolicy ?? []).map((c) => [c.id, c['state']] as const));
  for (const o of plan.operations) {
    if (o.kind === 'create' && o.type === 'conditionalAccessPolicy') {
      expect(o.body['state']).toBe(caState.get(o.archivedId) === 'disabled' ? 'disabled' : 'enabledForReportingButNotEnforced');
    }
    if (o.kind === 'update' && o.type === 'conditionalAccessPolicy' && plan.included?.some((x) => x.archivedId === o.archivedId)) {
      // issue 11 item 5: an unselected live policy re-linked to a recreated object keeps its
      // live state: only the reference-bearing properties are written, and it is never switched
      expect(o.body['state']).toBeUndefined();
      expect(plan.operations.some((e) => e.kind === 'enableConditionalAccess' && e.archivedId === o.archivedId)).toBe(false);
    } else if (o.kind === 'update' && o.type === 'conditionalAccessPolicy') {
      expect(o.body['state']).toBe('enabledForReportingButNotEnforced');
    }
    if (o.kind === 'enableConditionalAccess') {
      expect(o.state).toBe(caState.get(o.archivedId));
      // a disabled policy may lose an unresolvable reference (dropped, reported); an enabled one never
      const allowed = o.state === 'disabled' ? ['dropped'] : [];
      for (const u of plan.unresolved.filter((x) => x.archivedId === o.archivedId)) expect(allowed).toContain(u.effect);
      expect(plan.reportOnly.some((r) => r.archivedId === o.archivedId)).toBe(false);
      const own = plan.operations.filter((x) => (x.kind === 'create' || x.kind === 'update' || x.kind === 'restoreDeleted') && x.type === 'conditionalAccessPolicy' && x.archivedId === o.archivedId);
      for (const x of own) expect(o.dependsOn).toContain(x.opId);
    }
  }
  for (const u of plan.unresolved) {
    if (u.type === 'conditionalAccessPolicy' && caState.get(u.archivedId) !== 'disabled') {
      expect(u.effect).toBe('keptReportOnly');
      expect(plan.operations.some((o) => o.kind === 'enableConditionalAccess' && o.archivedId === u.archivedId)).toBe(false);
    }
    if (u.type === 'conditionalAccessPolicy' && caState.get(u.archivedId) === 'disabled') {
      expect(u.effect).toBe('dropped');
      expect(plan.reportOnly.some((r) => r.archivedId === u.archivedId)).toBe(false);
    }
  }
  if (s.scenario === 'attributes') {
    for (const o of plan.operations) expect(['update', 'enableConditionalAccess', 'verify']).toContain(o.kind);
  }
  if (s.scenario === 'objects' || s.scenario === 'attributes') {
    expect(plan.operations.some((o) => o.kind === 'createBreakGlassAdmin')).toBe(false);
  }
}

describe('planner properties (docs/reliability.md 17, 18, 22)', () => {
  test('ordering, references, recycle bin first, CA never enabled with an unresolved reference', () => {
    fc.assert(
      fc.property(arbSpec, (s) => {
        const archive = buildArchive(s);
        const live = deriveLive(archive, s.fates);
        const plan = planFor(s, archive, live);
        checkPlan(s, archive, live, plan);
      }),
      { numRuns: 300 },
    );
  });

  test('same input → deep-equal plan, whatever the order of the input arrays', () => {
    fc.assert(
      fc.property(arbSpec, (s) => {
        const archive = buildArchive(s);
        const live = deriveLive(archive, s.fates);
        const a = planFor(s, archive, live);
        const b = planFor(s, archive, live);
        expect(b).toEqual(a);
        const c = planFor(s, reversed(archive), { ...reversed(live), deleted: live.deleted, verifiedDomains: live.verifiedDomains });
        expect(c).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });

  test('an archive handed over (release) gives the same plan, and keeps only slim users (src/restore/plan/release.ts)', () => {
    fc.assert(
      fc.property(arbSpec, (s) => {
        const archive = buildArchive(s);
        const live = deriveLive(archive, s.fates);
        const ids = Object.values(archive.objects).flatMap((l) => (l ?? []).map((o) => o.id)).sort();
        const selection = { objectIds: s.pick.map((p) => ids[p % ids.length] as string), attributes: ['displayName', 'conditions'] };
        const input = { archiveMeta: meta, live, scenario: s.scenario, selection, options: { preferRecycleBin: s.preferRecycleBin } };
        const handed = JSON.parse(JSON.stringify(archive)) as TenantData;
        const kept = buildPlan({ archive, ...input });
        expect(buildPlan({ archive: handed, ...input, release: true })).toEqual(kept);
        for (const u of handed.objects.user ?? []) expect(Object.keys(u).every((k) => KEPT_USER_PROPERTIES.has(k))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  test('the input is not mutated', () => {
    fc.assert(
      fc.property(arbSpec, (s) => {
        const archive = buildArchive(s);
        const live = deriveLive(archive, s.fates);
        const before = JSON.stringify([archive, live]);
        planFor(s, archive, live);
        expect(JSON.stringify([archive, live])).toBe(before);
      }),
      { numRuns: 50 },
    );
  });
});

export type { Operation };

/**
 * What the bootstrap phase's narrow read of the target (src/restore/live-bootstrap.ts) returns,
 * modelled on a whole live state: the small types whole, the archived Global Administrators'
 * users and groups found by id or by a natural key the planner matches on, their recycle-bin
 * entries by id, the users live role assignments name, and the found groups' user members.
 */
function narrowLive(archive: TenantData, live: LiveState): LiveState {
  const sub = bootstrapArchive(archive);
  const wanted = (t: 'user' | 'group'): DirObject[] => sub.objects[t] ?? [];
  const keys = (t: 'user' | 'group', o: DirObject): string[] => {
    const out = [o.id];
    for (const p of descriptor(t).naturalKey) if (typeof o[p] === 'string' && p !== 'uniqueName') out.push(`${p}=${String(o[p]).toLowerCase()}`);
    if (t === 'user' && typeof o['userPrincipalName'] === 'string') {
      const upn = String(o['userPrincipalName']);
      const local = upn.split('@')[0]!;
      out.push(`userPrincipalName=${local}@${live.initialDomain}`.toLowerCase(), `userPrincipalName=${local}-${upn.split('@')[1]!.split('.')[0]}@${live.initialDomain}`.toLowerCase());
    }
    return out;
  };
  const holders = new Set((live.objects.roleAssignment ?? []).map((a) => String(a['principalId'])));
  const pick = (t: 'user' | 'group'): DirObject[] => {
    const want = new Set(wanted(t).flatMap((o) => keys(t, o)));
    return (live.objects[t] ?? []).filter((l) => keys(t, l).some((k) => want.has(k)) || (t === 'user' && holders.has(l.id)));
  };
  const users = pick('user');
  const groups = pick('group');
  const groupIds = new Set(groups.map((g) => g.id));
  const objects: TenantData['objects'] = {};
  for (const t of [...BOOTSTRAP_WHOLE_TYPES, 'roleAssignment', 'roleAssignmentSchedule'] as const) if (live.objects[t]) objects[t] = live.objects[t];
  if (users.length) objects.user = users;
  if (groups.length) objects.group = groups;
  const deleted: LiveState['deleted'] = {};
  for (const t of ['user', 'group'] as const) {
    const ids = new Set(wanted(t).map((o) => o.id));
    const d = (live.deleted[t] ?? []).filter((o) => ids.has(o.id));
    if (d.length) deleted[t] = d;
  }
  const members = (live.relations.groupMembers ?? []).filter((e) => groupIds.has(e.from) && e.toType === 'user');
  return { ...live, objects, relations: members.length ? { groupMembers: members } : {}, deleted };
}

function withoutExtensionValues(o: Operation): Operation {
  if (!('body' in o)) return o;
  return { ...o, body: Object.fromEntries(Object.entries(o.body).filter(([k]) => !k.startsWith('extension_'))) } as Operation;
}

describe('bootstrap plan (issue 17 item 4; src/restore/plan/bootstrap.ts)', () => {
  test('= the tier-0 operations of the whole plan, from the admins\' subset of the archive and the narrow read of the target', () => {
    fc.assert(
      fc.property(arbSpec, (s) => {
        if (s.scenario !== 'tenant-loss' && s.scenario !== 'all-admins-deleted') return;
        const archive = buildArchive(s);
        const live = deriveLive(archive, s.fates);
        const input = { archiveMeta: meta, scenario: s.scenario, options: { preferRecycleBin: s.preferRecycleBin } };
        const whole = buildPlan({ ...input, archive, live });
        const tier0 = whole.operations.filter((o) => o.tier === 0);
        const boot = buildBootstrapPlan({ ...input, archive, live: narrowLive(archive, live) });
        expect(boot.phase).toBe('bootstrap');
        // a Global Administrator's directory extension values are left to the rest phase
        // (src/restore/plan/bootstrap.ts): the bootstrap writes everything else of tier 0 as the whole plan does
        expect(boot.operations).toEqual(tier0.map(withoutExtensionValues));
        expect(boot.operations.some((o) => 'body' in o && Object.keys(o.body).some((k) => k.startsWith('extension_')))).toBe(false);
        // same input, same plan (pure)
        expect(buildBootstrapPlan({ ...input, archive, live: narrowLive(archive, live) })).toEqual(boot);
      }),
      { numRuns: 150 },
    );
  });
});
