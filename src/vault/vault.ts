/**
 * The offline vault: V/vault.json (config and trusted signing public keys), V/audit.log
 * (hash-chained, fsync'd JSON lines), V/<tenantId>/<UTC>.evault(+.minisig) and
 * V/<tenantId>/sequence.json (highest sequence seen: rollback defence). Custody checks
 * need only public keys; the vault never holds a decryption key.
 */
import { constants, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { VaultError, isVaultError } from '../errors.js';
import { loadSigningPublicKey } from '../crypto/keys.js';
import { encodePublicKey, type MinisignPublicKey, type MinisignSecretKey } from '../crypto/minisign.js';
import { cleanupStaleTemps, exists, fsyncDir, openTemp, pidAlive, publishTemp, sameFile, writeFileAtomic } from '../fs/atomic.js';
import { appendAudit, readAuditRecords, verifyAuditLog } from './audit-log.js';
import { reconcile, type Reconciled } from './reconcile.js';
import { readVaultConfig, trustedKeys, VAULT_CONFIG, type VaultConfig } from './config.js';
import { chainProblems } from './chain.js';

export * from './audit-log.js';
export * from './config.js';
import { ARCHIVE_EXTENSION, SIGNATURE_EXTENSION, assertSafeTenantId, timestampName, type TrustedComment } from '../archive/manifest.js';
import { verifyArchive, verifyCustody, type VerifyReport } from '../archive/reader.js';

/** Archives found without their signature are moved here (per tenant), never listed. */
export const QUARANTINE_DIR = '.quarantine';
const LOCK_FILE = '.lock';

/**
 * Create a vault in `dir` (must not contain a vault.json yet).
 * @throws VaultError FILE_EXISTS | KEY_INVALID | FILE_NOT_FOUND
 */
export async function initVault(dir: string, opts: { signerPublicKey: string }): Promise<VaultConfig> {
  const pk = await loadSigningPublicKey(opts.signerPublicKey);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const config: VaultConfig = {
    format: 'entra-vault-vault',
    version: 1,
    createdAt: new Date().toISOString(),
    trustedSigningKeys: [encodePublicKey(pk)],
    rpoHours: null,
    rtoHours: null,
  };
  await writeFileAtomic(join(dir, VAULT_CONFIG), `${JSON.stringify(config, null, 2)}\n`, 0o644);
  await appendAudit(dir, { action: 'vault.init', signingKeyId: keyIdOf(pk) });
  return config;
}

function keyIdOf(pk: MinisignPublicKey): string {
  return Buffer.from(pk.keyId).reverse().toString('hex').toUpperCase();
}

/** Verify custody with whichever trusted key made the signature. */
async function custodyWithAnyKey(vault: string, file: string, expectedTenantId?: string): Promise<TrustedComment> {
  let last: unknown;
  for (const k of await trustedKeys(vault)) {
    try {
      return (await verifyCustody(file, { signerPublicKey: k, expectedTenantId })).trustedComment;
    } catch (e) {
      last = e;
      if (!isVaultError(e, 'SIGNATURE_INVALID')) throw e;
    }
  }
  throw last instanceof Error ? last : new VaultError('SIGNATURE_INVALID', 'archive is not signed by a key the vault trusts');
}

/**
 * Custody of one archive of `tenantId` against the vault's trusted keys (no decryption).
 * @throws VaultError SIGNATURE_MISSING | SIGNATURE_INVALID | FORMAT_UNSUPPORTED | WRONG_TENANT | FILE_NOT_FOUND
 */
export async function archiveCustody(vault: string, file: string, tenantId: string): Promise<TrustedComment> {
  return custodyWithAnyKey(vault, file, tenantId);
}

interface SequenceState {
  tenantId: string;
  highestSequence: number;
  takenAt: string;
}

/**
 * The tenant's rollback mark: the highest sequence (and its time) the vault has accepted, or
 * null when none. Archives below it are a rollback even when the newer one is damaged or gone.
 * @throws VaultError VAULT_INVALID (a corrupt sequence.json)
 */
export async function tenantMark(vault: string, tenantId: string): Promise<{ sequence: number; takenAt: string | null } | null> {
  const s = await readSequence(vault, tenantId);
  return s ? { sequence: s.highestSequence, takenAt: s.takenAt ?? null } : null;
}

async function readSequence(vault: string, tenantId: string): Promise<SequenceState | null> {
  try {
    const s = JSON.parse(await readFile(join(vault, tenantId, 'sequence.json'), 'utf8')) as SequenceState;
    if (typeof s.highestSequence !== 'number') throw new Error('bad');
    return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VaultError('VAULT_INVALID', `${tenantId}/sequence.json is corrupt`);
  }
}

/**
 * Rollback and substitution check, for import and restore: the archive must be of the
 * expected tenant, and not older (lower sequence) than the newest the vault has seen,
 * unless `allowRollback` gives a reason (which is logged by the caller / here when logging).
 * `ignoreRollback` keeps the tenant check only: for read-only comparisons (`diff A B`).
 * @throws VaultError WRONG_TENANT | ROLLBACK
 */
export async function checkArchiveAgainstVault(
  vault: string,
  tc: Pick<TrustedComment, 'tenantId' | 'sequence' | 'takenAt'>,
  opts: { expectedTenantId: string; allowRollback?: { reason: string }; ignoreRollback?: boolean },
): Promise<{ rollbackOverridden: boolean }> {
  if (tc.tenantId !== opts.expectedTenantId) {
    throw new VaultError('WRONG_TENANT', `archive belongs to tenant ${tc.tenantId}, not ${opts.expectedTenantId}`, 'an archive of one tenant is never accepted as another');
  }
  // A read-only comparison (`diff A B`) reads an older archive on purpose: nothing is restored from it.
  if (opts.ignoreRollback) return { rollbackOverridden: false };
  const seq = await readSequence(vault, tc.tenantId);
  if (seq !== null && tc.sequence < seq.highestSequence) {
    const reason = opts.allowRollback?.reason?.trim();
    if (!reason) {
      throw new VaultError('ROLLBACK', `archive sequence ${tc.sequence} (${tc.takenAt}) is older than the newest seen for this tenant (${seq.highestSequence}, ${seq.takenAt})`, 'to use an older archive on purpose, allow rollback with a reason (it is logged)');
    }
    await appendAudit(vault, { action: 'rollback.allowed', tenantId: tc.tenantId, sequence: tc.sequence, highestSequence: seq.highestSequence, reason });
    return { rollbackOverridden: true };
  }
  return { rollbackOverridden: false };
}

/** How long an import waits for another live process's import to finish. */
const LOCK_WAIT_MS = 60_000;

/**
 * Runs `f` holding the vault's write lock (`V/.lock`, created O_EXCL, holding the pid).
 * A lock whose process is gone (killed mid-import) is taken over.
 * @throws VaultError VAULT_INVALID when another live process holds it for LOCK_WAIT_MS
 */
/** Runs `f` holding the vault's lock (O_EXCL lock file; a dead holder's lock is taken over). */
export async function withVaultLock<T>(vault: string, f: () => Promise<T>): Promise<T> {
  const path = join(vault, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await fh.write(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(holder) || holder <= 0 || !pidAlive(holder)) {
      // the holder was killed (or died writing its pid): take the lock over
      await rm(path, { force: true });
      continue;
    }
    if (holder === process.pid || Date.now() > deadline) {
      throw new VaultError('VAULT_INVALID', `the vault is locked by process ${holder}`, 'wait for the running backup or import to finish');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await f();
  } finally {
    await rm(path, { force: true });
  }
}

export interface VaultRecovery {
  /** Temp files of killed writers, removed (vault-relative). */
  removedTemps: string[];
  /** Signatures without their archive (an import killed between the two renames), removed. */
  removedSignatures: string[];
  /** Archives without their signature, moved to `<tenant>/.quarantine/` (never listed). */
  quarantined: string[];
  /** Signed archives without an audit record, and rollback marks below an archive (src/vault/reconcile.ts). */
  reconciled: Reconciled;
}

/**
 * Repairs what a killed import or backup can leave, before the next write: stale temps,
 * a signature whose archive was never published (import writes the signature first),
 * and an archive without its signature (an older writer's crash, or a signature
 * removed): that one is moved to `<tenant>/.quarantine/` and logged, not deleted, so
 * the evidence stays. Never touches a signed archive. Call with the vault lock held.
 */
async function recoverInterrupted(vault: string): Promise<VaultRecovery> {
  const out: VaultRecovery = { removedTemps: [], removedSignatures: [], quarantined: [], reconciled: { recorded: [], raisedMarks: [] } };
  // the audit head's own temp (.audit.head.tmp-*) of a writer killed mid-append
  out.removedTemps.push(...(await cleanupStaleTemps(vault)));
  const staging = join(vault, '.staging');
  out.removedTemps.push(...(await cleanupStaleTemps(staging)).map((n) => `.staging/${n}`));
  for (const t of await tenantDirs(vault)) {
    const dir = join(vault, t);
    out.removedTemps.push(...(await cleanupStaleTemps(dir)).map((n) => `${t}/${n}`));
    const names = new Set(await readdir(dir));
    for (const n of [...names].sort()) {
      if (n.startsWith('.')) continue;
      if (n.endsWith(SIGNATURE_EXTENSION) && !names.has(n.slice(0, -'.minisig'.length))) {
        await rm(join(dir, n), { force: true });
        out.removedSignatures.push(`${t}/${n}`);
      } else if (n.endsWith(ARCHIVE_EXTENSION) && !names.has(`${n}.minisig`)) {
        const q = join(dir, QUARANTINE_DIR);
        await mkdir(q, { recursive: true, mode: 0o750 });
        await rename(join(dir, n), join(q, `${n}.${Date.now()}`));
        await fsyncDir(q);
        out.quarantined.push(`${t}/${n}`);
      }
    }
    if (out.removedSignatures.length + out.quarantined.length > 0) await fsyncDir(dir);
  }
  for (const f of out.removedSignatures) await appendAudit(vault, { action: 'recovery.orphanSignature', file: f });
  for (const f of out.quarantined) {
    await appendAudit(vault, { action: 'archive.quarantined', file: f, reason: 'archive without its signature (interrupted write or signature removed)' });
  }
  out.reconciled = await reconcileVault(vault, false);
  return out;
}

/**
 * What the audit log does not account for (src/vault/reconcile.ts), without writing:
 * unaudited signed archives and rollback marks below an archive. `vault verify` repairs them.
 */
export async function vaultAccounting(vault: string): Promise<Reconciled> {
  return reconcileVault(vault, true);
}

/** Both crash invariants of src/vault/reconcile.ts over this vault; writes only when `dryRun` is false. */
async function reconcileVault(vault: string, dryRun: boolean): Promise<Reconciled> {
  return reconcile({
    // file names only: hashing every archive on every import would cost the whole vault's size
    archives: (await archivesOf(vault)).filter((a) => existsSync(`${a.file}.minisig`)),
    auditRecords: await readAuditRecords(vault),
    // an archive whose signature fails is not recorded: listVault and verify report it
    custody: (file, tenantId) => custodyWithAnyKey(vault, file, tenantId).catch((e: unknown) => {
      if (isVaultError(e)) return null;
      throw e;
    }),
    readMark: async (tenantId) => (await readSequence(vault, tenantId))?.highestSequence ?? null,
    raiseMark: (tenantId, sequence, takenAt) => writeMark(vault, tenantId, sequence, takenAt),
    recordRecovered: async (tc, file) => {
      await appendAudit(vault, {
        action: 'archive.recovered', tenantId: tc.tenantId, sequence: tc.sequence, takenAt: tc.takenAt, file: basename(file), manifestSha256: tc.manifestSha256,
        reason: 'signed archive without an audit record (an import or backup was interrupted after publishing it)',
      });
    },
  }, dryRun);
}

async function writeMark(vault: string, tenantId: string, sequence: number, takenAt: string | null): Promise<void> {
  await writeFileAtomic(join(vault, tenantId, 'sequence.json'), `${JSON.stringify({ tenantId, highestSequence: sequence, takenAt })}\n`, 0o644, true);
}

/**
 * Import an archive (+ its .minisig) into the vault: signature first, then tenant and
 * rollback checks, then an atomic copy (temp, fsync, rename, fsync dir; signature
 * before archive, so the vault never holds a listed archive without its signature),
 * files made read-only, sequence.json raised, audit line appended. Holds the vault
 * lock throughout and first repairs what a killed earlier write left (stale temps,
 * orphan signatures, unsigned archives quarantined).
 * @throws VaultError VAULT_INVALID | SIGNATURE_MISSING | SIGNATURE_INVALID | FORMAT_UNSUPPORTED | WRONG_TENANT | ROLLBACK | FILE_EXISTS
 */
export async function importArchive(
  vault: string,
  file: string,
  opts: { allowRollback?: { reason: string }; expectedTenantId?: string; signingKey?: MinisignSecretKey } = {},
): Promise<{ archivePath: string; signaturePath: string; tenantId: string; sequence: number }> {
  await readVaultConfig(vault);
  return withVaultLock(vault, async () => {
    await recoverInterrupted(vault);
    const tc = await custodyWithAnyKey(vault, file);
    assertSafeTenantId(tc.tenantId);
    await checkArchiveAgainstVault(vault, tc, { expectedTenantId: opts.expectedTenantId ?? tc.tenantId, allowRollback: opts.allowRollback });
    const tenantDir = join(vault, tc.tenantId);
    await mkdir(tenantDir, { recursive: true, mode: 0o750 });
    const base = timestampName(tc.takenAt);
    const archivePath = join(tenantDir, `${base}${ARCHIVE_EXTENSION}`);
    const signaturePath = `${archivePath}.minisig`;
    if (await exists(archivePath)) {
      // a retried import whose earlier run was killed after publishing: the same bytes are
      // already here, and recoverInterrupted above has recorded and marked them
      if (await sameFile(file, archivePath) && await sameFile(`${file}.minisig`, signaturePath)) {
        return { archivePath, signaturePath, tenantId: tc.tenantId, sequence: tc.sequence };
      }
      throw new VaultError('FILE_EXISTS', `refusing to overwrite ${archivePath}`);
    }
    // The rollback mark is raised BEFORE the archive is published: a kill at any point can
    // leave the mark above the archives (refusing more, never less), never an archive above it.
    const seq = await readSequence(vault, tc.tenantId);
    if (seq === null || tc.sequence > seq.highestSequence) await writeMark(vault, tc.tenantId, tc.sequence, tc.takenAt);
    for (const [src, dst] of [
      [`${file}.minisig`, signaturePath],
      [file, archivePath],
    ] as const) {
      const tmp = await openTemp(dst, 0o600);
      try {
        await tmp.fh.close();
        await copyFile(src, tmp.path);
        await chmod(tmp.path, 0o444);
        const fh = await open(tmp.path, 'r');
        await publishTemp({ path: tmp.path, fh }, dst);
      } catch (e) {
        await rm(tmp.path, { force: true });
        if (dst === archivePath) await rm(signaturePath, { force: true });
        throw e;
      }
    }
    // Re-verify the copy in place: what the vault holds is what was checked.
    await custodyWithAnyKey(vault, archivePath, tc.tenantId);
    await appendAudit(
      vault,
      { action: 'archive.import', tenantId: tc.tenantId, sequence: tc.sequence, takenAt: tc.takenAt, file: basename(archivePath), manifestSha256: tc.manifestSha256 },
      opts.signingKey ? { signingKey: opts.signingKey } : {},
    );
    await fsyncDir(tenantDir);
    return { archivePath, signaturePath, tenantId: tc.tenantId, sequence: tc.sequence };
  });
}

/** Tenant directories: never dot-directories (`.staging`, `.quarantine`). */
async function tenantDirs(vault: string): Promise<string[]> {
  return (await readdir(vault, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

export interface VaultListing {
  tenantId: string;
  takenAt: string | null;
  sequence: number | null;
  file: string;
  bytes: number;
  signature: 'valid' | 'missing' | 'invalid';
  manifestSha256: string | null;
  /** An incremental archive's signed link to its parent (docs/archive-format.md §12). */
  parent?: { manifestSha256: string; index: number };
  /** `vault verify`: why this incremental's chain cannot be followed (error is then CHAIN_BROKEN). */
  chainProblem?: string;
  error?: string;
}

async function archivesOf(vault: string): Promise<{ tenantId: string; file: string }[]> {
  const out: { tenantId: string; file: string }[] = [];
  for (const t of await tenantDirs(vault)) {
    for (const f of (await readdir(join(vault, t))).filter((n) => n.endsWith(ARCHIVE_EXTENSION) && !n.startsWith('.')).sort()) {
      out.push({ tenantId: t, file: join(vault, t, f) });
    }
  }
  return out;
}

/** Every archive with its custody status (no decryption). */
export async function listVault(vault: string): Promise<VaultListing[]> {
  await readVaultConfig(vault);
  const out: VaultListing[] = [];
  for (const a of await archivesOf(vault)) {
    const bytes = (await stat(a.file)).size;
    try {
      const tc = await custodyWithAnyKey(vault, a.file, a.tenantId);
      out.push({ tenantId: a.tenantId, takenAt: tc.takenAt, sequence: tc.sequence, file: a.file, bytes, signature: 'valid', manifestSha256: tc.manifestSha256, ...(tc.parent ? { parent: tc.parent } : {}) });
    } catch (e) {
      const code = isVaultError(e) ? e.code : 'SIGNATURE_INVALID';
      out.push({ tenantId: a.tenantId, takenAt: null, sequence: null, file: a.file, bytes, signature: code === 'SIGNATURE_MISSING' ? 'missing' : 'invalid', manifestSha256: null, error: code });
    }
  }
  return out;
}

export interface VaultVerifyReport {
  ok: boolean;
  audit: { ok: boolean; lines: number; error?: string };
  /**
   * Signed archives that had no audit record, and tenants whose rollback mark was below an
   * archive (src/vault/reconcile.ts): repaired (and audit-logged) when the vault is writable,
   * otherwise only reported (`repaired: false`) and the verify fails.
   */
  reconciled: Reconciled & { repaired: boolean };
  archives: (VaultListing & { report?: VerifyReport })[];
}

/** Custody of every archive + audit chain; with identity + readData, full or sampled re-hash. */
export async function verifyVault(vault: string, opts: { identity?: string; passphrase?: string; readData?: boolean; sample?: number } = {}): Promise<VaultVerifyReport> {
  const keys = await trustedKeys(vault);
  const reconciled = await repairOrReport(vault);
  let audit: VaultVerifyReport['audit'];
  try {
    audit = { ok: true, ...(await verifyAuditLog(vault)) };
  } catch (e) {
    audit = { ok: false, lines: 0, error: e instanceof Error ? e.message : String(e) };
  }
  const listing = await listVault(vault);
  const archives: VaultVerifyReport['archives'] = [];
  for (const l of listing) {
    if (l.signature !== 'valid' || opts.identity === undefined || !opts.readData) {
      archives.push(l);
      continue;
    }
    let report: VerifyReport | undefined;
    let error: string | undefined;
    for (const key of keys) {
      try {
        report = await verifyArchive(l.file, {
          signerPublicKey: key,
          identity: opts.identity,
          passphrase: opts.passphrase,
          expectedTenantId: l.tenantId,
          readData: opts.sample !== undefined ? { sample: opts.sample } : true,
        });
        error = undefined;
        break;
      } catch (e) {
        error = isVaultError(e) ? e.code : 'INTEGRITY';
        // Another trusted key may have signed it; any other failure is final.
        if (error !== 'SIGNATURE_INVALID') break;
      }
    }
    archives.push(report !== undefined ? { ...l, report } : { ...l, signature: 'invalid', error });
  }
  // every incremental's chain, link by link, up to its full archive (docs/archive-format.md §12)
  const broken = chainProblems(listing);
  for (const a of archives) {
    const problem = broken.get(a.file);
    if (problem !== undefined && a.error === undefined) Object.assign(a, { error: 'CHAIN_BROKEN', chainProblem: problem });
  }
  const unrepaired = !reconciled.repaired && reconciled.recorded.length + reconciled.raisedMarks.length > 0;
  return { ok: audit.ok && !unrepaired && archives.every((a) => a.signature === 'valid' && a.error === undefined), audit, reconciled, archives };
}

/**
 * Repairs what a killed writer left (under the vault lock), or on a read-only vault only
 * reports it. A broken audit chain is never written to: it is reported by the chain check.
 */
async function repairOrReport(vault: string): Promise<Reconciled & { repaired: boolean }> {
  let chainOk = true;
  try {
    await verifyAuditLog(vault);
  } catch {
    chainOk = false;
  }
  if (chainOk) {
    try {
      const r = await withVaultLock(vault, () => recoverInterrupted(vault));
      return { ...r.reconciled, repaired: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
    }
  }
  return { ...(await reconcileVault(vault, true)), repaired: false };
}
