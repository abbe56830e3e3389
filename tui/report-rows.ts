/**
 * The core's results in the shapes the wizard's screens show, and the outcome's rules (the
 * headline and the exit code) the Ink report and the plain wizard share. Pure.
 */
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import { relationCatalog } from '../src/catalog/index.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { ExecutionResult } from '../src/restore/execute/executor.js';
import { withNext } from '../src/restore/execute/context.js';
import type { ExecuteResult, FidelityRow, VerifyArchiveResult } from './services.js';
import { formatCount } from './format.js';

/** What a finished run counts as failed and skipped (the executor's counts and failure list). */
export function runFailures(ex: Pick<ExecutionResult, 'counts' | 'failures'> | undefined): Pick<ExecuteResult, 'failed' | 'skipped' | 'failures'> {
  if (!ex) return { failed: 0, skipped: 0, failures: [] };
  const failures = ex.failures.map((f) => ({ label: f.label, reason: `[${f.code}] ${withNext(f)}` }));
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

/**
 * The exit code of a finished wizard, as the CLI's (src/cli/exit.ts): 0 only when everything
 * was restored (or a dry run), 2 paused, 1 when anything failed, was skipped or is missing,
 * or the vault check failed.
 */
export function exitCodeOf(result: ExecuteResult | null, verify: VerifyArchiveResult | null): number {
  // the vault check failing elsewhere is still a failed check (as `vault verify` exits), though not this archive's
  if (verify) return verify.ok && (verify.elsewhere ?? []).length === 0 ? 0 : 1;
  if (!result) return 1;
  if (result.status === 'paused') return 2;
  if (result.status === 'dryRun') return 0;
  return restoredEverything(result) ? 0 : 1;
}

/** The one line people read: it follows the real outcome, never the status alone. */
export function headlineOf(r: ExecuteResult): { tone: 'good' | 'warn' | 'bad'; text: string } {
  if (r.status === 'dryRun') return { tone: 'warn', text: 'Dry run finished: nothing was written.' };
  if (r.status === 'paused') return { tone: 'warn', text: 'Paused at an operation boundary: reopen the wizard to resume.' };
  if (r.failed > 0 || r.skipped > 0) {
    return { tone: 'bad', text: `✗ Restore INCOMPLETE: ${formatCount(r.failed)} failed, ${formatCount(r.skipped)} skipped. Reopen the wizard to resume.` };
  }
  if (!restoredEverything(r)) {
    return { tone: 'warn', text: `! Restore finished with ${formatCount(r.deviations.length)} deviations: see Deviations and Manual steps.` };
  }
  return { tone: 'good', text: '✓ Restore completed and verified.' };
}

export function ratio(x: { expected: number; matched: number }): string {
  if (x.expected === 0) return '-';
  // Rounded down, so a single missing attribute never shows as 100%.
  return x.matched === x.expected ? '100%' : `${(Math.floor((x.matched / x.expected) * 1000) / 10).toFixed(1)}%`;
}

/** The files a finished run wrote, as the Files view lists them. */
export function fileRows(r: ExecuteResult): Array<{ what: string; path: string; note?: string }> {
  const rows: Array<{ what: string; path: string; note?: string }> = [
    { what: 'Report', path: r.reportPath },
    { what: 'Runbook', path: r.runbookPath },
  ];
  if (r.credentialsPath) rows.push({ what: 'Credentials', path: r.credentialsPath, note: `age-encrypted: the temporary passwords, readable only with the operator identity. Read it on this terminal: entra-vault credentials show ${r.credentialsPath} --identity <your identity file>` });
  if (r.journalPath) rows.push({ what: 'Journal', path: r.journalPath });
  return rows;
}

/** One fidelity cell in words: "1,198 of 1,198 (100%)". */
export function fidelityCell(x: { expected: number; matched: number }): string {
  return `${formatCount(x.matched)} of ${formatCount(x.expected)} (${ratio(x)})`;
}
