/** The core's results in the shapes the wizard's screens show. Pure. */
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import { relationCatalog } from '../src/catalog/index.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { ExecutionResult } from '../src/restore/execute/executor.js';
import type { ExecuteResult, FidelityRow } from './services.js';

/** What a finished run counts as failed and skipped (the executor's counts and failure list). */
export function runFailures(ex: Pick<ExecutionResult, 'counts' | 'failures'> | undefined): Pick<ExecuteResult, 'failed' | 'skipped' | 'failures'> {
  if (!ex) return { failed: 0, skipped: 0, failures: [] };
  const failures = ex.failures.map((f) => ({ label: f.label, reason: `[${f.code}] ${f.message}` }));
  return { failed: Math.max(failures.length, ex.counts.failed ?? 0), skipped: ex.counts.skipped ?? 0, failures };
}

/**
 * Whether a finished restore brought back everything: no failed or skipped operation, every
 * expected object, attribute and relation matched, no deviation. Only then may the report
 * say so (the headline, its colour and the exit code follow this, never the status alone).
 */
export function restoredEverything(r: Pick<ExecuteResult, 'status' | 'failed' | 'skipped' | 'fidelity' | 'deviations'>): boolean {
  if (r.status !== 'completed' || r.failed > 0 || r.skipped > 0 || r.deviations.length > 0) return false;
  return r.fidelity.every((f) => f.objects.matched >= f.objects.expected && f.attributes.matched >= f.attributes.expected && f.relations.matched >= f.relations.expected);
}

/** Which object type a relation kind hangs off, so relation fidelity shows on that type's row. */
const RELATION_OWNER = new Map<RelationKind, ResourceType>(relationCatalog.map((r) => [r.kind, r.fromType]));

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
    const owner = RELATION_OWNER.get(r.kind);
    if (!owner) continue;
    const row = rows.get(owner) ?? { type: owner, objects: { expected: 0, matched: 0 }, attributes: { expected: 0, matched: 0 }, relations: { expected: 0, matched: 0 } };
    row.relations = { expected: row.relations.expected + r.expected, matched: row.relations.matched + r.restored };
    rows.set(owner, row);
  }
  return [...rows.values()];
}
