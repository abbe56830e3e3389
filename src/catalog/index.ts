/**
 * The catalog: one descriptor per Entra resource type (restore order) and one per
 * relation kind. Everything here is static data; lookups never touch the network.
 */
import type { RelationDescriptor, RelationKind, ResourceDescriptor, ResourceType } from './types.js';
import { resources } from './resources.js';
import { relations } from './relations.js';

export type * from './types.js';

/** Every ResourceType, in restore order (tier, then dependencies within a tier). */
export const catalog: readonly ResourceDescriptor[] = resources;

/** Every RelationKind. */
export const relationCatalog: readonly RelationDescriptor[] = relations;

const byType = new Map<string, ResourceDescriptor>(catalog.map((d) => [d.type, d]));
const byKind = new Map<string, RelationDescriptor>(relationCatalog.map((d) => [d.kind, d]));

/** `#microsoft.graph.x` (and derived types such as ipNamedLocation) → catalog type. */
const byODataType = new Map<string, ResourceType>();
// Two catalog types may share an entity type (a permission grant policy's include and exclude
// condition sets): the first in catalog order names it; neither is ever a directoryObject.
for (const d of catalog) {
  for (const t of [d.entityType, ...(d.derivedEntityTypes ?? [])]) if (!byODataType.has(t)) byODataType.set(t, d.type);
}

/**
 * The descriptor of a resource type.
 * @throws Error on an unknown type (a programming error, not an operator error).
 */
export function descriptor(type: ResourceType): ResourceDescriptor {
  const d = byType.get(type);
  if (!d) throw new Error(`catalog: unknown resource type ${String(type)}`);
  return d;
}

/**
 * The descriptor of a relation kind.
 * @throws Error on an unknown kind.
 */
export function relationDescriptor(kind: RelationKind): RelationDescriptor {
  const d = byKind.get(kind);
  if (!d) throw new Error(`catalog: unknown relation kind ${String(kind)}`);
  return d;
}

/**
 * Maps an `@odata.type` (`#microsoft.graph.user`, with or without `#`) to its catalog
 * type; derived types map to their base (`#microsoft.graph.ipNamedLocation` →
 * `namedLocation`). Returns undefined for types outside the catalog (a printer, say).
 * Never throws.
 */
export function typeForODataType(odataType: string): ResourceType | undefined {
  const name = odataType.startsWith('#') ? odataType.slice(1) : odataType;
  return byODataType.get(name);
}

/** True when `s` names a catalog resource type. Never throws. */
export function isResourceType(s: string): s is ResourceType {
  return byType.has(s);
}

/** True when `s` names a relation kind. Never throws. */
export function isRelationKind(s: string): s is RelationKind {
  return byKind.has(s);
}

/**
 * The concrete path of a type's collection or singleton: substitutes `{parentId}`
 * (contained types, and singletons under a parent such as organizationalBranding,
 * `/organization/{parentId}/branding`). The id is URL-encoded.
 * @throws Error when the path needs a parent id and none is given, or one is given
 * for a path without `{parentId}` (a programming error).
 */
export function instancePath(d: ResourceDescriptor, parentId?: string): string {
  const needsParent = d.path.includes('{parentId}');
  if (needsParent !== (parentId !== undefined)) {
    throw new Error(`catalog: ${d.type} path ${d.path} ${needsParent ? 'needs' : 'takes no'} parent id`);
  }
  return parentId === undefined ? d.path : d.path.replace('{parentId}', encodeURIComponent(parentId));
}
