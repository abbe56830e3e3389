/**
 * The vault's two crash invariants, checked and repaired together (docs/audit-log.md,
 * "Write order"):
 *
 * 1. Every listed (signed) archive has an audit record (`archive.import`, `backup` or
 *    `archive.recovered`). An import or backup killed after publishing the archive but before
 *    its audit line leaves an unaudited archive: it is recorded as `archive.recovered`, with
 *    its manifest hash from the signed trusted comment, so nothing in the vault is unaccounted.
 * 2. Each tenant's rollback mark (`sequence.json`) is at least the highest sequence of its
 *    listed archives. Import raises the mark before publishing, so a kill cannot leave an
 *    archive above the mark; an archive left above it by an older version is repaired here.
 *
 * Pure over injected reads and writes, so the vault module keeps one lock and one owner of
 * each file.
 */
import { basename } from 'node:path';
import type { TrustedComment } from '../archive/index.js';

export interface ReconcileIo {
  /** Signed archives of the vault (absolute paths) with the tenant directory they are in. */
  archives: { tenantId: string; file: string }[];
  /** The audit log's records (parsed lines). */
  auditRecords: { action?: unknown; tenantId?: unknown; file?: unknown; sequence?: unknown }[];
  /**
   * The custody (signature) check of one archive: its trusted comment, or null when it fails
   * (such an archive is not recorded; the custody listing reports it). Called only for
   * unaudited archives.
   */
  custody(file: string, tenantId: string): Promise<TrustedComment | null>;
  readMark(tenantId: string): Promise<number | null>;
  raiseMark(tenantId: string, sequence: number, takenAt: string | null): Promise<void>;
  recordRecovered(tc: TrustedComment, file: string): Promise<void>;
}

export interface Reconciled {
  /** Archives that had no audit record (and now have `archive.recovered` unless dry run): tenant/file. */
  recorded: string[];
  /** Tenants whose rollback mark was below one of their archives (and was raised unless dry run). */
  raisedMarks: string[];
}

/** `tenant/file` of each archive the audit log accounts for, with its sequence when the record has it. */
export function auditedArchives(records: ReconcileIo['auditRecords']): Map<string, { sequence: number; takenAt: string | null } | null> {
  const out = new Map<string, { sequence: number; takenAt: string | null } | null>();
  for (const r of records) {
    if (typeof r.file !== 'string') continue;
    if (r.action === 'backup') {
      if (!out.has(r.file)) out.set(r.file, null);
    } else if ((r.action === 'archive.import' || r.action === 'archive.recovered') && typeof r.tenantId === 'string') {
      const seq = typeof r.sequence === 'number' ? { sequence: r.sequence, takenAt: typeof (r as { takenAt?: unknown }).takenAt === 'string' ? (r as { takenAt: string }).takenAt : null } : null;
      out.set(`${r.tenantId}/${basename(r.file)}`, seq);
    }
  }
  return out;
}

/**
 * Checks both invariants and repairs what breaks them. Only unaudited archives are read
 * (their signature is verified before they are recorded); audited ones are known by their
 * record. `dryRun` reports without writing (a vault on read-only media is still checked).
 * Never throws for an archive whose signature fails (it is skipped, not recorded).
 */
export async function reconcile(io: ReconcileIo, dryRun = false): Promise<Reconciled> {
  const audited = auditedArchives(io.auditRecords);
  const out: Reconciled = { recorded: [], raisedMarks: [] };
  const highest = new Map<string, { sequence: number; takenAt: string | null }>();
  for (const a of io.archives) {
    const key = `${a.tenantId}/${basename(a.file)}`;
    let seq = audited.get(key) ?? null;
    if (!audited.has(key)) {
      const tc = await io.custody(a.file, a.tenantId);
      if (!tc) continue;
      out.recorded.push(key);
      if (!dryRun) await io.recordRecovered(tc, a.file);
      seq = { sequence: tc.sequence, takenAt: tc.takenAt };
    }
    const best = highest.get(a.tenantId);
    if (seq && (!best || seq.sequence > best.sequence)) highest.set(a.tenantId, seq);
  }
  for (const [tenantId, seq] of highest) {
    const mark = await io.readMark(tenantId);
    if (mark === null || seq.sequence > mark) {
      out.raisedMarks.push(tenantId);
      if (!dryRun) await io.raiseMark(tenantId, seq.sequence, seq.takenAt);
    }
  }
  return out;
}
