/**
 * Diff: archive vs live target (DESIGN.md "Restore"). Objects are matched by id, then
 * by natural key (UPN case-insensitive and tolerant of a domain remap), then — for
 * objects synced from on-premises AD — by onPremisesImmutableId / SID. Attributes are
 * compared after archived references are mapped to live ids, so a tenant rebuilt with
 * new ids diffs equal. Pure: no I/O.
 */
import type { ResourceDescriptor, ResourceType, RelationKind } from '../catalog/types.js';
import type { DirObject, Json, JsonObject, Relation, TenantData } from '../model.js';
import type { AttributeChange, DiffResult, DiffStatus, LiveState, ObjectDiff, RelationDiff } from './types.js';
import {
  appIdHex,
  isCompared,
  isNeverCreated,
  isOnPremisesSynced,
  parentIdOf,
  parseExtensionName,
  referenceRules,
  upnDomain,
  upnLocal,
  defaultPlannerCatalog,
  type PlannerCatalog,
} from './catalog.js';
import { canonical, cloneJson, cmp, findValues, jsonEqual, setAt } from './json.js';

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
}

/** On-premises anchors of synced users and groups (DESIGN.md "Restore"). */
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

/**
 * Archived UPN domains not verified in the target, mapped to the target's initial
 * domain (the only one a fresh tenant can use before DNS verification).
 */
export function computeDomainMap(archive: TenantData, live: LiveState): Map<string, string> {
  const verified = new Set(live.verifiedDomains.map((d) => d.toLowerCase()));
  verified.add(live.initialDomain.toLowerCase());
  const out = new Map<string, string>();
  for (const u of objectsOf(archive, 'user')) {
    const upn = str(u['userPrincipalName']);
    if (!upn) continue;
    const d = upnDomain(upn);
    if (d !== '' && !verified.has(d)) out.set(d, live.initialDomain.toLowerCase());
  }
  return new Map([...out].sort((a, b) => cmp(a[0], b[0])));
}

/** A UPN rewritten for the target (domain remapped when unverified), original case kept. */
export function mapUpn(upn: string, domainMap: Map<string, string>): string {
  const mapped = domainMap.get(upnDomain(upn));
  return mapped === undefined ? upn : `${upnLocal(upn)}@${mapped}`;
}

function dotted(obj: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * A natural-key value (catalog convention: `a+b` is composite, `a.b` is nested). UPNs
 * compare case-insensitively. Undefined when any part is absent.
 */
function keyString(prop: string, obj: JsonObject): string | undefined {
  const parts: string[] = [];
  const composite = prop.includes('+');
  for (const part of prop.split('+')) {
    const v = dotted(obj, part);
    // In a composite key an explicit null is a value (an AllPrincipals grant has principalId null).
    if (composite && v === null) {
      parts.push('\u0001null');
      continue;
    }
    if (v === undefined || v === null) return undefined;
    if (part === 'userPrincipalName' && typeof v === 'string') parts.push(v.toLowerCase());
    else parts.push(typeof v === 'string' ? v : JSON.stringify(canonical(v)));
  }
  return parts.join('\u0000');
}

/**
 * Match every archived object to the target. Deterministic: types in catalog order
 * (parents before contained types), objects by archived id.
 */
export function matchTenant(catalog: PlannerCatalog, archive: TenantData, live: LiveState): TenantMatch {
  const entries = new Map<string, MatchEntry>();
  const idMap = new Map<string, string>();
  const appIdMap = new Map<string, string>();
  const domainMap = computeDomainMap(archive, live);
  const liveById = new Map<string, { type: ResourceType; obj: DirObject }>();
  const used = new Set<string>();
  for (const type of catalog.types) for (const o of objectsOf(live, type)) liveById.set(o.id, { type, obj: o });
  const archivedAppByHex = new Map<string, string>();
  for (const a of objectsOf(archive, 'application')) {
    const appId = str(a['appId']);
    if (appId) archivedAppByHex.set(appIdHex(appId), appId);
  }
  const partial = (): TenantMatch => ({ entries, idMap, appIdMap, domainMap, extras: [], liveById, archivedAppByHex });

  const ordered = [
    ...catalog.types.filter((t) => catalog.descriptor(t).shape !== 'contained'),
    ...catalog.types.filter((t) => catalog.descriptor(t).shape === 'contained'),
  ];
  for (const type of ordered) {
    const desc = catalog.descriptor(type);
    const liveObjs = [...objectsOf(live, type)].sort((a, b) => cmp(a.id, b.id));
    const liveIds = new Map(liveObjs.map((o) => [o.id, o]));
    const deleted = new Map((live.deleted[type] ?? []).map((o) => [o.id, o]));
    const archived = [...objectsOf(archive, type)].sort((a, b) => cmp(a.id, b.id));
    const scope = (o: DirObject, mapParent: boolean): string => {
      const p = parentIdOf(o);
      if (p === undefined) return '';
      return `${mapParent ? (idMap.get(p) ?? p) : p}|`;
    };
    const keyIndex = (prop: string): Map<string, DirObject> => {
      const m = new Map<string, DirObject>();
      for (const o of liveObjs) {
        const k = keyString(prop, o as JsonObject);
        if (k !== undefined && !m.has(scope(o, false) + k)) m.set(scope(o, false) + k, o);
      }
      return m;
    };
    const indexes = new Map<string, Map<string, DirObject>>();
    const index = (prop: string): Map<string, DirObject> => {
      let m = indexes.get(prop);
      if (!m) indexes.set(prop, (m = keyIndex(prop)));
      return m;
    };
    const take = (a: DirObject, l: DirObject, by: MatchEntry['matchedBy']): void => {
      used.add(l.id);
      entries.set(a.id, { type, archived: a, state: 'live', live: l, matchedBy: by });
      idMap.set(a.id, l.id);
      const aa = str(a['appId']);
      const la = str(l['appId']);
      if (type === 'application' && aa && la) appIdMap.set(aa, la);
    };
    const pending: DirObject[] = [];
    for (const a of archived) {
      const byId = liveIds.get(a.id);
      if (byId && !used.has(byId.id)) take(a, byId, 'id');
      else if (deleted.has(a.id)) entries.set(a.id, { type, archived: a, state: 'softDeleted', deleted: deleted.get(a.id) as DirObject });
      else pending.push(a);
    }
    const still: DirObject[] = [];
    for (const a of pending) {
      let found: DirObject | undefined;
      let foundBy: MatchEntry['matchedBy'] = 'naturalKey';
      // Reference-valued key parts compare after old→new id remapping (types before this one are matched).
      const mapped = mapToLive(desc, a, partial());
      for (const prop of desc.naturalKey) {
        const k = keyString(prop, mapped);
        if (k === undefined) continue;
        const candidates = [k];
        if (prop === 'userPrincipalName' && typeof a[prop] === 'string') {
          const raw = a[prop] as string;
          candidates.push(mapUpn(raw, domainMap).toLowerCase(), `${upnLocal(raw)}@${live.initialDomain}`.toLowerCase());
        }
        for (const c of candidates) {
          const hit = index(prop).get(scope(a, true) + c);
          if (hit && !used.has(hit.id)) {
            found = hit;
            if (ANCHORS.includes(prop)) foundBy = 'onPremisesAnchor';
            break;
          }
        }
        if (found) break;
      }
      if (found) take(a, found, foundBy);
      else still.push(a);
    }
    const rest: DirObject[] = [];
    for (const a of still) {
      let found: DirObject | undefined;
      if (isOnPremisesSynced(a)) {
        for (const prop of ANCHORS) {
          const v = str(a[prop]);
          const hit = v ? index(prop).get(scope(a, true) + v) : undefined;
          if (hit && !used.has(hit.id)) {
            found = hit;
            break;
          }
        }
      }
      if (found) take(a, found, 'onPremisesAnchor');
      else rest.push(a);
    }
    for (const a of rest) {
      // A singleton (organization, authorization policy…) is the same object whatever its id.
      const single = archived.length === 1 && isNeverCreated(desc, a) && desc.type !== 'roleDefinition';
      const free = single ? liveObjs.filter((l) => !used.has(l.id)) : [];
      if (single && free.length === 1) {
        take(a, free[0] as DirObject, 'naturalKey');
      } else {
        entries.set(a.id, { type, archived: a, state: 'missing' });
      }
    }
  }
  const extras: TenantMatch['extras'] = [];
  for (const type of catalog.types) {
    for (const o of [...objectsOf(live, type)].sort((a, b) => cmp(a.id, b.id))) {
      if (!used.has(o.id)) extras.push({ type, obj: o });
    }
  }
  return { entries, idMap, appIdMap, domainMap, extras, liveById, archivedAppByHex };
}

/** Map an archived value of a reference to the live value it should have (identity when unknown). */
function mapValue(by: string, v: string, m: TenantMatch): string {
  switch (by) {
    case 'appId':
      return m.appIdMap.get(v) ?? v;
    case 'directoryScope': {
      const au = /^\/administrativeUnits\/(.+)$/.exec(v);
      if (au) return `/administrativeUnits/${m.idMap.get(au[1] as string) ?? au[1]}`;
      if (v.length > 1 && v.startsWith('/')) return `/${m.idMap.get(v.slice(1)) ?? v.slice(1)}`;
      return v;
    }
    default:
      return m.idMap.get(v) ?? v;
  }
}

/**
 * The archived object as it should look in the target: references mapped to live ids
 * and appIds, extension names renamed to the live app's appId, UPN domain remapped.
 */
export function mapToLive(desc: ResourceDescriptor, obj: DirObject, m: TenantMatch): JsonObject {
  const out = cloneJson(obj as JsonObject);
  for (const rule of referenceRules(desc)) {
    if (rule.by === 'extensionName') {
      for (const key of Object.keys(out)) {
        const ext = parseExtensionName(key);
        if (!ext) continue;
        const archivedApp = m.archivedAppByHex.get(ext.appIdHex);
        const liveApp = archivedApp === undefined ? undefined : m.appIdMap.get(archivedApp);
        if (liveApp === undefined) continue;
        const renamed = `extension_${appIdHex(liveApp)}_${ext.short}`;
        if (renamed !== key) {
          out[renamed] = out[key] as Json;
          delete out[key];
        }
      }
      continue;
    }
    for (const f of findValues(out, rule.path)) {
      if (rule.specialValues?.includes(f.value)) continue;
      setAt(out, f.at, mapValue(rule.by, f.value, m));
    }
  }
  // A group setting can name a group inside its name/value list (no reference path can say so).
  if (desc.type === 'groupSetting' && Array.isArray(out['values'])) {
    for (const entry of out['values']) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const v = entry['value'];
      if (entry['name'] === 'GroupCreationAllowedGroupId' && typeof v === 'string' && v !== '') entry['value'] = mapValue('id', v, m);
    }
  }
  // An extension property's own name embeds its app's appId.
  const extName = desc.type === 'extensionProperty' ? str(out['name']) : undefined;
  const ext = extName ? parseExtensionName(extName) : undefined;
  const extApp = ext ? m.archivedAppByHex.get(ext.appIdHex) : undefined;
  const extLive = extApp ? m.appIdMap.get(extApp) : undefined;
  if (ext && extLive) out['name'] = `extension_${appIdHex(extLive)}_${ext.short}`;
  const upn = str(out['userPrincipalName']);
  if (desc.type === 'user' && upn) out['userPrincipalName'] = mapUpn(upn, m.domainMap);
  return out;
}

/**
 * The writable attributes whose archived value (mapped to the target) differs from the
 * live one. UPNs compare case-insensitively. Sorted by property name. `archived` in each
 * change is the archived value expressed in the target's terms (ids already remapped).
 */
export function compareObject(desc: ResourceDescriptor, archived: DirObject, live: DirObject, m: TenantMatch): AttributeChange[] {
  const mapped = mapToLive(desc, archived, m);
  const props = new Set([...Object.keys(mapped), ...Object.keys(live)]);
  const changes: AttributeChange[] = [];
  for (const p of [...props].sort(cmp)) {
    if (!isCompared(desc, p)) continue;
    let a = mapped[p];
    let l = live[p];
    if (p === 'userPrincipalName' && typeof a === 'string' && typeof l === 'string') {
      a = a.toLowerCase();
      l = l.toLowerCase();
    }
    if (!jsonEqual(a, l)) changes.push({ property: p, archived: mapped[p] ?? null, live: live[p] ?? null });
  }
  return changes;
}

function edgeKey(kind: RelationKind, from: string, to: string): string {
  return `${kind}\u0000${from}\u0000${to}`;
}

/** Relations after id mapping: archived edges present/missing in the target, live extras. */
export function diffRelations(archive: TenantData, live: LiveState, m: TenantMatch, kinds?: Set<RelationKind>): RelationDiff[] {
  const out: RelationDiff[] = [];
  const liveEdges = new Map<string, Relation>();
  const allKinds = new Set<RelationKind>([
    ...(Object.keys(archive.relations) as RelationKind[]),
    ...(Object.keys(live.relations) as RelationKind[]),
  ]);
  const sortedKinds = [...allKinds].filter((k) => !kinds || kinds.has(k)).sort(cmp);
  for (const kind of sortedKinds) for (const e of live.relations[kind] ?? []) liveEdges.set(edgeKey(kind, e.from, e.to), e);
  const seen = new Set<string>();
  for (const kind of sortedKinds) {
    const edges = [...(archive.relations[kind] ?? [])].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
    for (const e of edges) {
      const k = edgeKey(kind, m.idMap.get(e.from) ?? e.from, m.idMap.get(e.to) ?? e.to);
      const present = liveEdges.has(k);
      if (present) seen.add(k);
      out.push({ kind, status: present ? 'equal' : 'missing', edge: e });
    }
  }
  for (const kind of sortedKinds) {
    const edges = [...(live.relations[kind] ?? [])].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
    for (const e of edges) if (!seen.has(edgeKey(kind, e.from, e.to))) out.push({ kind, status: 'extra', edge: e });
  }
  return out;
}

/**
 * Diff with an explicit catalog (tests inject one; `diffTenant` uses the product's).
 * Never throws on data it does not understand: unknown properties are compared as JSON.
 */
export function diffTenantWith(
  catalog: PlannerCatalog,
  archive: TenantData,
  live: LiveState,
  opts: { types?: ResourceType[] } = {},
): { diff: DiffResult; match: TenantMatch } {
  const match = matchTenant(catalog, archive, live);
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const objects: ObjectDiff[] = [];
  for (const type of catalog.types) {
    if (wanted && !wanted.has(type)) continue;
    const desc = catalog.descriptor(type);
    for (const a of [...objectsOf(archive, type)].sort((x, y) => cmp(x.id, y.id))) {
      const e = match.entries.get(a.id) as MatchEntry;
      const base: ObjectDiff = { type, status: 'missing', archivedId: a.id, displayName: displayNameOf(a) };
      if (isOnPremisesSynced(a)) base.onPremisesSynced = true;
      if (e.state === 'softDeleted') {
        objects.push({ ...base, status: 'softDeleted', liveId: a.id, matchedBy: 'id' });
      } else if (e.state === 'missing') {
        objects.push(base);
      } else {
        const live = e.live as DirObject;
        const changes = compareObject(desc, a, live, match);
        const d: ObjectDiff = { ...base, status: changes.length ? 'changed' : 'equal', liveId: live.id };
        if (e.matchedBy) d.matchedBy = e.matchedBy;
        if (changes.length) d.changes = changes;
        objects.push(d);
      }
    }
    for (const x of match.extras) {
      if (x.type !== type) continue;
      const d: ObjectDiff = { type, status: 'extra', liveId: x.obj.id, displayName: displayNameOf(x.obj) };
      if (isOnPremisesSynced(x.obj)) d.onPremisesSynced = true;
      objects.push(d);
    }
  }
  let kinds: Set<RelationKind> | undefined;
  if (wanted) {
    kinds = new Set();
    const all = new Set<RelationKind>([
      ...(Object.keys(archive.relations) as RelationKind[]),
      ...(Object.keys(live.relations) as RelationKind[]),
    ]);
    for (const k of all) {
      const from = catalog.relation(k)?.fromType;
      if (from && wanted.has(from)) kinds.add(k);
    }
  }
  const relations = diffRelations(archive, live, match, kinds);
  const counts: Record<DiffStatus, number> = { equal: 0, changed: 0, softDeleted: 0, missing: 0, extra: 0 };
  for (const o of objects) counts[o.status]++;
  return { diff: { objects, relations, counts }, match };
}

/**
 * Diff an archive against the live target (DESIGN.md "Restore": equal, changed,
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
