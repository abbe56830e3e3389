import { importArchive, initVault, listVault, pruneVault, vaultAccounting, verifyAuditLog, verifyVault } from '../../vault/index.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import type { VaultConsolidateOpts, VaultPruneOpts, VaultVerifyOpts } from './index.js';
import type { VaultListing } from '../../vault/index.js';
import { loadSigningKey } from '../../crypto/index.js';
import { consolidatePoint } from '../../ops/consolidate.js';
import { VERSION } from '../version.js';
import { recipientsFrom } from './backup.js';
import { passphraseOf } from './options.js';
import { VaultError } from '../../errors.js';

export async function vaultList(o: { vault: string; json?: boolean }, io: CliIo): Promise<number> {
  const rows = await listVault(o.vault);
  if (o.json) {
    writeLine(io.stdout, JSON.stringify(rows));
    return 0;
  }
  if (rows.length === 0) writeLine(io.stdout, 'the vault holds no archives');
  for (const r of rows) {
    writeLine(io.stdout, `${r.tenantId}  ${r.takenAt ?? '?'}  ${chainColumn(rows, r).padEnd(24)}  ${String(r.bytes).padStart(10)} B  signature ${r.signature}${r.error ? ` (${r.error})` : ''}  ${r.file}`);
  }
  return rows.every((r) => r.signature === 'valid') ? 0 : 3;
}

/** `full` or `incr N ← <parent's time>` (docs/archive-format.md §12.6): how the chains run. */
function chainColumn(rows: readonly VaultListing[], r: VaultListing): string {
  if (r.signature !== 'valid' || r.error) return '?';
  if (!r.parent) return 'full';
  const parent = rows.find((p) => p.tenantId === r.tenantId && p.manifestSha256 === r.parent!.manifestSha256);
  return `incr ${r.parent.index} <- ${parent?.takenAt ?? 'MISSING PARENT'}`;
}

/** `vault consolidate POINT`: the chain up to POINT as one full archive, signed anew. */
export async function vaultConsolidate(point: string, o: VaultConsolidateOpts, io: CliIo): Promise<number> {
  const passphrase = await passphraseOf(io, o, o.signingKey);
  const signingKey = await loadSigningKey(o.signingKey, passphrase);
  const r = await consolidatePoint({
    point, vault: o.vault, identityPath: o.identity, recipients: await recipientsFrom(o.recipient), signingKey, toolVersion: VERSION,
    ...(o.allowRollback ? { allowRollback: o.allowRollback } : {}),
  });
  if (o.json) writeLine(io.stdout, JSON.stringify(r));
  else writeLine(io.stdout, `consolidated chain link ${r.from.chainIndex} (${r.from.file}) into full archive ${r.archivePath}`);
  return 0;
}

export async function vaultVerify(o: VaultVerifyOpts, io: CliIo): Promise<number> {
  if ((o.readData || o.sample !== undefined) && !o.identity) throw new VaultError('USAGE', '--read-data and --sample need --identity', 'pass the age identity file');
  const passphrase = await passphraseOf(io, o, o.identity ?? 'the identity', { needed: o.identity !== undefined });
  const r = await verifyVault(o.vault, {
    ...(o.identity ? { identity: o.identity } : {}),
    ...(passphrase ? { passphrase } : {}),
    // an identity means contents are checked, as `verify ARCHIVE --identity` does (a sample
    // when --sample is given); before, `--identity` alone re-hashed nothing yet said "verified"
    ...(o.readData || o.identity || o.sample !== undefined ? { readData: true } : {}),
    ...(o.sample !== undefined ? { sample: o.sample } : {}),
  });
  if (o.json) writeLine(io.stdout, JSON.stringify(r));
  else {
    writeLine(io.stdout, `audit log: ${r.audit.ok ? 'chain intact' : `BROKEN (${r.audit.error ?? ''})`}, ${r.audit.lines} lines`);
    const verb = r.reconciled.repaired ? 'recorded now (archive.recovered)' : 'NOT recorded (vault not writable)';
    for (const f of r.reconciled.recorded) writeLine(io.stdout, `${f}: had no audit record (an interrupted import or backup): ${verb}`);
    for (const t of r.reconciled.raisedMarks) writeLine(io.stdout, `${t}: rollback mark was below an archive: ${r.reconciled.repaired ? 'raised' : 'NOT raised (vault not writable)'}`);
    for (const a of r.archives) {
      const data = a.report ? `, ${a.report.entriesChecked}/${a.report.entriesTotal} entries re-hashed (${(a.report.coverage * 100).toFixed(0)} % coverage, ${a.report.mode})` : '';
      writeLine(io.stdout, `${a.tenantId} ${a.takenAt ?? '?'}: signature ${a.signature}${a.error ? ` (${a.error})` : ''}${data}${a.chainProblem ? `: ${a.chainProblem}` : ''}`);
    }
    writeLine(io.stdout, r.ok ? 'vault verified' : 'vault verification FAILED');
  }
  return r.ok ? 0 : 3;
}

export async function vaultImport(archive: string, o: { vault: string; allowRollback?: string; json?: boolean }, io: CliIo): Promise<number> {
  const r = await importArchive(o.vault, archive, o.allowRollback ? { allowRollback: { reason: o.allowRollback } } : {});
  if (o.json) writeLine(io.stdout, JSON.stringify(r));
  else writeLine(io.stdout, `imported ${r.archivePath} (tenant ${r.tenantId}, sequence ${r.sequence})`);
  return 0;
}

export async function vaultPrune(o: VaultPruneOpts, io: CliIo): Promise<number> {
  const r = await pruneVault(o.vault, { keepDaily: o.keepDaily, keepWeekly: o.keepWeekly, keepMonthly: o.keepMonthly, keepYearly: o.keepYearly, dryRun: !o.apply });
  if (o.json) writeLine(io.stdout, JSON.stringify(r));
  else {
    for (const k of r.kept) writeLine(io.stdout, `keep   ${k.file} (${k.reasons.join(', ')})`);
    for (const x of r.removed) writeLine(io.stdout, `${r.dryRun ? 'would remove' : 'removed'} ${x.file} (${x.reason})`);
    if (r.dryRun) writeLine(io.stdout, 'dry run: nothing was deleted (use --apply)');
  }
  return 0;
}

export async function vaultAuditVerify(o: { vault: string; json?: boolean }, io: CliIo): Promise<number> {
  const r = await verifyAuditLog(o.vault);
  // an intact chain that does not mention an archive in the vault is not a verified log
  const gaps = await vaultAccounting(o.vault);
  const ok = gaps.recorded.length + gaps.raisedMarks.length === 0;
  if (o.json) writeLine(io.stdout, JSON.stringify({ ok, ...r, unaudited: gaps.recorded, marksBelowArchives: gaps.raisedMarks }));
  else {
    writeLine(io.stdout, `audit log chain intact: ${r.lines} lines`);
    for (const f of gaps.recorded) writeLine(io.stdout, `${f}: in the vault but not in the audit log (an interrupted import or backup)`);
    for (const t of gaps.raisedMarks) writeLine(io.stdout, `${t}: rollback mark below one of its archives`);
    if (!ok) writeLine(io.stderr, 'next: run `entra-vault vault verify --vault <dir>`, which records and repairs them');
  }
  return ok ? 0 : 3;
}

/** `vault init`: an empty vault holding only public keys (the custody side of the air gap). */
export async function vaultInit(o: { vault: string; signer: string; json?: boolean }, io: CliIo): Promise<number> {
  const cfg = await initVault(o.vault, { signerPublicKey: o.signer });
  if (o.json) writeLine(io.stdout, JSON.stringify({ vault: o.vault, trustedSigningKeys: cfg.trustedSigningKeys.length }));
  else writeLine(io.stdout, `vault created in ${o.vault}, trusting ${cfg.trustedSigningKeys.length} signing key(s)`);
  return 0;
}
