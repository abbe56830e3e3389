/**
 * Composition of an archive chain (docs/archive-format.md §12): a full archive's tenant with
 * each incremental applied in chain order gives the tenant at the chosen point, in the same
 * TenantData shape restore, plan and diff read from a full archive.
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { VaultError } from '../errors.js';
import { byEdge, byId, type DirObject, type Relation, type TenantData } from '../model.js';
import type { Manifest } from './manifest.js';
import type { OpenedArchive } from './reader.js';

/** An incremental archive's records, read into memory (they are the changes: small). */
export interface IncrementalContent {
  manifest: Manifest;
  objects: Map<ResourceType, DirObject[]>;
  /** Ids removed from a `delta` type (`@removed`, soft-deleted or gone). */
  removed: Map<ResourceType, string[]>;
  relations: Map<RelationKind, Relation[]>;
  unrelations: Map<RelationKind, Relation[]>;
  /** Sources whose every edge of the kind is dropped before this archive's edges are added. */
  resets: Map<RelationKind, string[]>;
}

/**
 * Reads an opened incremental archive's records.
 * @throws VaultError USAGE (a full archive) | ARCHIVE_MALFORMED (a change record of the wrong shape)
 */
export async function readIncremental(a: OpenedArchive): Promise<IncrementalContent> {
  const chain = a.manifest.chain;
  if (!chain) throw new VaultError('USAGE', `${a.path} is a full archive, not an incremental`);
  const out: IncrementalContent = { manifest: a.manifest, objects: new Map(), removed: new Map(), relations: new Map(), unrelations: new Map(), resets: new Map() };
  for (const t of Object.keys(a.manifest.counts.objects) as ResourceType[]) {
    const list: DirObject[] = [];
    for await (const o of a.objects(t)) list.push(o);
    out.objects.set(t, list);
  }
  for (const k of Object.keys(a.manifest.counts.relations) as RelationKind[]) {
    const list: Relation[] = [];
    for await (const r of a.relations(k)) list.push(r);
    out.relations.set(k, list);
  }
  for (const e of a.manifest.entries) {
    const m = /^(removed|unrelations|resets)\/([A-Za-z0-9]+)\.jsonl$/.exec(e.path);
    if (!m) continue;
    const [, prefix, name] = m;
    const ids: string[] = [];
    const edges: Relation[] = [];
    for await (const rec of a.records(e.path)) {
      const key = prefix === 'removed' ? rec.id : rec.from;
      if (typeof key !== 'string') throw new VaultError('ARCHIVE_MALFORMED', `malformed record in ${e.path}`);
      if (prefix === 'unrelations') {
        if (typeof rec.to !== 'string' || typeof rec.toType !== 'string' || rec.kind !== name) throw new VaultError('ARCHIVE_MALFORMED', `malformed edge in ${e.path}`);
        edges.push(rec as unknown as Relation);
      } else ids.push(key);
    }
    if (prefix === 'removed') out.removed.set(name as ResourceType, ids);
    else if (prefix === 'resets') out.resets.set(name as RelationKind, ids);
    else out.unrelations.set(name as RelationKind, edges);
  }
  return out;
}

const edgeKey = (r: Relation): string => `${r.from}\u0000${r.to}`;

/**
 * The tenant after `inc` is applied to `base` (its parent's composed tenant). Pure: `base` is
 * not changed. Per the manifest's `chain` modes: `replace` takes this archive's set, `delta`
 * upserts objects and drops removed ids (types), or drops reset sources' edges and
 * unrelations, then adds edges (kinds); edges from or to a removed object are dropped, as a
 * full backup would not list them. Types and kinds not listed are carried over.
 */
export function applyIncremental(base: TenantData, inc: IncrementalContent): TenantData {
  const chain = inc.manifest.chain!;
  const objects: TenantData['objects'] = { ...base.objects };
  const gone = new Set<string>();
  for (const [t, mode] of Object.entries(chain.objects) as [ResourceType, 'replace' | 'delta'][]) {
    const fresh = inc.objects.get(t) ?? [];
    if (mode === 'replace') {
      objects[t] = [...fresh].sort(byId);
      continue;
    }
    const byKey = new Map((base.objects[t] ?? []).map((o) => [o.id, o]));
    for (const id of inc.removed.get(t) ?? []) {
      byKey.delete(id);
      gone.add(id);
    }
    for (const o of fresh) byKey.set(o.id, o);
    objects[t] = [...byKey.values()].sort(byId);
  }
  for (const t of Object.keys(objects) as ResourceType[]) if (objects[t]!.length === 0) delete objects[t];
  const relations: TenantData['relations'] = { ...base.relations };
  for (const [k, mode] of Object.entries(chain.relations) as [RelationKind, 'replace' | 'delta'][]) {
    const fresh = inc.relations.get(k) ?? [];
    if (mode === 'replace') {
      relations[k] = [...fresh];
      continue;
    }
    const reset = new Set(inc.resets.get(k) ?? []);
    const dropped = new Set((inc.unrelations.get(k) ?? []).map(edgeKey));
    const byKey = new Map<string, Relation>();
    for (const r of base.relations[k] ?? []) if (!reset.has(r.from) && !dropped.has(edgeKey(r))) byKey.set(edgeKey(r), r);
    for (const r of fresh) byKey.set(edgeKey(r), r);
    relations[k] = [...byKey.values()];
  }
  for (const k of Object.keys(relations) as RelationKind[]) {
    const kept = gone.size === 0 ? relations[k]! : relations[k]!.filter((r) => !gone.has(r.from) && !gone.has(r.to));
    if (kept.length === 0) delete relations[k];
    else relations[k] = [...kept].sort(byEdge);
  }
  return { tenantId: base.tenantId, initialDomain: inc.manifest.initialDomain, objects, relations };
}
