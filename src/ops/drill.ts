/**
 * A recovery drill, end to end on the built-in emulator: seed a source tenant, back it
 * up into an encrypted, signed archive in a vault, apply the scenario's damage, verify
 * and open the archive, restore, verify again, and write a report (JSON + Markdown)
 * with recovery time per tier, fidelity, manual steps and deviations.
 *
 * The fidelity figures come from a fresh read of the target compared with the archive
 * through natural keys (restore/fidelity.ts), not from the executor's own bookkeeping.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { initKeys, loadSigningKey } from '../crypto/index.js';
import { startEmulator } from '../emulator/index.js';
import type { EmulatorHandle, FaultConfig } from '../emulator/index.js';
import type { ExportedState } from '../emulator/types.js';
import { emptyTenant, seedTenant } from '../emulator/seed/index.js';
import { withRecoveryApps } from '../emulator/recovery-apps.js';
import type { SeededTenant } from '../emulator/seed/types.js';
import { isVaultError, VaultError } from '../errors.js';
import { appendAudit } from '../vault/index.js';
import { createGraphClient, createGraphClientForApps } from '../graph/index.js';
import type { ConnectionProfile } from '../profile.js';
import { loadProfile } from '../profile.js';
import type { Reporter } from '../progress.js';
import type { Deviation, FidelityReport } from '../restore/fidelity.js';
import type { ManualStep, Plan } from '../restore/types.js';
import { runBackup, untilInterrupted } from '../snapshot/backup.js';
import { sha256File, writeEvidencePack } from '../report/evidence.js';
import { scriptInventory } from './procedures.js';
import { identityText, restoreAndAudit, type RunRestoreResult } from './restore.js';
import { openArchiveForUse } from './open-archive.js';
import { renderDrillMarkdown } from './drill-report.js';

export type DrillScenario = 'tenant-loss' | 'all-admins-deleted';

export interface DrillOptions {
  scenario: DrillScenario;
  users: number;
  seed: number;
  outDir: string;
  /** Faults switched on in the target for the restore phase. */
  faults?: FaultConfig;
  reporter: Reporter;
  clock?: Clock;
  toolVersion: string;
  /** Who ran the drill (evidence "who"). */
  operator?: string;
  /** The --faults text, recorded in the evidence. */
  faultsSpec?: string;
  /**
   * Called with the emulator's own view of both tenants (source before any damage,
   * target after the restore) before the emulator stops, so tests can check the result
   * independently of the tool's report. Costs a deep copy of each tenant.
   */
  inspect?: (states: { source: ExportedState; target: ExportedState }) => void | Promise<void>;
  /**
   * The operator's interrupt (Ctrl-C): the drill stops at its next safe point (its Graph reads
   * and writes are cut, the restore pauses) and throws INTERRUPTED; no report is written. An
   * interrupt during the backup adds nothing to the drill's vault.
   */
  signal?: AbortSignal;
  /**
   * Recovery apps the restore writes through (tenant-loss only; default 1): the target gets
   * that many restore-writer apps (src/emulator/recovery-apps.ts) and the restore spreads its
   * calls over them (src/graph/shard.ts), each app within its own write quota.
   */
  recoveryApps?: number;
}

export interface DrillReport {
  format: 'entra-vault-drill-report';
  version: 1;
  scenario: DrillScenario;
  seed: number;
  users: number;
  result: 'pass' | 'fail';
  startedAt: string;
  finishedAt: string;
  source: { tenantId: string; initialDomain: string };
  target: { tenantId: string; initialDomain: string };
  archive: { path: string; manifestSha256: string; bytes: number; objects: number };
  damage: string[];
  timings: {
    backupMs: number; restoreMs: number; verifyMs: number; perTierMs: Record<string, number>; rtoMs: number;
    /** Reading the target before planning, planning, and executing the plan. */
    liveMs?: number; planMs?: number; executeMs?: number;
    /**
     * From the restore's start (live read and plan included) until the first Global
     * Administrator grant of the bootstrap tier succeeded; absent when the plan grants none.
     */
    firstGlobalAdminMs?: number;
  };
  plan: { operations: number; perTier: Record<string, number>; reportOnly: number; unresolved: number };
  fidelity: FidelityReport['totals'] & { types: FidelityReport['types']; relations: FidelityReport['relations'] };
  /** Deviations nothing explains: restorable, but not restored. A drill passes only with none. */
  unexplained: Deviation[];
  deviations: Deviation[];
  /** Operations that failed during the restore (a drill passes only with none). */
  failures: { opId: string; label: string; code: string; message: string; next?: string }[];
  manualSteps: ManualStep[];
  graph: {
    backupRequests: number; restoreRequests: number; restoreWrites: number; throttled: number; restoreRu?: number; admittedWrites?: number; admittedRu?: number;
    /** Recovery apps the restore wrote through, and each one's admitted writes by client id (added, issue 17). */
    recoveryApps?: number; admittedWritesByApp?: Record<string, number>;
  };
  files: { report: string; markdown: string; vault: string; keys: string; journal: string; credentials?: string; evidence?: string };
}

/** Reasons (from restore/fidelity.ts) that mean "restorable, but the restore did not do it". */
const UNEXPLAINED = [/^operation failed/, /^not run/, /^no operation in the plan/];

/**
 * Unexplained: the reason (or, for an edge, the reason its missing end is absent) says
 * the restore should have done it and did not.
 */
export function isUnexplained(d: Deviation): boolean {
  const reason = d.reason.replace(/^end \S+ is not in the target: /, '');
  return UNEXPLAINED.some((re) => re.test(reason));
}

/** What an interrupted drill reports (one line, exit 130). */
function drillInterrupted(when: string, out: string): VaultError {
  return new VaultError('INTERRUPTED', `drill interrupted ${when}`, `no report was written; ${out} keeps what was done so far; run a new drill with a new --out`);
}

/**
 * Runs a drill. Resolves with the report (also written to outDir); `result` is 'fail'
 * when anything restorable was not restored.
 * @throws VaultError when a step cannot run at all (keys, emulator, archive checks).
 */
export async function runDrill(opts: DrillOptions): Promise<DrillReport> {
  const clock = opts.clock ?? systemClock;
  const rep = opts.reporter;
  const out = resolve(opts.outDir);
  const startedAt = clock.now();
  await mkdir(out, { recursive: true, mode: 0o700 });
  const keysDir = join(out, 'keys');
  const vaultDir = join(out, 'vault');
  const profilesDir = join(out, 'profiles');
  await mkdir(profilesDir, { recursive: true, mode: 0o700 });

  rep.report({ kind: 'phase', phase: 'drill', message: `keys, emulator and a seeded ${opts.users}-user tenant (seed ${opts.seed})` });
  const keys = await initKeys(keysDir, { x25519: false });
  const signingKey = await loadSigningKey(keys.signingKeyPath);

  const apps = opts.recoveryApps ?? 1;
  if (!Number.isInteger(apps) || apps < 1 || (apps > 1 && opts.scenario !== 'tenant-loss')) {
    throw new VaultError('USAGE', `a drill restores through 1 recovery app, or several (${apps}) only in the tenant-loss scenario`, 'drop the recovery apps option, or use --scenario tenant-loss');
  }
  const source = seedTenant({ seed: opts.seed, users: opts.users });
  const target: SeededTenant = opts.scenario === 'tenant-loss' ? withRecoveryApps(emptyTenant({ seed: opts.seed + 1_000_003 }), apps - 1) : source;
  const tenants = target === source ? [source] : [source, target];
  const emu = await startEmulator({ port: 0, tenants });
  try {
    const readerPath = join(profilesDir, 'source-reader.json');
    const sourceWriterPath = join(profilesDir, 'source-writer.json');
    await emu.writeProfiles(source.tenantId, { readerPath, writerPath: sourceWriterPath });

    // 1. backup
    rep.report({ kind: 'phase', phase: 'drill', message: 'backup of the source tenant' });
    const signal = opts.signal;
    const backup = await drillBackup(opts, { readerPath, vaultDir, out, recipient: keys.recipient, signingKey, clock });
    const afterBackup = () => drillInterrupted('after its backup (the archive in its vault is whole)', out);

    const sourceBefore = opts.inspect ? emu.tenant(source.tenantId).exportState() : undefined;

    try {
      // 2. damage
      const { damage, targetProfilePath, extraWriterPaths } = await applyDamage(emu, opts.scenario, { source, target, profilesDir, apps });
      const targetCtl = emu.tenant(target.tenantId);
      targetCtl.resetStats();
      if (opts.faults) targetCtl.setFaults(opts.faults);

      // 3. open the archive: signature over the ciphertext first, then decrypt and check every entry
      rep.report({ kind: 'phase', phase: 'drill', message: 'verifying and opening the archive' });
      if (signal?.aborted) throw afterBackup();
      // the same rules as a restore from the CLI or the wizard (src/ops/open-archive.ts)
      const opened = await openArchiveForUse({ archivePath: backup.archivePath, identityPath: keys.identityPath, expectedTenantId: source.tenantId, via: 'drill' });
      const archiveData = opened.data;

      // 4. restore (writes: the drill confirms the target tenant id itself)
      const targetProfiles = await Promise.all([targetProfilePath, ...extraWriterPaths].map((p) => loadProfile(p)));
      const journalPath = join(out, 'restore.journal');
      const tRestore = clock.now().getTime();
      const result = await untilInterrupted(signal, async () => restoreAndAudit({
        via: 'drill', ...(opened.vault ? { vault: opened.vault } : {}),
        archive: archiveData,
        archiveMeta: opened.meta,
        // a drill's target is the emulator: cutting its requests in flight on Ctrl-C costs nothing
        graph: await createGraphClientForApps(targetProfiles, { reporter: rep, clock, ...(signal ? { signal } : {}) }),
        targetTenantId: target.tenantId,
        scenario: opts.scenario,
        dryRun: false,
        confirmTenantId: target.tenantId,
        journalPath,
        credentialsRecipient: keys.recipient, operatorIdentity: await identityText(keys.identityPath),
        credentialsPath: join(out, 'restore-credentials.age'),
        reporter: rep,
        clock,
        enableConditionalAccess: true,
        ...(signal ? { signal } : {}),
      }), afterBackup);
      const restoreMs = clock.now().getTime() - tRestore;
      const fidelity = result.fidelity;
      if (!fidelity || !result.execution) throw new VaultError('DRILL_FAILED', 'the restore did not run');
      const stats = targetCtl.stats();
      const finishedAt = clock.now();
      const unexplained = fidelity.deviations.filter(isUnexplained);
      const plan: Plan = result.plan;
      const reportPath = join(out, 'drill-report.json');
      const mdPath = join(out, 'drill-report.md');
      const report = drillReport({ opts, startedAt, finishedAt, source, target, backup, damage, restoreMs, result, execution: result.execution, fidelity, unexplained, stats, files: { report: reportPath, markdown: mdPath, vault: vaultDir, keys: keysDir, journal: journalPath } });
      await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(mdPath, renderDrillMarkdown(report));
      // Signed evidence for auditors, recorded in the vault's hash-chained audit log.
      const evidence = await writeDrillEvidence(out, { opts, report, backup, keys, source, target, takenAt: opened.meta.takenAt, execution: result.execution, fidelity, plan, signingKey, vaultDir });
      report.files.evidence = evidence.dir;
      if (opts.inspect && sourceBefore) await opts.inspect({ source: sourceBefore, target: targetCtl.exportState() });
      await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
      rep.report({ kind: 'done', phase: 'drill', message: `${report.result}: ${report.fidelity.objectsRestored}/${report.fidelity.objectsExpected} objects`, elapsedMs: finishedAt.getTime() - startedAt.getTime() });
      return report;
    } catch (e) {
      // a drill that fails after its backup still leaves a record (issue 16)
      await recordFailedDrill(out, vaultDir, opts.scenario, startedAt, clock.now(), e);
      throw e;
    }
  } finally {
    await emu.close();
  }
}

/**
 * The drill's backup of the source tenant into its own vault. An interrupt before the import
 * into the vault leaves it without the archive (runBackup) and is reported as the drill's.
 */
async function drillBackup(
  opts: DrillOptions,
  d: { readerPath: string; vaultDir: string; out: string; recipient: string; signingKey: Awaited<ReturnType<typeof loadSigningKey>>; clock: Clock },
): ReturnType<typeof runBackup> {
  const { signal, reporter } = opts;
  try {
    const reader = await createGraphClient(await loadProfile(d.readerPath), { reporter, clock: d.clock, ...(signal ? { signal } : {}) });
    return await runBackup({
      graph: reader, vaultDir: d.vaultDir, recipients: [d.recipient], signingKey: d.signingKey, reporter, clock: d.clock,
      toolVersion: opts.toolVersion, createVault: true, ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (isVaultError(e, 'INTERRUPTED') || (signal?.aborted && !isVaultError(e))) throw drillInterrupted('during its backup: nothing was added to its vault', d.out);
    throw e;
  }
}

/**
 * What a drill that failed after its backup leaves (issue 16: a throttled final read-back left
 * no report, no evidence and no audit record): `drill-failed.json` where the report would be,
 * and a `drill.failed` record in its vault's audit log. Never throws over the original error.
 */
async function recordFailedDrill(out: string, vaultDir: string, scenario: string, startedAt: Date, failedAt: Date, e: unknown): Promise<void> {
  const code = e instanceof VaultError ? e.code : 'BUG';
  const message = (e instanceof Error ? e.message.split('\n')[0]! : String(e)).slice(0, 500);
  try {
    await writeFile(join(out, 'drill-failed.json'), `${JSON.stringify({ result: 'fail', scenario, startedAt: startedAt.toISOString(), failedAt: failedAt.toISOString(), error: { code, message } }, null, 2)}\n`);
    await appendAudit(vaultDir, { action: 'drill.failed', scenario, code, message, startedAt: startedAt.toISOString(), failedAt: failedAt.toISOString() });
  } catch {
    // nothing more can be recorded: the error itself still reaches the operator
  }
}

/** The pre-provisioned break-glass recovery app's profile (docs/graph-facts.md §7). */
async function writeBreakGlassProfile(emu: EmulatorHandle, tenant: SeededTenant, path: string): Promise<void> {
  const cred = tenant.credentials.find((c) => c.role === 'breakGlass');
  if (!cred) throw new VaultError('DRILL_FAILED', 'the seeded tenant has no break-glass recovery app');
  const profile: ConnectionProfile = {
    tenantId: tenant.tenantId,
    authorityHost: emu.authorityHost,
    graphBaseUrl: emu.graphBaseUrl,
    clientId: cred.clientId,
    auth: { kind: 'clientSecret', secret: cred.secret },
    name: 'break-glass recovery app (emulator)',
    emulator: true,
  };
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
}

/** The drill's damage: a new empty target (tenant loss) or every admin, security group and policy gone. */
async function applyDamage(
  emu: EmulatorHandle,
  scenario: DrillOptions['scenario'],
  t: { source: SeededTenant; target: SeededTenant; profilesDir: string; apps: number },
): Promise<{ damage: string[]; targetProfilePath: string; extraWriterPaths: string[] }> {
  const { source, target, profilesDir } = t;
  const extraWriterPaths = Array.from({ length: t.apps - 1 }, (_, i) => join(profilesDir, `target-writer-${i + 2}.json`));
  const damage: string[] = [];
  let targetProfilePath: string;
  if (scenario === 'tenant-loss') {
    damage.push('the source tenant is gone: restoring into a brand-new tenant with one initial admin');
    const targetReader = join(profilesDir, 'target-reader.json');
    targetProfilePath = join(profilesDir, 'target-writer.json');
    await emu.writeProfiles(target.tenantId, { readerPath: targetReader, writerPath: targetProfilePath, extraWriterPaths });
    if (t.apps > 1) damage.push(`the restore writes through ${t.apps} recovery apps of the new tenant`);
  } else {
    const ctl = emu.tenant(source.tenantId);
    const admins = ctl.damage('deleteAllAdmins');
    const groups = ctl.damage('hardDeleteSecurityGroups');
    const policies = ctl.damage('wipePolicies');
    damage.push(
      `every privileged role holder deleted (${admins.softDeleted.length} soft, ${admins.hardDeleted.length} hard)`,
      `security groups hard-deleted (${groups.hardDeleted.length})`,
      `conditional-access policies and named locations deleted (${policies.softDeleted.length + policies.hardDeleted.length})`,
    );
    targetProfilePath = join(profilesDir, 'break-glass.json');
    await writeBreakGlassProfile(emu, source, targetProfilePath);
  }
  return { damage, targetProfilePath, extraWriterPaths };
}

/** What the drill's evidence pack is written from. */
interface DrillEvidenceInput {
  opts: DrillOptions;
  report: DrillReport;
  backup: Awaited<ReturnType<typeof runBackup>>;
  keys: Awaited<ReturnType<typeof initKeys>>;
  source: SeededTenant;
  target: SeededTenant;
  takenAt: string;
  execution: NonNullable<RunRestoreResult['execution']>;
  fidelity: FidelityReport;
  plan: Plan;
  signingKey: Awaited<ReturnType<typeof loadSigningKey>>;
  vaultDir: string;
}

/** The signed evidence pack of a drill, recorded in the vault's audit log (src/report/evidence.ts). */
async function writeDrillEvidence(out: string, e: DrillEvidenceInput): ReturnType<typeof writeEvidencePack> {
  const { opts, report, backup, keys, source, target, execution, fidelity, plan, signingKey, vaultDir } = e;
  return writeEvidencePack(join(out, 'evidence'), {
    kind: 'drill',
    scenario: opts.scenario,
    who: opts.operator ?? 'drill',
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    archive: {
      path: backup.archivePath,
      sha256: await sha256File(backup.archivePath),
      manifestSha256: backup.manifestSha256,
      signatureKeyId: keys.signingKeyId,
      tenantId: source.tenantId,
      takenAt: e.takenAt,
    },
    target: { tenantId: target.tenantId, initialDomain: target.initialDomain },
    toolVersion: opts.toolVersion,
    scripts: await scriptInventory().catch(() => []),
    rtoMs: report.timings.rtoMs,
    tiers: execution.tiers.map((t) => ({ tier: t.tier, ms: t.ms, operations: t.total, succeeded: t.succeeded, failed: t.failed })),
    fidelity: { types: fidelity.types, relations: fidelity.relations, totals: fidelity.totals },
    deviations: fidelity.deviations,
    manualSteps: plan.manualSteps,
    result: report.result,
    notes: report.damage,
    drill: { users: opts.users, seed: opts.seed, ...(opts.faultsSpec ? { faults: opts.faultsSpec } : {}) },
  }, { signingKey, vault: vaultDir });
}

/** What a drill's report is made of. */
interface DrillFacts {
  opts: DrillOptions;
  startedAt: Date;
  finishedAt: Date;
  source: SeededTenant;
  target: SeededTenant;
  backup: Awaited<ReturnType<typeof runBackup>>;
  damage: string[];
  restoreMs: number;
  result: RunRestoreResult;
  execution: NonNullable<RunRestoreResult['execution']>;
  fidelity: FidelityReport;
  unexplained: Deviation[];
  stats: ReturnType<ReturnType<EmulatorHandle['tenant']>['stats']>;
  files: DrillReport['files'];
}

/** The drill report (drill-report.json): pass only when nothing restorable was lost. Pure. */
function drillReport(f: DrillFacts): DrillReport {
  const { opts, startedAt, finishedAt, source, target, backup, damage, restoreMs, result, execution, fidelity, unexplained, stats, files } = f;
  const plan = result.plan;
  const perTier: Record<string, number> = {};
  for (const op of plan.operations) perTier[`tier${op.tier}`] = (perTier[`tier${op.tier}`] ?? 0) + 1;
  const perTierMs: Record<string, number> = {};
  for (const t of execution.tiers) perTierMs[`tier${t.tier}`] = t.ms;

  return {
    format: 'entra-vault-drill-report',
    version: 1,
    scenario: opts.scenario,
    seed: opts.seed,
    users: opts.users,
    result: unexplained.length === 0 && execution.failures.length === 0 ? 'pass' : 'fail',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    source: { tenantId: source.tenantId, initialDomain: source.initialDomain },
    target: { tenantId: target.tenantId, initialDomain: target.initialDomain },
    archive: {
      path: backup.archivePath,
      manifestSha256: backup.manifestSha256,
      bytes: backup.bytes,
      objects: Object.entries(backup.counts).filter(([k]) => k.startsWith('objects/')).reduce((a, [, n]) => a + n, 0),
    },
    damage,
    timings: {
      backupMs: backup.elapsedMs, restoreMs, verifyMs: result.timings?.verifyMs ?? 0, perTierMs, rtoMs: restoreMs,
      ...(result.timings ? { liveMs: result.timings.liveMs, planMs: result.timings.planMs, ...(result.timings.executeMs !== undefined ? { executeMs: result.timings.executeMs } : {}) } : {}),
      // a bootstrap-first restore measures it itself (src/ops/restore-bootstrap.ts); a one-phase restore reads and plans everything first
      ...(result.timings?.firstGlobalAdminMs !== undefined ? { firstGlobalAdminMs: result.timings.firstGlobalAdminMs }
        : execution.firstGlobalAdminMs !== undefined ? { firstGlobalAdminMs: (result.timings?.liveMs ?? 0) + (result.timings?.planMs ?? 0) + execution.firstGlobalAdminMs } : {}),
    },
    plan: { operations: plan.operations.length, perTier, reportOnly: plan.reportOnly.length, unresolved: plan.unresolved.length },
    fidelity: { ...fidelity.totals, types: fidelity.types, relations: fidelity.relations },
    unexplained,
    deviations: fidelity.deviations,
    failures: execution.failures,
    manualSteps: plan.manualSteps,
    graph: { backupRequests: backup.graphRequests, restoreRequests: stats.requests, restoreWrites: stats.mutating, throttled: stats.throttled, restoreRu: stats.ru, admittedWrites: stats.admittedWrites, admittedRu: stats.admittedRu,
      recoveryApps: opts.recoveryApps ?? 1, ...(stats.admittedWritesByApp ? { admittedWritesByApp: stats.admittedWritesByApp } : {}) },
    files: { ...files, ...(result.credentialsFile ? { credentials: result.credentialsFile } : {}) },
  };
}
