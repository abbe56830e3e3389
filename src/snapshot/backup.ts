/**
 * `backup`: one complete snapshot of a tenant into the vault. The archive is written
 * to the vault's private staging directory and then imported, so it passes the same
 * signature, tenant and rollback checks as any archive carried in from elsewhere.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { catalog, relationCatalog } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { cleanupStaleTemps, createArchiveWriter } from '../archive/index.js';
import { tempPathFor } from '../fs/atomic.js';
import type { MinisignSecretKey } from '../crypto/index.js';
import { encodePublicKey } from '../crypto/index.js';
import { isVaultError, VaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { Reporter } from '../progress.js';
import { appendAudit, importArchive, initVault, VAULT_CONFIG } from '../vault/index.js';
import { walkTenant } from './walker.js';
import { ChangeReader, DeltaCapture, DeltaTokenGone } from './delta-read.js';
import { writeDeltaState } from './delta-state.js';
import { readAuditTargets } from './audit-feed.js';
import { incrementalBase, type IncrementalBase } from './incremental.js';
import { tmpdir } from 'node:os';

export interface BackupOptions {
  graph: GraphClient;
  vaultDir: string;
  recipients: readonly string[];
  signingKey: MinisignSecretKey;
  reporter: Reporter;
  clock: Clock;
  toolVersion: string;
  concurrency?: number;
  /**
   * Create the vault when `vaultDir` holds none, trusting `signingKey` (`backup --init`).
   * Without it a missing vault is VAULT_NOT_FOUND: a mistyped `--vault` must never become a
   * new vault that trusts the collector's own key and has no rollback memory (issue 16).
   */
  createVault?: boolean;
  /**
   * The operator's interrupt (Ctrl-C): the walk stops at its next safe point (give the same
   * signal to the GraphClient to cut reads in flight), the staged archive is removed and
   * INTERRUPTED is thrown; nothing reaches the vault. Once the import into the vault has
   * begun the backup completes (the import is atomic and the archive then whole).
   */
  signal?: AbortSignal;
  /**
   * `backup --incremental`: read only what changed since the tenant's newest archive, through
   * the delta links stored beside it (docs/archive-format.md §12). When there is no usable base
   * (none, chain broken, state missing, tokens older than 7 days, Graph answers 410 Gone) a full
   * backup is taken and `fallback` says why (also reported as an INCREMENTAL_FALLBACK warning).
   */
  incremental?: boolean;
  /** With `incremental`: a full backup once the chain's full archive is this many hours old (daily fulls: 24). */
  fullAfterHours?: number;
}

export interface BackupResult {
  tenantId: string;
  initialDomain: string;
  archivePath: string;
  signaturePath: string;
  manifestSha256: string;
  counts: Record<string, number>;
  warnings: number;
  /**
   * Warnings for facts the tenant holds that the archive lacks (a permission missing, a read
   * refused, a list cut short); NOT_AVAILABLE (a feature the tenant does not have) is not one.
   */
  incomplete: number;
  bytes: number;
  elapsedMs: number;
  graphRequests: number;
  /** What was written: a full archive, or an incremental (chain link `chainIndex`). */
  kind: 'full' | 'incremental';
  chainIndex: number;
  /** An incremental was asked for and a full backup taken instead: why. */
  fallback?: string;
}

/** A hash of the catalog's shape: archives name the catalog they were taken with. */
export function catalogHash(): string {
  const shape = {
    types: catalog.map((d) => ({ type: d.type, properties: d.properties, references: d.references })),
    relations: relationCatalog.map((r) => r.kind),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

interface OrganizationInfo {
  tenantId: string;
  initialDomain: string;
}

/** The tenant id and initial `*.onmicrosoft.com` domain, from /organization. */
export async function readOrganization(graph: GraphClient): Promise<OrganizationInfo> {
  const page = await graph.get<{ value?: { id?: unknown; verifiedDomains?: { name?: unknown; isInitial?: unknown }[] }[] }>(
    '/organization?$select=id,verifiedDomains',
  );
  const org = Array.isArray(page?.value) ? page.value[0] : undefined;
  if (!org || typeof org.id !== 'string') {
    throw new VaultError('GRAPH_BAD_RESPONSE', 'Graph returned no organization for this tenant');
  }
  const initial = (org.verifiedDomains ?? []).find((d) => d.isInitial === true)?.name;
  return { tenantId: org.id, initialDomain: typeof initial === 'string' ? initial : '' };
}

/** What an interrupted backup reports: one line, and the vault untouched (exit 130). */
export function backupInterrupted(): VaultError {
  return new VaultError(
    'INTERRUPTED',
    'backup interrupted: nothing was added to the vault',
    'the vault\'s existing archives are unchanged; run the backup again when ready',
  );
}

/**
 * Runs `step`, turning any failure that follows the operator's interrupt into
 * INTERRUPTED (the aborted reads throw the signal's reason, which is no VaultError), and
 * refusing to go on after it even when the step itself finished.
 */
export async function untilInterrupted<T>(signal: AbortSignal | undefined, step: () => Promise<T>, interrupted: () => VaultError = backupInterrupted): Promise<T> {
  try {
    signal?.throwIfAborted();
    const r = await step();
    signal?.throwIfAborted();
    return r;
  } catch (e) {
    if (signal?.aborted && !isVaultError(e, 'INTERRUPTED')) throw interrupted();
    throw e;
  }
}

/**
 * Takes a backup and imports it into the vault (created on first use, trusting the
 * signing key's public half).
 * @throws VaultError from Graph (auth, unreachable), the archive writer and the vault import.
 *   A failed backup leaves no partial archive in the vault.
 */
export async function runBackup(opts: BackupOptions): Promise<BackupResult> {
  const t0 = opts.clock.now();
  // Before the first Graph call: a wrong --vault costs nothing.
  const create = await vaultMissing(opts.vaultDir, opts.createVault === true);
  const org = await untilInterrupted(opts.signal, () => readOrganization(opts.graph));
  if (create) await initVault(opts.vaultDir, { signerPublicKey: encodePublicKey(opts.signingKey) });
  // One staging directory per run, named like a temp (pid inside): a run killed
  // mid-write leaves it behind and the next run or import removes it (cleanupStaleTemps),
  // while a concurrent run's directory, whose pid is alive, is left alone.
  const stagingRoot = join(opts.vaultDir, '.staging');
  await mkdir(stagingRoot, { recursive: true, mode: 0o700 });
  await cleanupStaleTemps(stagingRoot);
  let fallback: string | undefined;
  let base: IncrementalBase | undefined;
  if (opts.incremental) {
    const b = await incrementalBase(opts.vaultDir, org.tenantId, opts.signingKey, opts.clock, opts.fullAfterHours);
    if (b.ok) base = b.base;
    else fallback = b.reason;
  }
  const attempt = async (b: IncrementalBase | undefined, at: Date): Promise<BackupResult> => {
    const staging = tempPathFor(join(stagingRoot, 'backup'));
    await mkdir(staging, { mode: 0o700 });
    try {
      return await backupInto(opts, org, staging, at, b);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  };
  if (base) {
    try {
      return await attempt(base, t0);
    } catch (e) {
      if (!(e instanceof DeltaTokenGone)) throw e;
      fallback = `Graph answered 410 Gone (expired or unknown sync state) to the stored ${e.type} delta token`;
    }
  }
  if (fallback !== undefined) {
    opts.reporter.report({ kind: 'warning', code: 'INCREMENTAL_FALLBACK', message: `taking a full backup instead of an incremental: ${fallback}` });
  }
  const r = await attempt(undefined, base ? opts.clock.now() : t0);
  return fallback !== undefined ? { ...r, fallback } : r;
}

async function backupInto(opts: BackupOptions, org: OrganizationInfo, staging: string, t0: Date, base: IncrementalBase | undefined): Promise<BackupResult> {
  const capture = new DeltaCapture();
  let changes: ChangeReader | undefined;
  const writer = await createArchiveWriter({
    ...(base ? { chain: () => ({ ...base.link, objects: changes!.modes.objects, relations: changes!.modes.relations }) } : {}),
    outDir: staging,
    tenantId: org.tenantId,
    initialDomain: org.initialDomain,
    takenAt: t0,
    recipients: opts.recipients,
    signingKey: opts.signingKey,
    toolVersion: opts.toolVersion,
    catalogHash: catalogHash(),
    spoolParent: tmpdir(),
  });
  if (base) {
    // the audit log names the parents whose contained types changed (docs/archive-format.md §12.3)
    const audit = await readAuditTargets(opts.graph, base.state.takenAt, opts.clock.now().getTime());
    const why = !audit.ok ? audit.reason : base.state.children ? undefined : 'the parent\'s delta state holds no per-parent child ids (written by an older release)';
    if (why) opts.reporter.report({ kind: 'warning', code: 'INCREMENTAL_FALLBACK', message: `contained types read in full instead of under the changed parents only: ${why}` });
    changes = new ChangeReader(base.state, writer, capture, audit);
  }
  let summary;
  try {
    summary = await untilInterrupted(opts.signal, () => walkTenant({
      graph: opts.graph,
      sink: writer,
      reporter: opts.reporter,
      clock: opts.clock,
      capture,
      ...(changes ? { changes } : {}),
      concurrency: opts.concurrency ?? 4,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }));
  } catch (e) {
    await writer.abort();
    throw e;
  }
  opts.reporter.report({ kind: 'phase', phase: 'backup', message: 'sealing the archive (gzip, age, signatures)' });
  // the last safe point: an interrupt while sealing leaves the sealed file in staging (removed)
  const finished = await untilInterrupted(opts.signal, () => writer.finish());
  let imported;
  try {
    imported = await importArchive(opts.vaultDir, finished.archivePath, { expectedTenantId: org.tenantId, signingKey: opts.signingKey });
  } finally {
    await rm(finished.archivePath, { force: true });
    await rm(finished.signaturePath, { force: true });
  }
  // after the archive is in the vault: a kill before this leaves a valid archive that no
  // incremental follows (the next one finds no state and takes a full backup)
  const chainIndex = base ? base.link.index : 0;
  await writeDeltaState(imported.archivePath, { tenantId: org.tenantId, manifestSha256: finished.manifestSha256, takenAt: t0.toISOString(), chainIndex, ...capture.state() }, opts.signingKey);
  const elapsedMs = opts.clock.now().getTime() - t0.getTime();
  await appendAudit(opts.vaultDir, {
    action: 'backup',
    tenantId: org.tenantId,
    file: imported.archivePath.slice(opts.vaultDir.length + 1),
    manifestSha256: finished.manifestSha256,
    objects: Object.entries(summary.counts).filter(([k]) => k.startsWith('objects/')).reduce((a, [, n]) => a + n, 0),
    warnings: summary.warnings,
    elapsedMs,
  }, { signingKey: opts.signingKey });
  return {
    tenantId: org.tenantId,
    initialDomain: org.initialDomain,
    archivePath: imported.archivePath,
    signaturePath: imported.signaturePath,
    manifestSha256: finished.manifestSha256,
    counts: summary.counts,
    warnings: summary.warnings,
    incomplete: summary.incomplete,
    bytes: finished.bytes,
    elapsedMs,
    graphRequests: opts.graph.stats().requests,
    kind: base ? 'incremental' : 'full',
    chainIndex,
  };
}

/**
 * True when `dir` holds no vault and `create` allows making one there.
 * @throws VaultError VAULT_NOT_FOUND when it holds none and `create` is false
 */
async function vaultMissing(dir: string, create: boolean): Promise<boolean> {
  try {
    await access(join(dir, VAULT_CONFIG));
    return false;
  } catch {
    if (create) return true;
  }
  throw new VaultError(
    'VAULT_NOT_FOUND',
    `no vault at ${dir} (no ${VAULT_CONFIG})`,
    `check --vault; to start a new vault there: entra-vault vault init --vault ${dir} --signer <signing.pub>, or add --init to trust this backup's signing key`,
  );
}
