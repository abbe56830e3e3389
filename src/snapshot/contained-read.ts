/**
 * Incremental reads of the types contained in delta types (docs/archive-format.md §12.3): the
 * children are read again only under the parents that changed in the delta round, that are new,
 * or that the directory audit log names since the parent archive (./audit-feed.ts); every other
 * parent's children are carried over from the parent archive by composition (mode `delta`,
 * docs/archive-format.md §12.2). Children no longer listed under a re-read parent, and every child
 * of a removed parent, become `removed/<type>` records, so the composed tenant equals a full read.
 * Without the audit log, or a delta state written before the per-parent child ids were kept, a
 * contained type is read in full as before (mode `replace`).
 */
import type { ResourceDescriptor, ResourceType } from '../catalog/types.js';
import { isVaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { ChangeReader } from './delta-read.js';

/** A contained type read for some parents only: which parents, and the parent archive's children. */
export interface ScopedRead {
  type: ResourceType;
  parents: string[];
  reread: ReadonlySet<string>;
  before: Record<string, string[]>;
}

/**
 * The parents whose `d` children this incremental reads again, or undefined when `d` is read in
 * full (not contained in a delta-read type, no audit log, no stored child ids).
 */
export function scopedRead(changes: ChangeReader | undefined, d: ResourceDescriptor, allParents: readonly string[]): ScopedRead | undefined {
  if (!changes || !d.parentType || (d.shape === 'singleton' && !d.path.includes('{parentId}'))) return undefined;
  if (!changes.covers(d.parentType) || !changes.audit.ok) return undefined;
  const before = changes.base.children?.[d.type];
  const changed = changes.changedIds(d.parentType);
  const known = changes.base.ids[d.parentType];
  if (!before || !changed || !known) return undefined;
  const audited = changes.audit.ids;
  const old = new Set(known);
  const hot = new Set(changed);
  const reread = new Set(allParents.filter((p) => hot.has(p) || audited.has(p.toLowerCase()) || !old.has(p)));
  return { type: d.type, parents: [...reread].sort(), reread, before };
}

/**
 * After a scoped read: the children of parents not re-read are carried into the next state,
 * the vanished ones recorded as removed. Returns every child id of the type now (for the
 * reads that follow, e.g. relations of the contained type).
 */
export async function finishScoped(changes: ChangeReader, s: ScopedRead, allParents: readonly string[]): Promise<string[]> {
  const live = new Set(allParents);
  const now = (changes.capture.children[s.type] ??= {});
  const removed = new Set<string>();
  for (const [pid, kids] of Object.entries(s.before)) {
    if (!live.has(pid)) {
      for (const id of kids) removed.add(id);
    } else if (s.reread.has(pid)) {
      const still = new Set(now[pid] ?? []);
      for (const id of kids) if (!still.has(id)) removed.add(id);
    } else now[pid] = [...kids];
  }
  for (const ids of Object.values(now)) for (const id of ids) removed.delete(id);
  for (const id of [...removed].sort()) await changes.sink.addChange('removed', s.type, id, { id, reason: 'deleted' });
  return Object.values(now).flat().sort();
}

/**
 * A per-parent singleton that may be absent: a partner without an identity synchronization
 * policy answers 404 (src/catalog/cross-tenant-sync.ts), which is no policy, not a failed read.
 * Other types keep every error.
 */
export async function getOptional(g: GraphClient, d: ResourceDescriptor, path: string): Promise<unknown> {
  try {
    return await g.get(path, d.requestHeaders ? { ...d.requestHeaders } : undefined);
  } catch (e) {
    // a partner without identity sync; a tenant in no multi-tenant organization has no join request (src/catalog/multi-tenant-org.ts)
    if ((d.type === 'crossTenantIdentitySyncPolicyPartner' || d.type === 'multiTenantOrganizationJoinRequest') && isVaultError(e, 'GRAPH_NOT_FOUND')) return undefined;
    throw e;
  }
}
