/**
 * Archive ids of contained objects whose Graph id is unique only under their parent
 * (catalog `idScopedByParent`): a user flow's attribute assignment is named by its attribute,
 * `City` or `extension_<guid>_shoeSize`, in every flow that asks for it (docs/graph-facts.md
 * §3 "Self-service sign-up user flows", S251). The archive, the planner and the restore journal
 * key objects by id across every type, so such an object is archived as `<parentId>/<graph id>`
 * (docs/archive-format.md §2 "Contained ids"); its `@parentId` annotation names the parent, and
 * the Graph id is the part after `<parentId>/`, used for every Graph path. Other types keep
 * their Graph ids unchanged. Pure.
 */
import type { ResourceDescriptor } from './types.js';

/** The archive id of the object Graph names `graphId` under parent `parentId`. */
export function scopedArchiveId(parentId: string, graphId: string): string {
  return `${parentId}/${graphId}`;
}

/**
 * The id Graph knows an object by: for a type with `idScopedByParent`, `id` without its
 * `<parentId>/` prefix; otherwise (or when `id` has no such prefix: a Graph id as a create
 * returned it) `id` itself.
 */
export function graphIdOf(d: Pick<ResourceDescriptor, 'idScopedByParent'>, id: string, parentId: string | undefined): string {
  if (!d.idScopedByParent || parentId === undefined) return id;
  const prefix = `${parentId}/`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

/** The archive id of an object a Graph answer names `graphId` (already scoped ids pass through). */
export function archiveIdOf(d: Pick<ResourceDescriptor, 'idScopedByParent'>, graphId: string, parentId: string | undefined): string {
  if (!d.idScopedByParent || parentId === undefined || graphId.startsWith(`${parentId}/`)) return graphId;
  return scopedArchiveId(parentId, graphId);
}
