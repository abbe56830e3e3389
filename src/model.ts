/**
 * The directory data model shared by the snapshot engine, the archive, the planner
 * and the emulator's seed. Objects are Graph's JSON as returned with `$select` of
 * every catalog property; relations are pure edges (no id, no properties of their own).
 *
 * Things that have an id and properties of their own in Graph (app role assignments,
 * OAuth2 grants, role assignments, PIM schedules, scoped role memberships, federated
 * credentials, extension properties) are objects of their catalog type, whose
 * reference properties (principalId, resourceId, …) the catalog names. That keeps
 * attribute-level restore uniform: every property of every thing is in `objects/`.
 */
import type { RelationKind, ResourceType } from './catalog/types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One directory object, as Graph returns it (plus `@odata.type` where Graph gives one). */
export interface DirObject {
  id: string;
  [property: string]: Json | undefined;
}

/** An edge: `from` (the owning object's id) → `to` (the member/owner/manager id). */
export interface Relation {
  kind: RelationKind;
  from: string;
  to: string;
  /** Catalog type of `to` (from its `@odata.type`), so a restore knows what to remap. */
  toType: ResourceType;
}

/** A warning recorded in a snapshot: what could not be read, and why. */
export interface SnapshotWarning {
  code: 'PERMISSION_MISSING' | 'NOT_AVAILABLE' | 'READ_FAILED' | 'TRUNCATED_LIST';
  type: ResourceType | RelationKind;
  message: string;
  /** The application permission that would have allowed the read. */
  permission?: string;
}

/**
 * A whole tenant as data: what a backup captured or a seed generated. Objects of a
 * type are sorted by id; relations by (from, to).
 */
export interface TenantData {
  tenantId: string;
  initialDomain: string;
  objects: Partial<Record<ResourceType, DirObject[]>>;
  relations: Partial<Record<RelationKind, Relation[]>>;
}

/** Comparison helper used for every deterministic ordering in the project. */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function byEdge(a: Relation, b: Relation): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0;
}
