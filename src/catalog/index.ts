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
for (const d of catalog) {
  byODataType.set(d.entityType, d.type);
  for (const derived of d.derivedEntityTypes ?? []) byODataType.set(derived, d.type);
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
 * `namedLocation`). Returns undefined for types outside the catalog (devices, org
 * contacts). Never throws.
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
