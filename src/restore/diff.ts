/**
 * Diff: archive vs live target (docs/design.md "Restore"). Objects are matched by id, then
 * by natural key (UPN case-insensitive and tolerant of a domain remap), then — for
 * objects synced from on-premises AD — by onPremisesImmutableId / SID. Attributes are
 * compared after archived references are mapped to live ids, so a tenant rebuilt with
 * new ids diffs equal. Pure: no I/O.
 */
import { withoutTaskServerSet } from './plan/governance.js';
import { comparableEntitlement } from './plan/entitlement-extensions.js';
import { assignmentSubject } from './plan/entitlement.js';
import { SUBJECT_ASSIGNMENTS } from '../catalog/entitlement.js';
import type { ResourceDescriptor, ResourceType, RelationKind } from '../catalog/types.js';
import type { DirObject, Json, JsonObject, TenantData } from '../model.js';
import type { AttributeChange, DiffResult, DiffStatus, LiveState, ObjectDiff, RelationDiff } from './types.js';
import {
  appIdHex,
  isCompared,
  isTenantOwned,
  isNeverCreated,
  isOnPremisesSynced,
  parentIdOf,
  restoresFromBin,
  upnLocal,
  defaultPlannerCatalog,
  type PlannerCatalog,
} from './catalog.js';
import { cmp, jsonEqual } from './json.js';
import { keyString } from './keys.js';
import { comparableSourceUrls, takeProfileSlot } from './plan/profile-sources.js';
import { alternateUpn, findTargetAdmins, type TargetAdmins } from './target-admins.js';
import { computeDomainMap, mapUpn } from './domains.js';
import { diffRelationList, relationKindsFrom } from './relation-diff.js';

export { computeDomainMap, mapUpn } from './domains.js';
import { tenantRewrites, type Rewrite, type Rewriter } from './embed.js';
import { mapToLive, mapValue } from './map-to-live.js';

export { embedRewriter, mapToLive } from './map-to-live.js';

/** How one archived object relates to the target. */
export interface MatchEntry {
  type: ResourceType;
  archived: DirObject;
  /** 'live': present in the target (see liveId); 'softDeleted': in a recycle bin; 'missing': gone. */
  state: 'live' | 'softDeleted' | 'missing';
  live?: DirObject;
  deleted?: DirObject;
  matchedBy?: 'id' | 'naturalKey' | 'onPremisesAnchor';
}

/** The result of matching an archive against a live state: the planner's input too. */
export interface TenantMatch {
  /** Archived id → entry, for every archived object. */
  entries: Map<string, MatchEntry>;
  /** Archived id → live id, for every object present in the target. */
  idMap: Map<string, string>;
  /** Archived appId → live appId, for applications present in the target. */
  appIdMap: Map<string, string>;
  /** Archived UPN domain → target domain, for domains not verified in the target. */
  domainMap: Map<string, string>;
  /** Live objects matched by no archived object, by type. */
  extras: { type: ResourceType; obj: DirObject }[];
  /** Live objects by id (any type). */
  liveById: Map<string, { type: ResourceType; obj: DirObject }>;
  /** Archived appId by its dash-less lower-case form (extension attribute names). */
  archivedAppByHex: Map<string, string>;
  /** The target's own admins, never matched, and the UPNs archived users colliding with them get (./target-admins.ts). */
  targetAdmins?: TargetAdmins;
  /** Role template id → the target's directoryRole id, from live scoped role members' `@roleTemplateId`. */
  directoryRoleByTemplate?: Map<string, string>;
  /** Archived tenant id / initial domain → the target's, for values that embed them (./embed.ts). */
  tenantRewrites?: Rewrite[];
  /** The compiled embedded-value rewriter, rebuilt when appIdMap grows. */
  embedCache?: { appIds: number; rw: Rewriter };
}

/** On-premises anchors of synced users and groups (docs/design.md "Restore"). */
const ANCHORS: readonly string[] = ['onPremisesImmutableId', 'onPremisesSecurityIdentifier'];

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The human name of an object for plans and reports. */
export function displayNameOf(obj: DirObject): string {
  return (
    str(obj['displayName']) ?? str(obj['userPrincipalName']) ?? str(obj['name']) ?? str(obj['uniqueName']) ?? obj.id
  );
}

function objectsOf(data: TenantData, type: ResourceType): DirObject[] {
  return data.objects[type] ?? [];
}

/** The match being built, shared by the per-type matchers. */
interface MatchState {
  m: TenantMatch;
  /** Live ids already taken by an archived object. */
  used: Set<string>;
  live: LiveState;
  archive: TenantData;
  /** Archived application id by its appId (a service principal's deleted copy names its application by appId). */
  appByAppId: Map<string, string>;
}

/**
 * Matches the archived objects of one type, in passes: same id (or the same id in a
 * recycle bin), natural key, on-premises anchor, and for a singleton the one live object
 * of its type. Types before this one are already matched, so references inside natural
 * keys compare after old→new id remapping.
 */
class TypeMatcher {
  private readonly desc: ResourceDescriptor;
  private readonly liveObjs: DirObject[];
  private readonly indexes = new Map<string, Map<string, DirObject | DirObject[]>>();

  constructor(
    private readonly st: MatchState,
    private readonly type: ResourceType,
    catalog: PlannerCatalog,
  ) {
    this.desc = catalog.descriptor(type);
    this.liveObjs = [...objectsOf(st.live, type)].sort((a, b) => cmp(a.id, b.id));
  }

  /**
   * A service principal's deleted copy is bound to its application's appId, which it cannot change
   * (create-only). It is worth restoring only while that application is in the target with the same
   * appId, or in its own bin; an application recreated gets a new appId, so its principal is
   * recreated for it, not taken from the bin as an orphan of an appId no application has. Applications
   * are matched before service principals. Principals of applications not archived here (other
   * tenants' apps) are always restorable.
   */
  private binCopyUsable(a: DirObject): boolean {
    const appId = this.type === 'servicePrincipal' ? str(a['appId']) : undefined;
    const app = appId === undefined ? undefined : this.st.m.entries.get(this.st.appByAppId.get(appId) ?? '');
    if (!app) return true;
    return app.state === 'softDeleted' || (app.state === 'live' && str(app.live?.['appId']) === appId);
  }

  run(archivedObjs: DirObject[]): void {
    const { st, type } = this;
    const archived = [...archivedObjs].sort((a, b) => cmp(a.id, b.id));
    const liveIds = new Map(this.liveObjs.map((o) => [o.id, o]));
    // a deleted copy counts only where the restore takes objects back from that bin (./catalog.ts restoresFromBin)
    const deleted = new Map((restoresFromBin(this.desc) ? st.live.deleted[type] ?? [] : []).map((o) => [o.id, o]));
    const pending: DirObject[] = [];
    for (const a of archived) {
      const byId = liveIds.get(a.id);
      if (byId && !st.used.has(byId.id) && !this.staleSubject(a, byId)) this.take(a, byId, 'id');
      else if (deleted.has(a.id) && this.binCopyUsable(a)) st.m.entries.set(a.id, { type, archived: a, state: 'softDeleted', deleted: deleted.get(a.id) as DirObject });
      else pending.push(a);
    }
    const still = pending.filter((a) => !this.byNaturalKey(a) && !this.byPolicyAssignment(a) && !takeProfileSlot(type, a, this.liveObjs, st.used, (l) => this.take(a, l, 'naturalKey')));
    const rest = still.filter((a) => !this.byAnchor(a));
    for (const a of rest) {
      // A singleton (organization, authorization policy…) is the same object whatever its id.
      const single = archived.length === 1 && isNeverCreated(this.desc, a) && this.desc.type !== 'roleDefinition';
      const free = single ? this.liveObjs.filter((l) => !st.used.has(l.id)) : [];
      if (single && free.length === 1) this.take(a, free[0] as DirObject, 'naturalKey');
      else st.m.entries.set(a.id, { type, archived: a, state: 'missing' });
    }
  }

  /**
   * An access package assignment names its subject by id, and Graph cannot move it to another
   * (src/restore/plan/entitlement.ts). One the target lists for the archived subject's old id
   * while that subject is missing, or matched to another object, serves nobody the archive had:
   * it is not the archived assignment (a partial restore recreates the subject with a new id).
   * Subjects are matched before assignments (catalog order).
   */
  private staleSubject(a: DirObject, l: DirObject): boolean {
    if (!SUBJECT_ASSIGNMENTS.has(this.type)) return false;
    const archived = assignmentSubject(a);
    if (archived === undefined) return false;
    const e = this.st.m.entries.get(archived);
    if (!e) return false;
    return e.state === 'missing' || (e.state === 'live' && e.live?.id !== assignmentSubject(l));
  }

  /** A contained object's key is scoped by its parent (mapped to the live parent for archived objects). */
  private scope(o: DirObject, mapParent: boolean): string {
    const p = parentIdOf(o);
    if (p === undefined) return '';
    return `${mapParent ? (this.st.m.idMap.get(p) ?? p) : p}|`;
  }

  /**
   * Live objects of this type by (scoped) key value of `prop`, built on first use. A key can
   * name several objects (two lifecycle workflows or CA policies of one name): each is kept,
   * in id order, so a second archived object of that name matches the second live one instead
   * of none (a re-run would otherwise create it again).
   */
  private index(prop: string): Map<string, DirObject | DirObject[]> {
    let m = this.indexes.get(prop);
    if (!m) {
      m = new Map<string, DirObject | DirObject[]>();
      for (const o of this.liveObjs) {
        const k = keyString(prop, o as JsonObject);
        if (k === undefined) continue;
        const key = this.scope(o, false) + k;
        const prior = m.get(key);
        // an array only where a key repeats: one object per key is the rule (100k users, 100k keys)
        if (prior === undefined) m.set(key, o);
        else if (Array.isArray(prior)) prior.push(o);
        else m.set(key, [prior, o]);
      }
      this.indexes.set(prop, m);
    }
    return m;
  }

  /**
   * Of the live objects one key names, the one most like archived `a` (fewest differing
   * properties; the first in id order on a tie): two workflows of one name pair each with its
   * own copy, not by the order of ids a restore gave them. One candidate, the usual case, is
   * taken without comparing.
   */
  private closest(a: DirObject, free: readonly DirObject[]): DirObject | undefined {
    if (free.length <= 1) return free[0];
    let best = free[0]!;
    let fewest = Infinity;
    for (const l of free) {
      const n = compareObject(this.desc, a, l, this.st.m).length;
      if (n < fewest) [best, fewest] = [l, n];
    }
    return best;
  }

  /**
   * The live object `key` names under `prop` that `ok` accepts; of several, the closest to `a`.
   * One object per key is the rule (100k users): it is taken without building a list.
   */
  private pick(prop: string, key: string, a: DirObject, ok: (l: DirObject) => boolean): DirObject | undefined {
    const h = this.index(prop).get(key);
    if (h === undefined) return undefined;
    if (!Array.isArray(h)) return ok(h) ? h : undefined;
    return this.closest(a, h.filter(ok));
  }

  private take(a: DirObject, l: DirObject, by: MatchEntry['matchedBy']): void {
    const { m, used } = this.st;
    used.add(l.id);
    m.entries.set(a.id, { type: this.type, archived: a, state: 'live', live: l, matchedBy: by });
    m.idMap.set(a.id, l.id);
    const aa = str(a['appId']);
    const la = str(l['appId']);
    if (this.type === 'application' && aa && la) m.appIdMap.set(aa, la);
  }

  /** Natural-key pass; a UPN also matches under the domain remap and on the initial domain. */
  private byNaturalKey(a: DirObject): boolean {
    if (this.liveObjs.length === 0) return false; // nothing to match: no mapping (seconds at 100k users)
    let found: DirObject | undefined;
    let foundBy: MatchEntry['matchedBy'] = 'naturalKey';
    // Reference-valued key parts compare after old→new id remapping (types before this one are matched).
    const mapped = mapToLive(this.desc, a, this.st.m);
    for (const prop of this.desc.naturalKey) {
      const k = keyString(prop, mapped);
      if (k === undefined) continue;
      const candidates = [k];
      if (prop === 'userPrincipalName' && typeof a[prop] === 'string') {
        const raw = a[prop] as string;
        if (!this.st.m.targetAdmins?.upnOverride.has(a.id)) candidates.push(mapUpn(raw, this.st.m.domainMap).toLowerCase(), `${upnLocal(raw)}@${this.st.live.initialDomain}`.toLowerCase());
        // restored earlier beside the target's own admin (./target-admins.ts), before its domain was verified
        candidates.push(alternateUpn(raw, this.st.live.initialDomain).toLowerCase());
      }
      for (const c of candidates) {
        // a key naming the subject's old id matches a stale assignment as well as an id would
        found = this.pick(prop, this.scope(a, true) + c, a, (hit) => !this.st.used.has(hit.id) && !this.staleSubject(a, hit));
        if (found) {
          if (ANCHORS.includes(prop)) foundBy = 'onPremisesAnchor';
          break;
        }
      }
      if (found) break;
    }
    if (found) this.take(a, found, foundBy);
    return found !== undefined;
  }

  /**
   * A PIM role management policy has no key of its own and a different id in every tenant:
   * it is the policy its role's assignment names, so it matches the live policy whose live
   * assignment has the same scope and the (mapped) roleDefinitionId (catalog/pim-policies.ts).
   */
  private byPolicyAssignment(a: DirObject): boolean {
    // a PIM for Groups policy: scoped to its group (mapped), role `member` or `owner` (catalog/pim-group-policies.ts)
    const group = this.type === 'pimGroupPolicy';
    if (this.type !== 'roleManagementPolicy' && !group) return false;
    const asgType = group ? 'pimGroupPolicyAssignment' : 'roleManagementPolicyAssignment';
    const asg = objectsOf(this.st.archive, asgType).find((x) => x['policyId'] === a.id);
    const role = str(asg?.['roleDefinitionId']);
    if (!asg || role === undefined) return false;
    const liveRole = group ? role.toLowerCase() : mapValue({ by: 'roleDefinitionId' }, role, this.st.m).toLowerCase();
    const scope = group ? (this.st.m.idMap.get(String(asg['scopeId'])) ?? asg['scopeId']) : asg['scopeId'];
    const liveAsg = objectsOf(this.st.live, asgType).find((x) =>
      str(x['roleDefinitionId'])?.toLowerCase() === liveRole && x['scopeId'] === scope && x['scopeType'] === asg['scopeType']);
    const hit = liveAsg ? this.liveObjs.find((l) => l.id === liveAsg['policyId']) : undefined;
    if (!hit || this.st.used.has(hit.id)) return false;
    this.take(a, hit, 'naturalKey');
    return true;
  }

  /** Objects synced from on-premises AD match by their immutable id or SID. */
  private byAnchor(a: DirObject): boolean {
    if (!isOnPremisesSynced(a)) return false;
    for (const prop of ANCHORS) {
      const v = str(a[prop]);
      const h = v ? this.index(prop).get(this.scope(a, true) + v) : undefined;
      const free = (l: DirObject): boolean => !this.st.used.has(l.id);
      const hit = Array.isArray(h) ? h.find(free) : h !== undefined && free(h) ? h : undefined;
      if (hit) {
        this.take(a, hit, 'onPremisesAnchor');
        return true;
      }
    }
    return false;
  }
}

/**
 * Match every archived object to the target. Deterministic: types in catalog order
 * (parents before contained types), objects by archived id.
 */
export function matchTenant(catalog: PlannerCatalog, archive: TenantData, live: LiveState): TenantMatch {
  const liveById = new Map<string, { type: ResourceType; obj: DirObject }>();
  for (const type of catalog.types) for (const o of objectsOf(live, type)) liveById.set(o.id, { type, obj: o });
  const archivedAppByHex = new Map<string, string>();
  const appByAppId = new Map<string, string>();
  for (const a of objectsOf(archive, 'application')) {
    const appId = str(a['appId']);
    if (!appId) continue;
    archivedAppByHex.set(appIdHex(appId), appId);
    appByAppId.set(appId, a.id);
  }
  const domainMap = computeDomainMap(archive, live);
  const targetAdmins = findTargetAdmins(archive, live, (upn) => mapUpn(upn, domainMap));
  const m: TenantMatch = {
    entries: new Map(), idMap: new Map(), appIdMap: new Map(), domainMap, extras: [], liveById, archivedAppByHex, targetAdmins,
    tenantRewrites: tenantRewrites(archive, live),
  };
  m.directoryRoleByTemplate = new Map();
  for (const s of objectsOf(live, 'scopedRoleMembership')) {
    const t = str(s['@roleTemplateId']);
    if (t && typeof s['roleId'] === 'string') m.directoryRoleByTemplate.set(t, s['roleId']);
  }
  // The target's own admins are taken up front: no archived user is ever matched to one.
  const st: MatchState = { m, used: new Set(targetAdmins.protectedIds), live, archive, appByAppId };
  const ordered = [
    ...catalog.types.filter((t) => catalog.descriptor(t).shape !== 'contained'),
    ...catalog.types.filter((t) => catalog.descriptor(t).shape === 'contained'),
  ];
  for (const type of ordered) new TypeMatcher(st, type, catalog).run(objectsOf(archive, type));
  for (const type of catalog.types) {
    for (const o of [...objectsOf(live, type)].sort((a, b) => cmp(a.id, b.id))) {
      if (!st.used.has(o.id) || targetAdmins.protectedIds.has(o.id)) m.extras.push({ type, obj: o });
    }
  }
  return m;
}

/**
 * The writable attributes whose archived value (mapped to the target) differs from the
 * live one (of Microsoft's built-ins, only the tenant-owned ones). UPNs compare case-insensitively. Sorted by property name. `archived` in each
 * change is the archived value expressed in the target's terms (ids already remapped).
 */
export function compareObject(desc: ResourceDescriptor, archived: DirObject, live: DirObject, m: TenantMatch): AttributeChange[] {
  return compareMapped(desc, archived, mapToLive(desc, archived, m), live, m);
}

/** compareObject with the archived object already mapped to the target (`mapToLive`, a deep copy made once). */
function compareMapped(desc: ResourceDescriptor, archived: DirObject, mapped: JsonObject, live: DirObject, m: TenantMatch): AttributeChange[] {
  const props = new Set([...Object.keys(mapped), ...Object.keys(live)]);
  const changes: AttributeChange[] = [];
  for (const p of [...props].sort(cmp)) {
    // Microsoft's built-ins: only their tenant-owned settings are the tenant's to differ (docs/graph-facts.md §3).
    if (!isCompared(desc, p) || !isTenantOwned(desc.type, archived, p)) continue;
    let a = mapped[p];
    let l = live[p];
    if (p === 'userPrincipalName' && typeof a === 'string' && typeof l === 'string') {
      a = a.toLowerCase();
      l = l.toLowerCase();
    }
    // a workflow's tasks: their id, execution sequence and category are Graph's own (./plan/governance.ts)
    if (desc.type === 'lifecycleWorkflow' && p === 'tasks') [a, l] = [withoutTaskServerSet(a) ?? null, withoutTaskServerSet(l)];
    // a policy's questions and stages, an extension's endpoint: without what Graph sets (./plan/entitlement-extensions.ts)
    [a, l] = [comparableEntitlement(desc.type, p, a) ?? null, comparableEntitlement(desc.type, p, l)];
    if (desc.type === 'profilePropertySetting' && p === 'prioritizedSourceUrls') [a, l] = [comparableSourceUrls(a, m) ?? null, comparableSourceUrls(l, m)]; // a source's two URL forms (./plan/profile-sources.ts)
    if (!jsonEqual(a, l)) changes.push({ property: p, archived: mapped[p] ?? null, live: live[p] ?? null });
  }
  return changes;
}

/** Relations after id mapping: archived edges present/missing in the target, live extras (./relation-diff.ts). */
export function diffRelations(archive: TenantData, live: LiveState, m: TenantMatch, kinds?: Set<RelationKind>): RelationDiff[] {
  return diffRelationList(archive, live, m.idMap, kinds);
}

/**
 * The object diffs of one type, archived objects by id, then the target's extras. One type at a
 * time: the final verify (./fidelity.ts) counts each type and lets its diffs go, so a large
 * tenant's diffs are never all held at once (issue 17 item 1).
 */
export function* objectDiffsOf(catalog: PlannerCatalog, archive: TenantData, match: TenantMatch, type: ResourceType): Generator<ObjectDiff> {
  for (const { diff } of objectDiffsWithKeysOf(catalog, archive, match, type)) yield diff;
}

/**
 * objectDiffsOf, each archived object in the target with the names of its properties as mapped to
 * the target (`mapToLive`'s keys): the final verify counts the attributes expected from them
 * (./fidelity.ts), and the object is mapped once, not once more for the count. At 100k users
 * that second deep copy of every restored object was the verify's largest garbage (issue 17 item 1).
 */
export function* objectDiffsWithKeysOf(
  catalog: PlannerCatalog,
  archive: TenantData,
  match: TenantMatch,
  type: ResourceType,
  consume = false,
): Generator<{ diff: ObjectDiff; mappedKeys?: string[] }> {
  const desc = catalog.descriptor(type);
  // `consume`: the archive's list is taken out of it, and each object let go of once its diff is
  // given (the final verify of a restore lets go of its copy's users as it compares them, ./fidelity.ts)
  const sorted = [...objectsOf(archive, type)].sort((x, y) => cmp(x.id, y.id));
  if (consume) delete archive.objects[type];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as DirObject;
    if (consume) sorted[i] = undefined as never;
    yield archivedObjectDiff(desc, type, a, match.entries.get(a.id) as MatchEntry, match);
  }
  for (const x of match.extras) {
    if (x.type !== type) continue;
    const d: ObjectDiff = { type, status: 'extra', liveId: x.obj.id, displayName: displayNameOf(x.obj) };
    if (isOnPremisesSynced(x.obj)) d.onPremisesSynced = true;
    yield { diff: d };
  }
}

/**
 * The diff of one archived object `a` of `type` against the target, as `e`, its entry of `match`, places it,
 * with the names of its properties as mapped to the target when it is there (objectDiffsWithKeysOf).
 * `a` is the object whole: the entry's own copy may be slim (the final verify's users, ./fidelity.ts).
 */
export function archivedObjectDiff(desc: ResourceDescriptor, type: ResourceType, a: DirObject, e: MatchEntry, match: TenantMatch): { diff: ObjectDiff; mappedKeys?: string[] } {
  const base: ObjectDiff = { type, status: 'missing', archivedId: a.id, displayName: displayNameOf(a) };
  if (isOnPremisesSynced(a)) base.onPremisesSynced = true;
  if (e.state === 'softDeleted') return { diff: { ...base, status: 'softDeleted', liveId: a.id, matchedBy: 'id' } };
  if (e.state === 'missing') return { diff: base };
  const live = e.live as DirObject;
  const mapped = mapToLive(desc, a, match);
  const changes = compareMapped(desc, a, mapped, live, match);
  const d: ObjectDiff = { ...base, status: changes.length ? 'changed' : 'equal', liveId: live.id };
  if (e.matchedBy) d.matchedBy = e.matchedBy;
  if (changes.length) d.changes = changes;
  return { diff: d, mappedKeys: Object.keys(mapped) };
}

/**
 * Diff with an explicit catalog (tests inject one; `diffTenant` uses the product's).
 * Never throws on data it does not understand: unknown properties are compared as JSON.
 */
export function diffTenantWith(
  catalog: PlannerCatalog,
  archive: TenantData,
  live: LiveState,
  opts: { types?: ResourceType[]; relations?: false } = {},
): { diff: DiffResult; match: TenantMatch } {
  const match = matchTenant(catalog, archive, live);
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const objects: ObjectDiff[] = [];
  for (const type of catalog.types) {
    if (wanted && !wanted.has(type)) continue;
    for (const d of objectDiffsOf(catalog, archive, match, type)) objects.push(d);
  }
  // the final verify walks the relations itself, edge by edge (./fidelity.ts)
  const relations = opts.relations === false ? [] : diffRelations(archive, live, match, wanted ? relationKindsFrom(catalog, archive, live, wanted) : undefined);
  const counts: Record<DiffStatus, number> = { equal: 0, changed: 0, softDeleted: 0, missing: 0, extra: 0 };
  for (const o of objects) counts[o.status]++;
  return { diff: { objects, relations, counts }, match };
}

/**
 * Diff an archive against the live target (docs/design.md "Restore": equal, changed,
 * softDeleted, missing, extra; relations after id mapping). Pure; never throws on data.
 * `opts.types` limits the reported objects (and relations from those types); matching
 * always uses every type so references still map.
 */
export function diffTenant(
  archive: TenantData,
  live: LiveState,
  opts: { types?: ResourceType[]; catalog?: PlannerCatalog } = {},
): DiffResult {
  return diffTenantWith(opts.catalog ?? defaultPlannerCatalog, archive, live, opts).diff;
}
