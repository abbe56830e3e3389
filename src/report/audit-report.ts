/**
 * The auditor's view of a vault: backups, verifications, drills and restores from the
 * hash-chained audit log (checked first — a report from a broken chain is refused), with
 * the recovery point and recovery time achieved against the targets in vault.json
 * (rpoHours / rtoHours, set with setRecoveryTargets).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { AUDIT_LOG, VAULT_CONFIG, appendAudit, readVaultConfig, verifyAuditLog, type AuditRecord, type VaultConfig } from '../vault/vault.js';
import type { Block, Doc } from './doc.js';

export interface RecoveryTargets {
  rpoHours: number | null;
  rtoHours: number | null;
}

/** The vault's recovery objectives (null = not set). */
export function recoveryTargets(config: VaultConfig): RecoveryTargets {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  return { rpoHours: n(config.rpoHours), rtoHours: n(config.rtoHours) };
}

/**
 * Set the vault's RPO/RTO targets in vault.json (atomic replace) and log the change.
 * Fields left undefined keep their value; null clears one.
 * @throws VaultError VAULT_INVALID | USAGE (not a positive number)
 */
export async function setRecoveryTargets(vault: string, t: Partial<RecoveryTargets>): Promise<RecoveryTargets> {
  const config = await readVaultConfig(vault);
  for (const [k, v] of Object.entries(t)) {
    if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new VaultError('USAGE', `${k} must be a positive number of hours`);
    }
  }
  const next: VaultConfig = {
    ...config,
    rpoHours: t.rpoHours !== undefined ? t.rpoHours : config.rpoHours,
    rtoHours: t.rtoHours !== undefined ? t.rtoHours : config.rtoHours,
  };
  await writeFileAtomic(join(vault, VAULT_CONFIG), `${JSON.stringify(next, null, 2)}\n`, 0o644, true);
  await appendAudit(vault, { action: 'vault.targets', rpoHours: next.rpoHours, rtoHours: next.rtoHours });
  return recoveryTargets(next);
}

/**
 * Read the audit log after checking its chain.
 * @throws VaultError AUDIT_CHAIN_BROKEN | VAULT_INVALID
 */
export async function readAuditRecords(vault: string): Promise<AuditRecord[]> {
  await readVaultConfig(vault);
  await verifyAuditLog(vault);
  const text = await readFile(join(vault, AUDIT_LOG), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

type Scalar = string | number | boolean | null;

export interface ReportedRun {
  at: string;
  action: string;
  scenario: string | null;
  result: string | null;
  who: string | null;
  rtoMs: number | null;
  /** RTO achieved within the target (null: no target or no measurement). */
  rtoMet: boolean | null;
  objects: string | null;
  pack: string | null;
}

export interface TenantRpo {
  tenantId: string;
  backups: number;
  lastBackupAt: string;
  /** Longest gap between consecutive backups in the period, and from the last one to the report time. */
  maxGapHours: number;
  rpoMet: boolean | null;
}

export interface AuditReport {
  vault: string;
  generatedAt: string;
  since: string | null;
  chain: { ok: true; lines: number };
  targets: RecoveryTargets;
  backups: { at: string; tenantId: string | null; file: string | null; objects: number | null; warnings: number | null; elapsedMs: number | null }[];
  imports: { at: string; tenantId: string | null; file: string | null; sequence: number | null }[];
  verifications: { at: string; action: string; result: string | null; detail: string | null }[];
  drills: ReportedRun[];
  restores: ReportedRun[];
  rpo: TenantRpo[];
  /** Every other action with its count (key management, prune, rollback overrides …). */
  other: Record<string, number>;
}

const str = (v: Scalar | undefined): string | null => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));
const num = (v: Scalar | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function run(r: AuditRecord, targets: RecoveryTargets): ReportedRun {
  const rtoMs = num(r.rtoMs) ?? num(r.elapsedMs);
  const exp = num(r.objectsExpected);
  const got = num(r.objectsRestored);
  return {
    at: r.at,
    action: r.action,
    // a resumed restore is its own run: the report says so instead of counting it under "other"
    scenario: r.action === 'restore.resume' && typeof r.scenario === 'string' ? `${r.scenario} (resumed)` : str(r.scenario),
    // evidence packs say pass/fail; restore records (version 2) their outcome
    result: str(r.result) ?? str(r.outcome) ?? (typeof r.ok === 'boolean' ? (r.ok ? 'pass' : 'fail') : null),
    who: str(r.who),
    rtoMs,
    rtoMet: targets.rtoHours === null || rtoMs === null ? null : rtoMs <= targets.rtoHours * 3_600_000,
    objects: exp !== null && got !== null ? `${got}/${exp}` : null,
    pack: str(r.pack),
  };
}

/**
 * Build the report from checked records. Pure. `since` filters by record time (ISO or
 * YYYY-MM-DD); RPO uses every backup up to `now` so the gap before the period counts.
 */
export function buildAuditReport(vault: string, records: AuditRecord[], config: VaultConfig, opts: { since?: string; now: Date }): AuditReport {
  const sinceMs = opts.since ? Date.parse(opts.since) : Number.NEGATIVE_INFINITY;
  if (opts.since && Number.isNaN(sinceMs)) throw new VaultError('USAGE', `--since is not a date: ${opts.since}`, 'use YYYY-MM-DD or an ISO 8601 time');
  const targets = recoveryTargets(config);
  const inPeriod = records.filter((r) => Date.parse(r.at) >= sinceMs);
  const report: AuditReport = {
    vault,
    generatedAt: opts.now.toISOString(),
    since: opts.since ?? null,
    chain: { ok: true, lines: records.length },
    targets,
    backups: [],
    imports: [],
    verifications: [],
    drills: [],
    restores: [],
    rpo: [],
    other: {},
  };
  for (const r of inPeriod) {
    const a = r.action;
    if (a === 'backup') {
      report.backups.push({ at: r.at, tenantId: str(r.tenantId), file: str(r.file), objects: num(r.objects), warnings: num(r.warnings), elapsedMs: num(r.elapsedMs) });
    } else if (a === 'archive.import') {
      report.imports.push({ at: r.at, tenantId: str(r.tenantId), file: str(r.file), sequence: num(r.sequence) });
    } else if (a === 'evidence.drill' || a === 'drill') {
      report.drills.push(run(r, targets));
    } else if ((a === 'restore' || a === 'restore.resume') && r.via === 'drill') {
      // a drill's own restore: the drill is reported once, by its evidence pack (evidence.drill)
      continue;
    } else if (a === 'evidence.restore' || a === 'restore' || a === 'restore.resume') {
      report.restores.push(run(r, targets));
    } else if (/verif/.test(a)) {
      const result = str(r.result) ?? (typeof r.ok === 'boolean' ? (r.ok ? 'pass' : 'fail') : null);
      report.verifications.push({ at: r.at, action: a, result, detail: str(r.detail) ?? str(r.summary) });
    } else {
      report.other[a] = (report.other[a] ?? 0) + 1;
    }
  }
  const byTenant = new Map<string, number[]>();
  for (const r of records) {
    if (r.action !== 'backup') continue;
    const t = str(r.tenantId) ?? 'unknown';
    byTenant.set(t, [...(byTenant.get(t) ?? []), Date.parse(r.at)]);
  }
  for (const [tenantId, times] of [...byTenant].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...times].sort((a, b) => a - b);
    let maxGap = 0;
    for (let i = 1; i < sorted.length; i++) if (sorted[i]! >= sinceMs) maxGap = Math.max(maxGap, sorted[i]! - sorted[i - 1]!);
    const last = sorted[sorted.length - 1]!;
    maxGap = Math.max(maxGap, opts.now.getTime() - last);
    const maxGapHours = Math.round((maxGap / 3_600_000) * 100) / 100;
    report.rpo.push({
      tenantId,
      backups: sorted.filter((t) => t >= sinceMs).length,
      lastBackupAt: new Date(last).toISOString(),
      maxGapHours,
      rpoMet: targets.rpoHours === null ? null : maxGapHours <= targets.rpoHours,
    });
  }
  return report;
}

const yesNo = (v: boolean | null) => (v === null ? 'no target' : v ? 'met' : 'MISSED');
const ms = (v: number | null) => (v === null ? '—' : v < 120_000 ? `${(v / 1000).toFixed(1)} s` : `${(v / 60_000).toFixed(1)} min`);

/** The report as a document (Markdown/HTML). Pure. */
export function auditReportDoc(r: AuditReport): Doc {
  const blocks: Block[] = [
    {
      kind: 'fields',
      fields: [
        ['Vault', r.vault],
        ['Generated', r.generatedAt],
        ['Period from', r.since ?? 'the beginning of the log'],
        ['Audit log', `hash chain intact, ${r.chain.lines} records`],
        ['RPO target', r.targets.rpoHours === null ? 'not set (entra-vault audit targets --rpo-hours N)' : `${r.targets.rpoHours} h`],
        ['RTO target', r.targets.rtoHours === null ? 'not set (entra-vault audit targets --rto-hours N)' : `${r.targets.rtoHours} h`],
      ],
    },
    { kind: 'heading', level: 1, text: `Recovery point per tenant (${r.rpo.length})` },
    { kind: 'table', head: ['Tenant', 'Backups in period', 'Last backup', 'Longest gap (h)', 'RPO'], rows: r.rpo.map((t) => [t.tenantId, String(t.backups), t.lastBackupAt, String(t.maxGapHours), yesNo(t.rpoMet)]) },
    { kind: 'heading', level: 1, text: `Backups (${r.backups.length})` },
    { kind: 'table', head: ['Time', 'Tenant', 'Archive', 'Objects', 'Warnings', 'Duration'], rows: r.backups.map((b) => [b.at, b.tenantId ?? '—', b.file ?? '—', String(b.objects ?? '—'), String(b.warnings ?? '—'), ms(b.elapsedMs)]) },
    { kind: 'heading', level: 1, text: `Verifications (${r.verifications.length})` },
    { kind: 'table', head: ['Time', 'Check', 'Result', 'Detail'], rows: r.verifications.map((v) => [v.at, v.action, v.result ?? '—', v.detail ?? '']) },
  ];
  for (const [title, runs] of [
    ['Drills', r.drills],
    ['Restores', r.restores],
  ] as const) {
    blocks.push({ kind: 'heading', level: 1, text: `${title} (${runs.length})` });
    blocks.push({
      kind: 'table',
      head: ['Time', 'Scenario', 'Result', 'Operator', 'Recovery time', 'RTO', 'Objects', 'Evidence'],
      rows: runs.map((d) => [d.at, d.scenario ?? '—', d.result ?? '—', d.who ?? '—', ms(d.rtoMs), yesNo(d.rtoMet), d.objects ?? '—', d.pack ?? '—']),
    });
  }
  const other = Object.entries(r.other).sort(([a], [b]) => (a < b ? -1 : 1));
  if (other.length) {
    blocks.push({ kind: 'heading', level: 1, text: 'Other recorded actions' });
    blocks.push({ kind: 'table', head: ['Action', 'Count'], rows: other.map(([a, n]) => [a, String(n)]) });
  }
  return { title: 'entra-vault audit report', blocks };
}
