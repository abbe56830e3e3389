/** The core's results in the shapes the wizard's screens show. Pure. */
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { FidelityRow } from './services.js';

/** Operations a journal records as finished (done or skipped, latest state per op); a torn last line is ignored. */
export function doneOps(journalText: string): number {
  const latest = new Map<string, string>();
  for (const line of journalText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as { opId?: unknown; state?: unknown };
      if (typeof rec.opId === 'string' && typeof rec.state === 'string') latest.set(rec.opId, rec.state);
    } catch {
      // the last line of a killed run can be torn: the core re-checks that op on resume
    }
  }
  return [...latest.values()].filter((st) => st === 'done' || st === 'skipped').length;
}

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
