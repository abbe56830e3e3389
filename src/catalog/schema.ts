/**
 * Read access to the generated Graph v1.0 schema subset (src/catalog/generated/):
 * structural properties of an entity type (inherited included), polymorphic unions,
 * and dotted-path resolution through complex types and inline navigation properties.
 */
import { graphTypes, type GeneratedProperty, type GeneratedType } from './generated/graph-v1.0.js';

/**
 * The generated type by qualified name.
 * @throws Error when the type is not part of the generated subset (a catalog bug).
 */
export function schemaType(qualifiedName: string): GeneratedType {
  const t = graphTypes[qualifiedName];
  if (!t) throw new Error(`catalog: type ${qualifiedName} is not in the generated Graph schema`);
  return t;
}

/**
 * Structural properties of an entity type including inherited ones; with
 * `withDerived`, also those declared only on generated derived types (first wins).
 */
export function structuralProperties(qualifiedName: string, withDerived = false): readonly GeneratedProperty[] {
  const t = schemaType(qualifiedName);
  if (!withDerived) return t.properties;
  const out = [...t.properties];
  const seen = new Set(out.map((p) => p.name));
  for (const d of t.derivedTypes) {
    for (const p of schemaType(d).properties) {
      if (!seen.has(p.name)) {
        seen.add(p.name);
        out.push(p);
      }
    }
  }
  return out;
}

/** Names of `structuralProperties(...)`. */
export function structuralPropertyNames(qualifiedName: string, withDerived = false): string[] {
  return structuralProperties(qualifiedName, withDerived).map((p) => p.name);
}

/**
 * Resolves a dotted path (`conditions.users.includeGroups`) from a type through
 * structural properties, complex types (and their derived types) and navigation
 * properties. Returns the leaf's type name (`Edm.String`, …) or undefined when any
 * segment does not exist. Arrays are traversed implicitly, as in ReferenceRule.
 * Never throws.
 */
export function resolvePath(qualifiedName: string, path: string): string | undefined {
  let candidates: string[] = [qualifiedName];
  let leaf: string | undefined;
  for (const segment of path.split('.')) {
    const next: string[] = [];
    leaf = undefined;
    for (const c of candidates) {
      const t = graphTypes[c];
      if (!t) continue;
      for (const variant of [t.name, ...t.derivedTypes]) {
        const v = graphTypes[variant];
        if (!v) continue;
        const prop = v.properties.find((p) => p.name === segment);
        const nav = v.navigationProperties.find((n) => n.name === segment);
        const typeName = prop?.type ?? nav?.type;
        if (typeName !== undefined) {
          leaf = typeName;
          next.push(typeName);
        }
      }
    }
    if (leaf === undefined) return undefined;
    candidates = [...new Set(next)];
  }
  return leaf;
}
