/**
 * `entra-vault audit verify|report|targets`: the auditor's commands. verify checks the
 * vault's hash-chained audit log, every archive's custody and every evidence pack
 * (signatures + the log record naming it) and prints a summary that can be pasted into an
 * audit file; report lists backups, verifications, drills and restores with RPO/RTO
 * achieved against the vault's targets.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { VaultError, isVaultError } from '../../errors.js';
import { loadSigningPublicKey } from '../../crypto/keys.js';
import { parsePublicKey, type MinisignPublicKey } from '../../crypto/minisign.js';
import { appendAudit, listVault, readVaultConfig, vaultAccounting, verifyAuditLog } from '../../vault/index.js';
import { auditReportDoc, buildAuditReport, readAuditRecords, setRecoveryTargets } from '../../report/audit-report.js';
import { renderHtml, renderMarkdown } from '../../report/doc.js';
import { verifyEvidencePack, type EvidenceVerification } from '../../report/evidence.js';
import { scriptInventory } from '../../ops/procedures.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';

export interface AuditVerifyOpts {
  vault: string;
  /** Evidence pack directories; default: every pack the audit log names that still exists. */
  evidence?: string[];
  /** Signing public key of the evidence (default: the vault's trusted keys). */
  signer?: string;
  /** Append the result to the audit log. */
  record?: boolean;
  json?: boolean;
}

export interface AuditReportOpts {
  vault: string;
  since?: string;
  json?: boolean;
  out?: string;
  html?: boolean;
}

export interface AuditTargetsOpts {
  vault: string;
  rpoHours?: string;
  rtoHours?: string;
  json?: boolean;
}

interface PackOutcome {
  dir: string;
  ok: boolean;
  verification?: EvidenceVerification;
  error?: { code: string; message: string };
}

async function packsFromLog(vault: string): Promise<string[]> {
  try {
    const recs = await readAuditRecords(vault);
    const dirs = recs
      .filter((r) => typeof r.action === 'string' && r.action.startsWith('evidence.') && typeof r.pack === 'string')
      .map((r) => (isAbsolute(r.pack as string) ? (r.pack as string) : join(vault, r.pack as string)));
    return [...new Set(dirs)].filter((d) => existsSync(d));
  } catch {
    return [];
  }
}

function dur(ms: number): string {
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * Verify the audit chain, archive custody and evidence packs; print a summary.
 * @throws VaultError AUDIT_CHAIN_BROKEN | EVIDENCE_INVALID (after printing the summary) | VAULT_INVALID
 */
export async function auditVerifyCommand(o: AuditVerifyOpts, io: CliIo): Promise<number> {
  const config = await readVaultConfig(o.vault);
  const keys: MinisignPublicKey[] = o.signer ? [await loadSigningPublicKey(o.signer)] : config.trustedSigningKeys.map((k) => parsePublicKey(k));
  let chain: { ok: boolean; lines: number; error?: VaultError };
  try {
    chain = { ok: true, ...(await verifyAuditLog(o.vault)) };
  } catch (e) {
    if (!isVaultError(e)) throw e;
    chain = { ok: false, lines: 0, error: e };
  }
  const listing = await listVault(o.vault);
  const archivesValid = listing.filter((l) => l.signature === 'valid').length;
  // an intact chain that does not mention an archive in the vault is not a complete record
  const gaps = await vaultAccounting(o.vault);
  const dirs = o.evidence?.length ? o.evidence : await packsFromLog(o.vault);
  const current = await scriptInventory();
  const packs: PackOutcome[] = [];
  for (const dir of dirs) {
    try {
      packs.push({ dir, ok: true, verification: await verifyEvidencePack(dir, { signerPublicKey: keys, vault: o.vault, currentScripts: current }) });
    } catch (e) {
      if (!isVaultError(e)) throw e;
      packs.push({ dir, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  const ok = chain.ok && archivesValid === listing.length && gaps.recorded.length === 0 && packs.every((p) => p.ok);
  const now = new Date().toISOString();
  if (o.json) {
    writeLine(io.stdout, JSON.stringify({
      ok,
      vault: o.vault,
      checkedAt: now,
      auditLog: { ok: chain.ok, records: chain.lines, ...(chain.error ? { error: chain.error.code, message: chain.error.message } : {}) },
      archives: { total: listing.length, signatureValid: archivesValid, unaudited: gaps.recorded, invalid: listing.filter((l) => l.signature !== 'valid').map((l) => ({ file: l.file, signature: l.signature, error: l.error ?? null })) },
      evidence: packs.map((p) => (p.ok ? { dir: p.dir, ok: true, ...p.verification } : { dir: p.dir, ok: false, ...p.error })),
    }));
  } else {
    const out = (l: string) => writeLine(io.stdout, l);
    out(`entra-vault audit verify — vault ${o.vault} — ${now}`);
    out(chain.ok ? `audit log: OK, ${chain.lines} records, hash chain intact` : `audit log: FAILED [${chain.error!.code}] ${chain.error!.message}`);
    out(`archives: ${listing.length}, signatures valid ${archivesValid}${archivesValid === listing.length ? '' : ' — FAILED'}`);
    for (const l of listing.filter((x) => x.signature !== 'valid')) out(`  - ${l.file}: ${l.signature}${l.error ? ` [${l.error}]` : ''}`);
    if (gaps.recorded.length) out(`archives without an audit record: ${gaps.recorded.length} — FAILED`);
    for (const f of gaps.recorded) out(`  - ${f}: in the vault but not in the audit log (an interrupted import or backup)`);
    out(`evidence packs: ${packs.length}`);
    for (const p of packs) {
      if (p.ok) {
        const v = p.verification!;
        out(`  - ${p.dir}: OK — ${v.kind} ${v.scenario} ${v.result.toUpperCase()}, by ${JSON.stringify(v.who)}, finished ${v.finishedAt}, RTO ${dur(v.rtoMs)}, sha256 ${v.sha256}, signed by ${v.signingKeyId}, audit log line ${v.recorded?.line ?? '?'}`);
        if (v.scriptsChanged?.length) out(`    note: recovery scripts changed since: ${v.scriptsChanged.join(', ')}`);
      } else {
        out(`  - ${p.dir}: FAILED [${p.error!.code}] ${p.error!.message}`);
      }
    }
    out(`audit verify: ${ok ? 'OK' : 'FAILED'}`);
  }
  if (o.record && chain.ok) {
    await appendAudit(o.vault, {
      action: 'audit.verify',
      result: ok ? 'pass' : 'fail',
      records: chain.lines,
      archives: listing.length,
      archivesValid,
      packs: packs.length,
      packsValid: packs.filter((p) => p.ok).length,
    });
  }
  if (chain.error) throw chain.error;
  const bad = packs.find((p) => !p.ok);
  if (bad) throw new VaultError('EVIDENCE_INVALID', bad.error!.message);
  if (gaps.recorded.length) {
    throw new VaultError('AUDIT_INCOMPLETE', `${gaps.recorded.length} archive(s) in the vault have no audit record, e.g. ${gaps.recorded[0]}`, 'run entra-vault vault verify --vault <dir>: it checks their signatures and records them (archive.recovered)');
  }
  if (archivesValid !== listing.length) {
    const l = listing.find((x) => x.signature !== 'valid')!;
    throw new VaultError(l.signature === 'missing' ? 'SIGNATURE_MISSING' : 'SIGNATURE_INVALID', `archive ${l.file} fails its custody check`, 'run entra-vault vault verify for details');
  }
  return 0;
}

/**
 * Print the audit report (Markdown, or JSON with --json; --out writes a file, --html too).
 * @throws VaultError AUDIT_CHAIN_BROKEN | VAULT_INVALID | USAGE (bad --since)
 */
export async function auditReportCommand(o: AuditReportOpts, io: CliIo): Promise<number> {
  const config = await readVaultConfig(o.vault);
  const records = await readAuditRecords(o.vault);
  const report = buildAuditReport(o.vault, records, config, { ...(o.since ? { since: o.since } : {}), now: new Date() });
  const doc = auditReportDoc(report);
  const text = o.json ? `${JSON.stringify(report, null, 2)}\n` : o.html && !o.out ? renderHtml(doc) : renderMarkdown(doc);
  if (o.out) {
    await writeFile(o.out, text, { mode: 0o644 });
    const written = [o.out];
    if (o.html) {
      const h = o.out.endsWith('.md') ? `${o.out.slice(0, -3)}.html` : `${o.out}.html`;
      await writeFile(h, renderHtml(doc), { mode: 0o644 });
      written.push(h);
    }
    writeLine(io.stderr, `audit report written: ${written.join(', ')}`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

function hours(name: string, v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'none') return null;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new VaultError('USAGE', `${name} must be a positive number of hours or 'none'`);
  return n;
}

/**
 * Set (or show) the vault's RPO/RTO targets.
 * @throws VaultError VAULT_INVALID | USAGE
 */
export async function auditTargetsCommand(o: AuditTargetsOpts, io: CliIo): Promise<number> {
  const rpo = hours('--rpo-hours', o.rpoHours);
  const rto = hours('--rto-hours', o.rtoHours);
  let t;
  if (rpo === undefined && rto === undefined) {
    const c = await readVaultConfig(o.vault);
    t = { rpoHours: c.rpoHours, rtoHours: c.rtoHours };
  } else {
    t = await setRecoveryTargets(o.vault, { ...(rpo !== undefined ? { rpoHours: rpo } : {}), ...(rto !== undefined ? { rtoHours: rto } : {}) });
  }
  if (o.json) writeLine(io.stdout, JSON.stringify(t));
  else writeLine(io.stdout, `RPO target: ${t.rpoHours ?? 'not set'} h, RTO target: ${t.rtoHours ?? 'not set'} h`);
  return 0;
}
