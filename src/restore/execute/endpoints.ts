/**
 * Which Graph endpoint each operation uses (docs/graph-facts.md §1, §3, §4, §7). Pure path
 * arithmetic: no I/O, so the mapping is testable on its own.
 */
import { relationCatalog } from '../../catalog/index.js';
import type { RelationKind, ResourceDescriptor, ResourceType } from '../../catalog/types.js';
import { graphIdOf } from '../../catalog/contained-ids.js';
import { restoresFromBin } from '../catalog.js';
import { VaultError } from '../../errors.js';

/** The part of a catalog descriptor the executor needs. */
export type ExecDescriptor = Pick<ResourceDescriptor, 'type' | 'path' | 'shape' | 'naturalKey' | 'softDelete' | 'inlineNavigation' | 'idScopedByParent' | 'requestHeaders'> & { parentType?: ResourceType; readOnly?: readonly string[] };
export type DescriptorLookup = (type: ResourceType) => ExecDescriptor;

/** Collection a new object is POSTed to (contained types under their live parent). */
export function collectionPath(d: ExecDescriptor, liveParentId?: string): string {
  if (d.shape === 'contained' || d.path.includes('{parentId}')) {
    if (!liveParentId) throw new Error(`contained type ${d.type} needs a parent id`);
    return d.path.replace('{parentId}', encodeURIComponent(liveParentId));
  }
  return d.path;
}

/**
 * Address of one existing object (singletons: the singleton itself). A contained id archived
 * as `<parentId>/<graph id>` is addressed by its Graph id (src/catalog/contained-ids.ts).
 */
export function itemPath(d: ExecDescriptor, liveId: string, liveParentId?: string): string {
  if (d.shape === 'singleton') return collectionPath(d, liveParentId);
  // archived under its sourceId, the alternate key Get, Update and Delete take (docs/graph-facts.md S371)
  if (d.type === 'profileSource') return `${d.path}(sourceId='${encodeURIComponent(liveId.replace(/'/g, "''"))}')`;
  return `${collectionPath(d, liveParentId)}/${encodeURIComponent(graphIdOf(d, liveId, liveParentId))}`;
}

/**
 * The recycle-bin restore action for a soft-deleted object (docs/graph-facts.md §4, S183).
 * @throws VaultError PLAN_BLOCKED for a kind no restore is planned for (the CA bin: S392)
 */
export function restorePath(d: ExecDescriptor, deletedId: string): string {
  const id = encodeURIComponent(deletedId);
  // the planner never takes a CA policy or named location from its bin (src/restore/catalog.ts
  // restoresFromBin); a plan made by an older version may still hold such an op: it fails alone
  if (!restoresFromBin(d)) throw new VaultError('PLAN_BLOCKED', `no recycle-bin restore exists for an application for ${d.type} ${deletedId}`, 'plan the restore again: it recreates the object');
  // a deleted lifecycle workflow (docs/graph-facts.md S183, S271)
  if (d.softDelete === 'lifecycleDeletedItems') return `/identityGovernance/lifecycleWorkflows/deletedItems/workflows/${id}/restore`;
  return `/directory/deletedItems/${id}/restore`;
}

/** PIM types are created through their schedule-request collections with action adminAssign. */
export const PIM_REQUEST_PATH: Partial<Record<ResourceType, string>> = {
  roleEligibilitySchedule: '/roleManagement/directory/roleEligibilityScheduleRequests',
  roleAssignmentSchedule: '/roleManagement/directory/roleAssignmentScheduleRequests',
};

export const PIM_SCHEDULE_PATH: Partial<Record<ResourceType, string>> = {
  roleEligibilitySchedule: '/roleManagement/directory/roleEligibilitySchedules',
  roleAssignmentSchedule: '/roleManagement/directory/roleAssignmentSchedules',
};

/** Where a relation edge is read and written ($ref), by the owning object's live id (docs/graph-facts.md §3 "Membership and ownership"). */
export function relationPath(kind: RelationKind, liveFromId: string): string {
  const rel = relationCatalog.find((r) => r.kind === kind);
  if (!rel) throw new Error(`no relation ${kind} in the catalog`);
  return rel.path.replace('{id}', encodeURIComponent(liveFromId));
}

/** Most references one `@odata.bind` PATCH may add (docs/graph-facts.md §3: "up to 20 per request"). */
export const BIND_MAX = 20;

/** True for relations Graph adds several at a time by PATCHing the owner (only group members are documented for PATCH). */
export function isBindable(kind: RelationKind): boolean {
  return kind === 'groupMembers';
}

/**
 * The PATCH that adds several edges of a bindable relation at once: `PATCH /groups/{id}`
 * with `members@odata.bind` (docs/graph-facts.md §3: at most 20, all or nothing).
 */
export function bindRequest(kind: RelationKind, liveFromId: string, liveToIds: readonly string[]): { path: string; body: Record<string, string[]> } {
  if (!isBindable(kind)) throw new Error(`bindRequest: ${kind} is not bindable`);
  return { path: `/groups/${encodeURIComponent(liveFromId)}`, body: { 'members@odata.bind': liveToIds.map((id) => `${DIRECTORY_OBJECTS_BASE}${id}`) } };
}

/** Base of `@odata.id` values in $ref bodies. */
export const DIRECTORY_OBJECTS_BASE = 'https://graph.microsoft.com/v1.0/directoryObjects/';
