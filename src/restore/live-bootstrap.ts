/**
 * The target as the bootstrap phase of a bootstrap-first restore needs it (docs/design.md
 * "Bootstrap-first restore"): the organization, domains, role definitions, role
 * assignments and PIM active assignment schedules read whole (small in every tenant), and only the archived Global
 * Administrators (users and role-assignable groups) looked up by id, in the recycle bin, and
 * by every natural key the planner matches on (src/restore/diff.ts byNaturalKey), plus the
 * users the live tenant-wide role assignments name (the target's own admins,
 * src/restore/target-admins.ts). Its cost does not grow with the tenant's user count.
 * Read-only: only GETs.
 */
import type { ResourceType } from '../catalog/types.js';
import { descriptor } from '../catalog/index.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject, Relation, TenantData } from '../model.js';
import { MemorySink } from '../snapshot/sink.js';
import { normalize, walkTenant } from '../snapshot/walker.js';
import { upnLocal } from './catalog.js';
import { computeDomainMap, mapUpn } from './domains.js';
import { listAll, odataString, tryGet } from './execute/graph.js';
import { BOOTSTRAP_WHOLE_TYPES } from './plan/bootstrap.js';
import { alternateUpn } from './target-admins.js';
import type { ReadLiveOptions } from './live.js';
import type { LiveState } from './types.js';

/** The archived objects to look up, from src/restore/plan/bootstrap.ts bootstrapArchive. */
export interface BootstrapLookup {
  /** The bootstrap subset of the archive (its users and groups are the ones looked up). */
  archive: TenantData;
}

const select = (t: ResourceType): string => `$select=${descriptor(t).properties.join(',')}`;

/** The live object of type `t` with this id, or in the recycle bin; 404 → undefined. */
async function byId(graph: GraphClient, t: ResourceType, id: string): Promise<{ live?: DirObject; deleted?: DirObject }> {
  const d = descriptor(t);
  const live = await tryGet<unknown>(graph, `${d.path}/${encodeURIComponent(id)}?${select(t)}`);
  if (live) return { live: normalize(d, live) as DirObject };
  const deleted = await tryGet<unknown>(graph, `/directory/deletedItems/${encodeURIComponent(id)}`);
  return deleted ? { deleted: normalize(d, deleted) as DirObject } : {};
}

/** Live objects of type `t` whose `prop` equals one of `values` (one `$filter` eq each). */
async function byKey(graph: GraphClient, t: ResourceType, prop: string, values: readonly string[]): Promise<DirObject[]> {
  const d = descriptor(t);
  const out: DirObject[] = [];
  for (const v of new Set(values)) {
    const hits = await listAll<unknown>(graph, `${d.path}?$filter=${prop}%20eq%20${odataString(v)}&${select(t)}`);
    for (const h of hits) out.push(normalize(d, h) as DirObject);
  }
  return out;
}

/** Every UPN the planner may match an archived user under (src/restore/diff.ts byNaturalKey). */
function upnCandidates(upn: string, domainMap: Map<string, string>, initialDomain: string): string[] {
  return [upn, mapUpn(upn, domainMap), `${upnLocal(upn)}@${initialDomain}`, alternateUpn(upn, initialDomain)];
}

/**
 * Reads the target for the bootstrap phase.
 * @throws VaultError GRAPH_AUTH | GRAPH_UNAVAILABLE as the full live read does (src/restore/live.ts).
 * Never writes to the tenant.
 */
export async function readBootstrapLive(graph: GraphClient, lookup: BootstrapLookup, opts: ReadLiveOptions): Promise<LiveState> {
  const sink = new MemorySink();
  await walkTenant({ graph, sink, reporter: opts.reporter, clock: opts.clock, phase: 'live', types: [...BOOTSTRAP_WHOLE_TYPES, 'roleAssignment', 'roleAssignmentSchedule'] });
  const domains = (sink.objects.domain ?? []) as DirObject[];
  const initialDomain = String(domains.find((d) => d.isInitial === true)?.id ?? '');
  const verifiedDomains = domains.filter((d) => d.isVerified === true).map((d) => String(d.id)).sort();
  const org = (sink.objects.organization ?? [])[0];
  const base = sink.toTenantData(typeof org?.id === 'string' ? org.id : opts.tenantId, initialDomain);
  const domainMap = computeDomainMap(lookup.archive, { ...base, deleted: {}, verifiedDomains });

  const found = new Map<ResourceType, Map<string, DirObject>>([['user', new Map()], ['group', new Map()]]);
  const deleted: LiveState['deleted'] = {};
  const add = (t: ResourceType, o: DirObject): void => void found.get(t)?.set(o.id, o);
  for (const t of ['user', 'group'] as const) {
    for (const a of lookup.archive.objects[t] ?? []) {
      const r = await byId(graph, t, a.id);
      if (r.live) add(t, r.live);
      if (r.deleted) (deleted[t] ??= []).push(r.deleted);
      for (const prop of descriptor(t).naturalKey) {
        const v = a[prop];
        if (typeof v !== 'string' || prop === 'uniqueName') continue;
        const values = prop === 'userPrincipalName' ? upnCandidates(v, domainMap, initialDomain) : [v];
        for (const o of await byKey(graph, t, prop, values)) add(t, o);
      }
    }
  }
  // The target's own admins (src/restore/target-admins.ts): the users its tenant-wide role assignments name.
  for (const ra of base.objects.roleAssignment ?? []) {
    const p = ra['principalId'];
    if (typeof p !== 'string' || found.get('user')?.has(p)) continue;
    const u = await tryGet<unknown>(graph, `/users/${encodeURIComponent(p)}?${select('user')}`);
    if (u) add('user', normalize(descriptor('user'), u) as DirObject);
  }
  const groupMembers: Relation[] = [];
  for (const g of found.get('group')?.values() ?? []) {
    for (const m of await listAll<{ id?: string; '@odata.type'?: string }>(graph, `/groups/${encodeURIComponent(g.id)}/members?$select=id`)) {
      // only user members make a Global Administrator (src/restore/plan/admins.ts)
      const type = m['@odata.type'];
      if (typeof m.id === 'string' && (type === undefined || type === '#microsoft.graph.user')) groupMembers.push({ kind: 'groupMembers', from: g.id, to: m.id, toType: 'user' });
    }
  }
  const objects: TenantData['objects'] = { ...base.objects };
  for (const [t, m] of found) if (m.size) objects[t] = [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const t of Object.keys(deleted) as ResourceType[]) deleted[t]?.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...base, objects, relations: groupMembers.length ? { groupMembers } : {}, deleted, verifiedDomains };
}
