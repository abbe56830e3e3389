/** The core's results in the shapes the wizard's screens show. Pure. */
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { FidelityRow } from './services.js';

/** Which object type a relation kind hangs off, so relation fidelity shows on that type's row. */
const RELATION_OWNER: Record<RelationKind, ResourceType> = {
  groupMembers: 'group',
  groupOwners: 'group',
  applicationOwners: 'application',
  servicePrincipalOwners: 'servicePrincipal',
  userManager: 'user',
  administrativeUnitMembers: 'administrativeUnit',
};

/** The core's fidelity report as the wizard's per-type rows, relations counted on their owning type. */
export function fidelityRows(f: FidelityReport): FidelityRow[] {
  const rows = new Map<string, FidelityRow>();
  for (const t of f.types) {
    rows.set(t.type, {
      type: t.type,
      objects: { expected: t.objectsExpected, matched: t.objectsRestored },
      attributes: { expected: t.attributesExpected, matched: t.attributesMatching },
      relations: { expected: 0, matched: 0 },
    });
  }
  for (const r of f.relations) {
    const owner = RELATION_OWNER[r.kind];
    const row = rows.get(owner) ?? { type: owner, objects: { expected: 0, matched: 0 }, attributes: { expected: 0, matched: 0 }, relations: { expected: 0, matched: 0 } };
    row.relations = { expected: row.relations.expected + r.expected, matched: row.relations.matched + r.restored };
    rows.set(owner, row);
  }
  return [...rows.values()];
}
