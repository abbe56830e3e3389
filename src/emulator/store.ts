/**
 * One tenant's state in memory: live objects by type, the recycle bins, relation
 * edges with forward and reverse indexes, unique-key indexes for alternate keys, and
 * a change sequence that delta queries read. Everything is a Map so a 10k-user tenant
 * loads in milliseconds and no request walks the tenant more than once.
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { relationCatalog } from '../catalog/index.js';
import type { DirObject, Relation } from '../model.js';
import type { LabCredential, SeededTenant } from './seed/types.js';
import { SortedIds, type IdSequence } from './sorted-ids.js';

/** Properties that identify an object uniquely within its type (alternate keys, natural lookups). */
export const UNIQUE_KEYS: Partial<Record<ResourceType, readonly string[]>> = {
  user: ['userPrincipalName'],
  group: ['uniqueName'],
  // uniqueName first: the order src/emulator/writes.ts `checkUnique` names a conflict in when both collide
  application: ['uniqueName', 'appId'],
  servicePrincipal: ['appId'],
  // addressed as profileSources(sourceId='…') (docs/graph-facts.md S371)
  profileSource: ['sourceId'],
};

/** An object as on-premises AD holds it, with the synced links AD Connect also writes. */
export interface OnPremSource {
  type: ResourceType;
  obj: DirObject;
  /** Synced members of a synced group (old ids). */
  members?: string[];
  /** A synced user's manager (old id). */
  manager?: string;
}

export type ChangeState = 'live' | 'changed' | 'deleted';

export interface ChangeEntry {
  type: ResourceType;
  seq: number;
  state: ChangeState;
}

export interface MemberChange {
  seq: number;
  to: string;
  removed: boolean;
}

/** Directed edges of one relation kind. */
export class Edges {
  readonly fwd = new Map<string, Set<string>>();
  readonly rev = new Map<string, Set<string>>();
  /** Changes with every edge added or removed (for caches derived from the edges). */
  version = 0;
  add(from: string, to: string): boolean {
    let f = this.fwd.get(from);
    if (!f) this.fwd.set(from, (f = new Set()));
    if (f.has(to)) return false;
    this.version++;
    f.add(to);
    let r = this.rev.get(to);
    if (!r) this.rev.set(to, (r = new Set()));
    r.add(from);
    return true;
  }
  remove(from: string, to: string): boolean {
    const f = this.fwd.get(from);
    if (!f || !f.delete(to)) return false;
    this.version++;
    this.rev.get(to)?.delete(from);
    return true;
  }
  /** Removes every edge touching `id`; returns the removed edges as [from, to]. */
  removeNode(id: string): Array<[string, string]> {
    this.version++;
    const out: Array<[string, string]> = [];
    for (const to of this.fwd.get(id) ?? []) {
      this.rev.get(to)?.delete(id);
      out.push([id, to]);
    }
    this.fwd.delete(id);
    for (const from of this.rev.get(id) ?? []) {
      this.fwd.get(from)?.delete(id);
      out.push([from, id]);
    }
    this.rev.delete(id);
    return out;
  }
  targets(from: string): string[] {
    return [...(this.fwd.get(from) ?? [])];
  }
  /**
   * Whether the edge exists, without copying the source's targets: a bind of 20 members to a
   * group checked each against a copy of the whole member list, so filling a group of m members
   * cost m² (the 100k-user restore's tier 3, issue 17 item 2).
   */
  has(from: string, to: string): boolean {
    return this.fwd.get(from)?.has(to) === true;
  }
  sources(to: string): string[] {
    return [...(this.rev.get(to) ?? [])];
  }
}

/**
 * Child id → parent id, with the reverse kept alongside: listing a parent's contained objects
 * (an SP's appRoleAssignedTo) walked every object of the type per request.
 */
export class ParentMap extends Map<string, string> {
  private readonly kids = new Map<string, Set<string>>();
  override set(child: string, parent: string): this {
    const old = super.get(child);
    if (old !== undefined && old !== parent) this.kids.get(old)?.delete(child);
    super.set(child, parent);
    // a Map constructor's entries arrive before the fields exist (none are passed here)
    if (this.kids) {
      let k = this.kids.get(parent);
      if (!k) this.kids.set(parent, (k = new Set()));
      k.add(child);
    }
    return this;
  }
  override delete(child: string): boolean {
    const old = super.get(child);
    if (old !== undefined) this.kids.get(old)?.delete(child);
    return super.delete(child);
  }
  override clear(): void {
    this.kids.clear();
    super.clear();
  }
  /** The ids whose parent is `parent` (any type, live or not). */
  childrenOf(parent: string): ReadonlySet<string> {
    return this.kids.get(parent) ?? new Set();
  }
}

/** The relation kinds the emulator stores: every relation of the catalog. */
export const RELATION_KINDS: readonly RelationKind[] = relationCatalog.map((r) => r.kind);

export class TenantStore {
  readonly tenantId: string;
  readonly initialDomain: string;
  readonly live = new Map<ResourceType, Map<string, DirObject>>();
  /** Soft-deleted objects (directory recycle bin and CA deleted items), by type. */
  readonly bin = new Map<ResourceType, Map<string, DirObject>>();
  readonly typeOf = new Map<string, ResourceType>();
  /** Contained objects' parent ids. */
  readonly parentOf = new ParentMap();
  /** Creation time (clock ms) of objects created through the API (replication lag). */
  readonly createdMs = new Map<string, number>();
  readonly rel = new Map<RelationKind, Edges>();
  credentials: LabCredential[];
  onPremisesIds: string[];
  /** The on-premises AD side of synced objects: what directory sync brings back. */
  readonly onPremSource = new Map<string, OnPremSource>();
  seq = 0;
  readonly changes = new Map<string, ChangeEntry>();
  readonly memberChanges = new Map<string, MemberChange[]>();
  private readonly uniq = new Map<string, Map<string, string>>();
  private readonly sorted = new Map<ResourceType, SortedIds>();
  /**
   * Equality indexes built on first use (`idsWhereEqual`): by type, property, then lower-cased
   * string value, the ids holding it. Graph answers `$filter=prop eq 'v'` from its own indexes;
   * a scan of every object per request made each natural-key lookup of a restore cost the
   * tenant's size (a group's mailNickname, an app role assignment's principalId).
   */
  private readonly eq = new Map<ResourceType, Map<string, Map<string, Set<string>>>>();
  private readonly versions = new Map<ResourceType, number>();
  /** Changes whenever any live object is inserted, replaced or removed. */
  liveVersion = 0;

  constructor(t: { tenantId: string; initialDomain: string; credentials: LabCredential[]; onPremisesIds: string[] }) {
    this.tenantId = t.tenantId;
    this.initialDomain = t.initialDomain;
    this.credentials = t.credentials;
    this.onPremisesIds = t.onPremisesIds;
    for (const k of RELATION_KINDS) this.rel.set(k, new Edges());
  }

  /**
   * Builds a store from seed data. Objects are adopted, not deep-copied (a 10k-user
   * tenant would spend seconds in structuredClone); the store never mutates an object
   * in place — every change replaces it (`replace`) — so the caller's tenant stays intact.
   */
  static fromSeed(seed: SeededTenant, parentOf: (type: ResourceType, o: DirObject) => string | undefined): TenantStore {
    const s = new TenantStore({
      tenantId: seed.tenantId,
      initialDomain: seed.initialDomain,
      credentials: seed.credentials.map((c) => ({ ...c })),
      onPremisesIds: [...seed.onPremisesIds],
    });
    for (const [type, list] of Object.entries(seed.objects) as Array<[ResourceType, DirObject[]]>) {
      for (const obj of list) {
        s.insert(type, obj);
        // the seed names parents that Graph's objects do not carry (a federated credential's app)
        const p = seed.parents?.[obj.id] ?? parentOf(type, obj);
        if (p) s.parentOf.set(obj.id, p);
        s.changes.set(obj.id, { type, seq: 0, state: 'live' });
      }
    }
    for (const [type, list] of Object.entries(seed.deleted) as Array<[ResourceType, DirObject[]]>) {
      for (const obj of list) {
        s.binMap(type).set(obj.id, obj);
        s.typeOf.set(obj.id, type);
        const p = seed.parents?.[obj.id] ?? parentOf(type, obj);
        if (p) s.parentOf.set(obj.id, p);
        s.changes.set(obj.id, { type, seq: 0, state: 'changed' });
      }
    }
    for (const [kind, list] of Object.entries(seed.relations) as Array<[RelationKind, Relation[]]>) {
      const e = s.rel.get(kind);
      if (!e) continue;
      for (const r of list) e.add(r.from, r.to);
    }
    for (const id of s.onPremisesIds) {
      const type = s.typeOf.get(id);
      const obj = type ? s.get(type, id) ?? s.binMap(type).get(id) : undefined;
      if (type && obj) s.onPremSource.set(id, { type, obj });
    }
    const synced = new Set(s.onPremisesIds);
    for (const [id, src] of s.onPremSource) {
      if (src.type === 'group') src.members = s.edges('groupMembers').targets(id).filter((m) => synced.has(m));
      if (src.type === 'user') {
        const mgr = s.edges('userManager').targets(id)[0];
        if (mgr && synced.has(mgr)) src.manager = mgr;
      }
    }
    return s;
  }

  liveMap(type: ResourceType): Map<string, DirObject> {
    let m = this.live.get(type);
    if (!m) this.live.set(type, (m = new Map()));
    return m;
  }
  binMap(type: ResourceType): Map<string, DirObject> {
    let m = this.bin.get(type);
    if (!m) this.bin.set(type, (m = new Map()));
    return m;
  }
  edges(kind: RelationKind): Edges {
    return this.rel.get(kind)!;
  }

  get(type: ResourceType, id: string): DirObject | undefined {
    return this.live.get(type)?.get(id);
  }
  isLive(id: string): boolean {
    const t = this.typeOf.get(id);
    return t !== undefined && this.live.get(t)?.has(id) === true;
  }
  /** A live object of any type. */
  anyLive(id: string): { type: ResourceType; obj: DirObject } | undefined {
    const type = this.typeOf.get(id);
    const obj = type ? this.live.get(type)?.get(id) : undefined;
    return type && obj ? { type, obj } : undefined;
  }
  byKey(type: ResourceType, prop: string, value: string): DirObject | undefined {
    const id = this.uniq.get(`${type}.${prop}`)?.get(value.toLowerCase());
    return id ? this.get(type, id) : undefined;
  }
  hasUniqueIndex(type: ResourceType, prop: string): boolean {
    return (UNIQUE_KEYS[type] ?? []).includes(prop);
  }

  /** Adds a live object and indexes it. */
  insert(type: ResourceType, obj: DirObject): void {
    this.liveMap(type).set(obj.id, obj);
    this.typeOf.set(obj.id, type);
    this.index(type, obj, true);
    // the sorted id list is kept, not dropped: re-sorting 100k ids on every lookup after every
    // create made a 100k-user restore quadratic; ./sorted-ids.ts says why it is chunked
    this.sorted.get(type)?.insert(obj.id);
  }
  /** Swaps a live object for its changed copy (objects are never mutated in place). */
  replace(type: ResourceType, next: DirObject): void {
    const before = this.live.get(type)?.get(next.id);
    if (before) this.index(type, before, false);
    this.liveMap(type).set(next.id, next);
    this.index(type, next, true);
  }
  /** Removes a live object from the live set and indexes (the caller decides bin vs gone). */
  unlink(type: ResourceType, id: string): DirObject | undefined {
    const obj = this.live.get(type)?.get(id);
    if (!obj) return undefined;
    this.live.get(type)!.delete(id);
    this.index(type, obj, false);
    this.sorted.get(type)?.remove(id);
    return obj;
  }
  /** A number that changes whenever a live object of `type` is inserted, replaced or removed (for caches derived from them). */
  version(type: ResourceType): number {
    return this.versions.get(type) ?? 0;
  }
  private index(type: ResourceType, obj: DirObject, add: boolean): void {
    this.versions.set(type, this.version(type) + 1);
    this.liveVersion++;
    for (const [prop, m] of this.eq.get(type) ?? []) indexValue(m, obj, prop, add);
    for (const prop of UNIQUE_KEYS[type] ?? []) {
      const v = obj[prop];
      if (typeof v !== 'string' || !v) continue;
      const key = `${type}.${prop}`;
      let m = this.uniq.get(key);
      if (!m) this.uniq.set(key, (m = new Map()));
      if (add) m.set(v.toLowerCase(), obj.id);
      else if (m.get(v.toLowerCase()) === obj.id) m.delete(v.toLowerCase());
    }
  }

  /**
   * Live ids of `type` whose string property `prop` equals `value` ignoring case (as `$filter`
   * eq compares strings, ./odata/filter.ts), in id order. Every object that can match is in
   * the answer; the caller still evaluates the filter on each.
   */
  idsWhereEqual(type: ResourceType, prop: string, value: string): string[] {
    let byProp = this.eq.get(type);
    if (!byProp) this.eq.set(type, (byProp = new Map()));
    let m = byProp.get(prop);
    if (!m) {
      byProp.set(prop, (m = new Map()));
      for (const o of this.live.get(type)?.values() ?? []) indexValue(m, o, prop, true);
    }
    return [...(m.get(value.toLowerCase()) ?? [])].sort();
  }

  /**
   * Live ids of a type in id order, kept across changes once read (./sorted-ids.ts). A view, not a
   * copy: it changes with the next insert or removal, so read it within one request.
   */
  sortedIds(type: ResourceType): IdSequence {
    let ids = this.sorted.get(type);
    if (!ids) {
      ids = new SortedIds(this.live.get(type)?.keys() ?? []);
      this.sorted.set(type, ids);
    }
    return ids;
  }

  /** Records a change for delta queries. */
  touch(type: ResourceType, id: string, state: ChangeState): void {
    this.changes.set(id, { type, seq: ++this.seq, state });
  }
  memberChanged(groupId: string, to: string, removed: boolean): void {
    const seq = ++this.seq;
    let l = this.memberChanges.get(groupId);
    if (!l) this.memberChanges.set(groupId, (l = []));
    l.push({ seq, to, removed });
    this.changes.set(groupId, { type: 'group', seq, state: 'live' });
  }
}

/** Adds or removes `obj` under its lower-cased string `prop` in one equality index. */
function indexValue(m: Map<string, Set<string>>, obj: DirObject, prop: string, add: boolean): void {
  const v = obj[prop];
  if (typeof v !== 'string') return;
  const k = v.toLowerCase();
  let ids = m.get(k);
  if (add) {
    if (!ids) m.set(k, (ids = new Set()));
    ids.add(obj.id);
  } else if (ids?.delete(obj.id) && ids.size === 0) m.delete(k);
}

