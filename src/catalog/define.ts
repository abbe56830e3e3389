/**
 * How a resource spec becomes a descriptor: the spec names the hand-written rules, the
 * property lists come from the generated v1.0 CSDL subset (resources.ts explains the
 * conventions). Kept apart from resources.ts so that file is the declarative table only.
 */
import type { ReferenceRule, ResourceDescriptor, ResourceType, RestoreTier, SoftDelete } from './types.js';
import { schemaType, structuralProperties } from './schema.js';
import { propertyNotes2021 } from './generated/graph-v1.0.js';
/** One resource type as resources.ts writes it. */
export interface Spec {
  type: ResourceType;
  entityType: string;
  title: string;
  path: string;
  shape: ResourceDescriptor['shape'];
  parentType?: ResourceType;
  /** Structural properties deliberately not selected → reason. */
  excluded?: Readonly<Record<string, string>>;
  perObjectProperties?: readonly string[];
  /** Read-only beyond CSDL Computed. */
  readOnly?: readonly string[];
  createOnly?: readonly string[];
  requiredOnCreate: readonly string[];
  references?: readonly ReferenceRule[];
  naturalKey: readonly string[];
  softDelete: SoftDelete;
  delta?: boolean;
  tier: RestoreTier;
  permissions: { read: string; write: string };
  defaultProperties?: readonly string[];
  polymorphic?: boolean;
  /**
   * With `polymorphic`: the derived types this path serves, when it serves only some of the
   * entity type's (identity providers: the domain federation types live under /domains; their
   * own properties are then `excluded` with that reason).
   */
  derivedTypes?: readonly string[];
  keyProperty?: string;
  inlineNavigation?: readonly string[];
  /** See ResourceDescriptor.navigationReads (read per object from their own path). */
  navigationReads?: readonly string[];
  listQuery?: string;
  /** See ResourceDescriptor.parentExpand (read as an expansion of the parent's GET). */
  parentExpand?: string;
  /** See ResourceDescriptor.idScopedByParent (archived as `<parentId>/<graph id>`). */
  idScopedByParent?: boolean;
  /** See ResourceDescriptor.requestHeaders (sent on every read and write). */
  requestHeaders?: Readonly<Record<string, string>>;
}

export const ms = (name: string): string => `microsoft.graph.${name}`;

/** Builds a descriptor from a spec. @throws Error when the spec names unknown properties. */
export function define(spec: Spec): ResourceDescriptor {
  const polymorphic = spec.polymorphic === true;
  const all = structuralProperties(spec.entityType, polymorphic);
  const excluded = spec.excluded ?? {};
  const perObject = spec.perObjectProperties ?? [];
  const known = new Set(all.map((p) => p.name));
  for (const name of [...Object.keys(excluded), ...perObject, ...(spec.readOnly ?? []), ...(spec.createOnly ?? []), ...spec.requiredOnCreate]) {
    if (!known.has(name)) throw new Error(`catalog: ${spec.type}.${name} is not a property of ${spec.entityType}`);
  }
  const skip = new Set([...Object.keys(excluded), ...perObject]);
  const properties = all.map((p) => p.name).filter((n) => !skip.has(n));
  // `id` is server-assigned (docs/graph-facts.md §3) unless the spec lets the client choose it.
  const clientId = (spec.createOnly ?? []).includes('id');
  const readOnlySet = new Set<string>([...(clientId ? [] : ['id']), ...(spec.readOnly ?? [])]);
  for (const p of all) if (p.computed) readOnlySet.add(p.name);
  const readOnly = properties.filter((n) => readOnlySet.has(n));
  const createOnlySet = new Set<string>(spec.createOnly ?? []);
  for (const p of all) if (p.immutable && !readOnlySet.has(p.name)) createOnlySet.add(p.name);
  const createOnly = properties.filter((n) => createOnlySet.has(n));
  const d: ResourceDescriptor = {
    type: spec.type,
    entityType: spec.entityType,
    title: spec.title,
    path: spec.path,
    shape: spec.shape,
    properties,
    readOnly,
    createOnly,
    requiredOnCreate: spec.requiredOnCreate,
    excluded,
    references: spec.references ?? [],
    naturalKey: spec.naturalKey,
    softDelete: spec.softDelete,
    delta: spec.delta ?? false,
    tier: spec.tier,
    permissions: spec.permissions,
  };
  if (spec.parentType) d.parentType = spec.parentType;
  if (spec.defaultProperties) d.defaultProperties = spec.defaultProperties;
  if (perObject.length > 0) d.perObjectProperties = perObject;
  if (polymorphic) d.derivedEntityTypes = spec.derivedTypes ?? schemaType(spec.entityType).derivedTypes;
  if (spec.keyProperty) d.keyProperty = spec.keyProperty;
  if (spec.inlineNavigation) d.inlineNavigation = spec.inlineNavigation;
  if (spec.navigationReads) d.navigationReads = spec.navigationReads;
  if (spec.listQuery) d.listQuery = spec.listQuery;
  if (spec.parentExpand) d.parentExpand = spec.parentExpand;
  if (spec.requestHeaders) d.requestHeaders = spec.requestHeaders;
  if (spec.idScopedByParent) {
    if (!spec.parentType) throw new Error(`catalog: ${spec.type} scopes its id by a parent but has no parentType`);
    d.idScopedByParent = true;
  }
  return d;
}

/** 2021 docs' default-returned list (docs/graph-facts.md §2). @throws Error when absent. */
export function defaultsFromNotes(entityType: string): readonly string[] {
  const list = propertyNotes2021[entityType]?.defaultProperties;
  if (!list) throw new Error(`catalog: no default property notes for ${entityType}`);
  return list;
}
