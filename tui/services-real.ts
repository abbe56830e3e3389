/**
 * The real WizardServices: each method is a thin call into src/, the same functions the
 * non-interactive commands use, so nothing is possible only in the wizard.
 *
 * Where a recovery script exists, the wizard runs it (tui/script-runner.ts): a restore's
 * execute and resume run 30/40/50/51 (lib/restore-flow.sh), the vault check runs 20, each
 * audit-logged with the script's SHA-256, so what an auditor reads is what ran. Planning
 * stays in-process (it writes nothing); the reviewed plan's hash goes to the script as
 * --expect-plan, so a plan that changed since the review is refused before any write.
 * Two cases have no script and stay in-process: an archive whose bad signature the operator
 * accepted (the scripts' custody check refuses it) and an archive opened by passphrase
 * without an identity file (the CLI restore needs an identity).
 *
 * An archive older than the newest of its tenant is a rollback: both paths apply the
 * vault's anti-rollback check (checkArchiveAgainstVault), with the reason the operator gave
 * through overrideRollback (audit-logged there) as `--allow-rollback` or `allowRollback`.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { verifyArchive } from '../src/archive/index.js';
import { preflight } from '../src/ops/preflight.js';
import { systemClock } from '../src/clock.js';
import { loadIdentity, openAgeDecryption } from '../src/crypto/index.js';
import { startEmulator } from '../src/emulator/index.js';
import type { EmulatorHandle } from '../src/emulator/index.js';
import { emptyTenant } from '../src/emulator/seed/index.js';
import { VaultError } from '../src/errors.js';
import { createGraphClient } from '../src/graph/index.js';
import type { GraphClient } from '../src/graph/types.js';
import { loadProfile } from '../src/profile.js';
import type { Reporter } from '../src/progress.js';
import { diffTenant } from '../src/restore/diff.js';
import type { Plan } from '../src/restore/types.js';
import { operatorKeys, restoreAndAudit, runRestore } from '../src/ops/restore.js';
import type { RunRestoreResult } from '../src/ops/restore.js';
import { openArchiveForUse, recordRollbackDecision, signerFor, vaultOf, type ArchiveForUse } from '../src/ops/open-archive.js';
import { planSha256 } from '../src/ops/restore.js';
import type { ManualStep, RestoreSelection, ScenarioName } from '../src/restore/types.js';
import { PASSPHRASE_ENV, runProcedure, scriptEnv } from './script-runner.js';
import { listArchiveInfos } from './archive-listing.js';
import { changesSince } from './services-changes.js';
import type { ScriptRunner } from './script-runner.js';
import { CUSTODY_SCRIPT, custodyResult, readJson, RESTORE_SCRIPTS, restoreScriptArgs, scriptFailure, type RestoreResultFile, type VaultCheck } from './restore-scripts.js';
import { fidelityRows, runFailures } from './report-rows.js';
import { adminsOfRun } from './global-admins.js';
import { deviationText } from '../src/restore/fidelity.js';
import { checkResumeTarget, findUnfinishedRestore, forgetRecord, recordPath, recordsDirOf, recordsOfJournal, scriptRecordPath, writeRecord, type RestoreRecord } from '../src/ops/unfinished.js';
export { CUSTODY_SCRIPT, custodyResult, RESTORE_SCRIPTS, restoreScriptArgs } from './restore-scripts.js';
export type { RestoreScriptInput } from './restore-scripts.js';
export { fidelityRows } from './report-rows.js';
export { doneOps } from '../src/ops/unfinished.js';
import type {
  ArchiveDiffReport, ArchiveInfo, ChangesRequest, ConnectTarget, ExecuteOptions, ExecuteResult, PlanRequest, PlanResult, Preflight,
  UnfinishedJournal, UnlockRequest, VerifyArchiveResult, WizardServices,
} from './services.js';

interface Session {
  archivePath?: string;
  identityPath?: string;
  passphrase?: string;
  /** The identity file typed for "what changed since this archive?" (not an unlock). */
  diffIdentityPath?: string;
  archive?: ArchiveForUse;
  graph?: GraphClient;
  target?: ConnectTarget;
  targetTenantId?: string;
  emulator?: EmulatorHandle;
  /** The connected target's profile file (for the emulator: the writer profile written for it). */
  profilePath?: string;
  /** Hash of each plan shown by plan() → the selection it was planned for (execute needs both). */
  planned: Map<string, RestoreSelection | undefined>;
  /** Archives whose bad signature the operator accepted (with the reason, already audit-logged). */
  overrides: Map<string, string>;
  /**
   * Archives (by absolute path) the operator chose although a newer one of their tenant
   * exists, with the reason (already audit-logged as rollback.override): every check of
   * the archive against the vault in this session gets it.
   */
  rollbacks: Map<string, string>;
}

/** The record each restore leaves so the wizard can offer to resume it (src/ops/unfinished.ts). */
type JournalInfo = RestoreRecord<ConnectTarget>;

/** Where the wizard keeps its work and which vault it shows; runScript replaces the recovery-script runner (tests). */
export interface RealServicesOptions {
  workDir: string;
  vaultDir: string;
  runScript?: ScriptRunner;
}

export function realWizardServices(opts: RealServicesOptions): WizardServices & { close(): Promise<void> } {
  return new RealWizardServices(opts);
}

/** The session the wizard's steps build up: archive, identity, target, reviewed plans, overrides. */
class RealWizardServices implements WizardServices {
  private readonly s: Session = { overrides: new Map(), rollbacks: new Map(), planned: new Map() };
  private readonly workDir: string;
  /** The Graph client's own events (throttling, retries) go to the wait that listens now (Connect, Plan). */
  private listener: Reporter | undefined;
  private readonly relay: Reporter = { report: (e) => this.listener?.report(e) };

  constructor(private readonly opts: RealServicesOptions) {
    this.workDir = resolve(opts.workDir);
  }

  /**
   * Where restores leave their resume records: the vault's `.restores/` (so a wizard started
   * from any directory offers them), or the work directory when the vault is not writable.
   */
  private recordsDir(): Promise<string> {
    return recordsDirOf(this.opts.vaultDir, this.workDir);
  }

  private rollbackReasonOf(archivePath: string | undefined): string | undefined {
    return archivePath ? this.s.rollbacks.get(resolve(archivePath)) : undefined;
  }

  /** The archive under the vault's rules (src/ops/open-archive.ts), read once per session. */
  private async loadArchive(): Promise<ArchiveForUse> {
    if (this.s.archive) return this.s.archive;
    if (!this.s.archivePath || (!this.s.identityPath && !this.s.passphrase)) throw new VaultError('USAGE', 'unlock an archive first');
    const reason = this.s.overrides.get(this.s.archivePath);
    const rollback = this.rollbackReasonOf(this.s.archivePath);
    const opened: ArchiveForUse = await openArchiveForUse({
      archivePath: this.s.archivePath, via: 'wizard',
      ...(this.s.identityPath ? { identityPath: this.s.identityPath } : {}),
      ...(this.s.passphrase ? { passphrase: this.s.passphrase } : {}),
      ...(reason ? { allowBadSignature: reason } : {}),
      ...(rollback ? { allowRollback: rollback } : {}),
    });
    this.s.archive = opened;
    return this.s.archive;
  }

  /** The credentials recipient and the identity text (a run that writes: the identity tags its stored plan), decrypting once. */
  private async operatorKeys(dryRun: boolean, resume: boolean): Promise<{ credentialsRecipient?: string; operatorIdentity?: string }> {
    if (dryRun && !resume) return {};
    if (!this.s.identityPath) {
      throw new VaultError('USAGE', resume ? 'resuming a restore needs the identity file (the stored plan is encrypted to it)' : 'a restore that writes needs the identity file (temporary passwords are encrypted to it)');
    }
    return operatorKeys({ identityPath: this.s.identityPath, ...(this.s.passphrase ? { passphrase: this.s.passphrase } : {}), dryRun });
  }

  /**
   * Runs (or resumes) a journaled restore. The sidecar that lets a later wizard offer
   * to resume is written BEFORE the first write to the tenant and marked finished only
   * after the run ends, so a crash or SIGKILL mid-run leaves it unfinished.
   */
  private async runAndReport(
    job: { scenario: Plan['scenario']; total: number; startedAt: string },
    o: ExecuteOptions,
    journalPath: string,
    resume: boolean,
  ): Promise<ExecuteResult> {
    const archive = await this.loadArchive();
    if (!this.s.graph || !this.s.targetTenantId) throw new VaultError('USAGE', 'connect to a target first');
    const dryRun = o.confirmTenantId === undefined;
    const info: JournalInfo = {
      // absolute paths: the wizard that resumes may start from another directory
      journalPath, archivePath: this.s.archivePath ? resolve(this.s.archivePath) : '', scenario: job.scenario,
      target: this.s.target && 'profilePath' in this.s.target ? { profilePath: resolve(this.s.target.profilePath) } : (this.s.target ?? { emulator: true }),
      targetTenantId: this.s.targetTenantId, startedAt: job.startedAt, total: job.total, finished: false,
      ...(this.rollbackReasonOf(this.s.archivePath) ? { rollbackReason: this.rollbackReasonOf(this.s.archivePath) } : {}),
    };
    const sidecar = recordPath(await this.recordsDir(), basename(journalPath));
    if (!dryRun) await writeRecord(sidecar, info);
    const r: RunRestoreResult = await restoreAndAudit({
      via: 'wizard', ...(archive.vault ? { vault: archive.vault } : {}),
      archive: archive.data, archiveMeta: archive.meta, graph: this.s.graph, targetTenantId: this.s.targetTenantId,
      // the wizard matched the typed id or initial domain; the core checks the tenant id again
      scenario: job.scenario, dryRun, ...(dryRun ? {} : { confirmTenantId: this.s.targetTenantId }),
      // operatorIdentity is the identity itself (age's addIdentity), not the file it lives in;
      // it is decrypted once for both (src/ops/restore.ts operatorKeys)
      journalPath, ...(resume ? { resume: true } : {}), ...(await this.operatorKeys(dryRun, resume)),
      reporter: o.reporter, clock: systemClock, signal: o.signal, enableConditionalAccess: true,
    });
    const paused = Boolean(r.execution?.paused);
    const failed = runFailures(r.execution);
    // failed or skipped operations are retried by a resume: such a run stays on offer
    if (!dryRun) await writeRecord(sidecar, { ...info, total: r.plan.operations.length, finished: !paused && failed.failed + failed.skipped === 0 });
    const base = dryRun ? join(this.workDir, `dry-run-${stamp()}`) : journalPath;
    const reportPath = `${base}.report.json`;
    await writeFile(reportPath, `${JSON.stringify({ plan: { operations: r.plan.operations.length }, execution: r.execution, fidelity: r.fidelity }, null, 2)}\n`);
    const runbookPath = `${base}.plan.txt`;
    const { renderPlanText } = await import('../src/restore/render.js');
    await writeFile(runbookPath, renderPlanText(r.plan, { width: 100 }));
    const tiers = r.execution?.tiers ?? [];
    return {
      status: dryRun ? 'dryRun' : paused ? 'paused' : 'completed',
      ...failed,
      perTier: tiers.map((t) => ({ tier: t.tier, operations: t.total, elapsedMs: t.ms })),
      fidelity: r.fidelity ? fidelityRows(r.fidelity) : [],
      deviations: (r.fidelity?.deviations ?? []).map((d) => ({ type: d.type ?? d.relation ?? '', archivedId: d.archivedId ?? '', ...(d.displayName ? { displayName: d.displayName } : {}), reason: d.property ? `${d.property}: ${d.reason}` : deviationText(d) })),
      manualSteps: r.plan.manualSteps,
      reportPath,
      runbookPath,
      ...(r.credentialsFile ? { credentialsPath: r.credentialsFile } : {}),
      ...(paused ? { journalPath } : {}),
      ...adminsOfRun(job.scenario, archive.data, dryRun ? undefined : r.plan, r.execution?.outcomes),
    };
  }

  /** Why this session's restore cannot run through a script (then it runs in-process), or null. */
  private noScriptReason(): string | null {
    if (this.s.archivePath && this.s.overrides.has(this.s.archivePath)) return 'the archive\'s bad signature was accepted, which the scripts\' custody check refuses';
    if (!this.s.identityPath) return 'the archive was opened by passphrase; the restore scripts need the identity file';
    if (!this.s.profilePath) return 'no target profile';
    return null;
  }

  /** The child environment of a restore script: the profile's secret variable and the passphrase, if any. */
  private async restoreEnv(): Promise<Record<string, string>> {
    const extra: Record<string, string | undefined> = {};
    if (this.s.profilePath) {
      const profile = await loadProfile(this.s.profilePath);
      if (profile.auth.kind === 'clientSecret' && profile.auth.secretEnv) extra[profile.auth.secretEnv] = process.env[profile.auth.secretEnv];
    }
    if (this.s.passphrase) extra[PASSPHRASE_ENV] = this.s.passphrase;
    return scriptEnv(extra);
  }

  /**
   * Runs (or resumes) a restore through its recovery script. The sidecar is written before
   * the script starts (so before the first write) and marked finished only after it ends
   * unpaused; when the script stopped before the restore began (custody check, a changed
   * plan) there is no journal and the sidecar is removed. The result shown comes from the
   * script's files (restore-result.json, plan.json, runbook.md), never from re-running.
   */
  private async runScripted(
    job: { scenario: ScenarioName; total: number; startedAt: string; outDir: string; expectPlanSha256?: string; selection?: RestoreSelection },
    o: ExecuteOptions,
    resume: boolean,
  ): Promise<ExecuteResult> {
    if (!this.s.archivePath || !this.s.identityPath || !this.s.profilePath || !this.s.targetTenantId) throw new VaultError('USAGE', 'unlock an archive and connect to a target first');
    const dryRun = o.confirmTenantId === undefined;
    const outDir = job.outDir;
    const journalPath = join(outDir, 'restore.journal');
    const vault = await vaultOf(this.s.archivePath);
    const info: JournalInfo = {
      journalPath, archivePath: resolve(this.s.archivePath), scenario: job.scenario,
      target: this.s.target && 'profilePath' in this.s.target ? { profilePath: resolve(this.s.target.profilePath) } : (this.s.target ?? { emulator: true }),
      targetTenantId: this.s.targetTenantId, startedAt: job.startedAt, total: job.total, finished: false, runner: 'script',
      ...(this.rollbackReasonOf(this.s.archivePath) ? { rollbackReason: this.rollbackReasonOf(this.s.archivePath) } : {}),
    };
    const sidecar = scriptRecordPath(await this.recordsDir(), outDir);
    if (!dryRun) await writeRecord(sidecar, info);
    const script = RESTORE_SCRIPTS[job.scenario];
    const run = await runProcedure({
      script,
      args: restoreScriptArgs({
        archivePath: resolve(this.s.archivePath), profilePath: resolve(this.s.profilePath), identityPath: resolve(this.s.identityPath), outDir,
        ...(vault ? { vault } : {}),
        // the wizard matched the typed id or initial domain; the CLI checks the tenant id again
        ...(dryRun ? {} : { confirmTenantId: this.s.targetTenantId }),
        ...(job.expectPlanSha256 ? { expectPlanSha256: job.expectPlanSha256 } : {}),
        ...(job.selection ? { selection: job.selection } : {}),
        ...(this.s.passphrase ? { passphraseEnv: PASSPHRASE_ENV } : {}),
        ...(this.rollbackReasonOf(this.s.archivePath) ? { allowRollbackReason: this.rollbackReasonOf(this.s.archivePath) } : {}),
        resume, enableCa: true,
      }),
      env: await this.restoreEnv(),
      ...(vault ? { vault } : {}),
      reporter: o.reporter,
      signal: o.signal,
      ...(this.opts.runScript ? { runner: this.opts.runScript } : {}),
    });
    const runbookPath = join(outDir, 'runbook.md');
    const plan = await readJson<{ manualSteps?: ManualStep[]; operations?: Plan['operations']; domainMap?: Plan['domainMap']; error?: string }>(join(outDir, 'plan.json'));
    const manualSteps = plan?.manualSteps ?? [];
    if (dryRun) {
      if (run.exitCode !== 0) throw scriptFailure(run, 'during the dry run');
      return { status: 'dryRun', failed: 0, skipped: 0, failures: [], perTier: [], fidelity: [], deviations: [], manualSteps, reportPath: join(outDir, 'plan.json'), runbookPath };
    }
    const reportPath = join(outDir, 'restore-result.json');
    const result = await readJson<RestoreResultFile>(reportPath);
    if (!result?.execution) {
      // the restore never wrote: no journal means nothing to resume
      const started = await readFile(journalPath).then((b) => b.length > 0, () => false);
      if (!started) await forgetRecord(sidecar);
      if (result?.error) throw new VaultError(result.error as VaultError['code'], result.message ?? result.error, result.hint);
      if (o.signal.aborted && !started) throw new VaultError('RESTORE_INCOMPLETE', `${script} was stopped before its restore began; nothing was written`, 'start the restore again');
      throw scriptFailure(run, 'before the restore finished');
    }
    const ex = result.execution;
    const paused = ex.paused;
    const failed = runFailures(ex);
    // the script's exit code is not ignored: non-zero with nothing failed and nothing missing
    // means something the result file does not show went wrong (src/cli/commands/restore.ts)
    if (run.exitCode !== 0 && !paused && failed.failed + failed.skipped === 0 && (result.fidelity?.deviations.length ?? 0) === 0) {
      failed.failures.push({ label: script, reason: `exited ${run.exitCode}: see its output in the wizard's log` });
    }
    await writeRecord(sidecar, { ...info, total: plan?.operations?.length ?? job.total, finished: !paused && failed.failed + failed.skipped === 0 });
    const f = result.fidelity;
    return {
      status: paused ? 'paused' : 'completed',
      ...failed,
      failed: Math.max(failed.failed, failed.failures.length),
      perTier: ex.tiers.map((t) => ({ tier: t.tier, operations: t.total, elapsedMs: t.ms })),
      fidelity: f ? fidelityRows(f) : [],
      deviations: (f?.deviations ?? []).map((d) => ({ type: d.type ?? d.relation ?? '', archivedId: d.archivedId ?? '', ...(d.displayName ? { displayName: d.displayName } : {}), reason: d.property ? `${d.property}: ${d.reason}` : deviationText(d) })),
      manualSteps,
      reportPath,
      runbookPath,
      ...(result.credentialsFile ? { credentialsPath: resolve(outDir, result.credentialsFile) } : {}),
      ...(paused ? { journalPath } : {}),
      ...adminsOfRun(job.scenario, this.s.archive?.data, plan?.operations ? { operations: plan.operations, ...(plan.domainMap ? { domainMap: plan.domainMap } : {}) } : undefined, ex.outcomes),
    };
  }

  listArchives(vaultDir: string): Promise<ArchiveInfo[]> {
    return listArchiveInfos(vaultDir);
  }
  /** tui/services-changes.ts; a key typed for a comparison is kept for the next one, apart from the unlocked one. */
  async changesSince(req: ChangesRequest, hooks: { reporter?: Reporter } = {}): Promise<ArchiveDiffReport> {
    if (req.identityPath) this.s.diffIdentityPath = req.identityPath;
    this.listener = hooks.reporter;
    return changesSince(req, this.s, hooks.reporter ?? { report: () => undefined }).finally(() => (this.listener = undefined));
  }
  async overrideSignature(archivePath: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (text === '') throw new VaultError('USAGE', 'a bad signature needs a reason', 'type why this archive must be used');
    // recorded in the audit log when the archive is used (openArchiveForUse), as the CLI does
    this.s.overrides.set(archivePath, text);
    if (this.s.archivePath === archivePath) this.s.archive = undefined;
  }
  async overrideRollback(archivePath: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (text === '') throw new VaultError('USAGE', 'an older archive needs a reason', 'type why this archive must be used');
    // logged before the reason is used, like the signature override
    await recordRollbackDecision(archivePath, text, 'wizard');
    this.s.rollbacks.set(resolve(archivePath), text);
    // a session that loaded this archive without the reason must check it again with it
    if (this.s.archivePath && resolve(this.s.archivePath) === resolve(archivePath)) this.s.archive = undefined;
  }
  async unlock(req: UnlockRequest): Promise<void> {
    // the header alone proves the key: no payload byte is read (docs/reliability.md 3)
    const keys = 'identityPath' in req ? { identities: await loadIdentity(req.identityPath) } : { passphrases: [req.passphrase] };
    const stream = createReadStream(req.archivePath);
    try {
      await openAgeDecryption(stream, keys);
    } finally {
      stream.destroy();
    }
    this.s.archivePath = req.archivePath;
    this.s.archive = undefined;
    if ('identityPath' in req) this.s.identityPath = req.identityPath;
    else this.s.passphrase = req.passphrase;
  }
  async connect(target: ConnectTarget, hooks: Parameters<WizardServices['connect']>[1]): Promise<Preflight> {
    let profilePath: string;
    let label: string;
    const say = (message: string): void => hooks.reporter?.report({ kind: 'phase', phase: 'connect', message });
    if ('emulator' in target) {
      say('starting the built-in emulator');
      const tenant = emptyTenant({ seed: 7 });
      this.s.emulator ??= await startEmulator({ port: 0, tenants: [tenant] });
      const dir = await mkdtemp(join(tmpdir(), 'ev-wizard-'));
      profilePath = join(dir, 'writer.json');
      await this.s.emulator.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: profilePath });
      label = 'built-in emulator (new empty tenant)';
    } else {
      profilePath = target.profilePath;
      label = basename(profilePath);
    }
    const profile = await loadProfile(profilePath);
    // The client keeps its signal for every later request, and the Connect step aborts
    // its signal when the operator leaves the step: the hook's signal may cancel the
    // sign-in and preflight only, never the plan or the run that follow.
    const life = new AbortController();
    const cancel = (): void => life.abort(hooks.signal.reason);
    if (hooks.signal.aborted) cancel();
    hooks.signal.addEventListener('abort', cancel, { once: true });
    this.listener = hooks.reporter;
    try {
      say('token request');
      const graph = await createGraphClient(profile, {
        clock: systemClock, signal: life.signal, reporter: this.relay,
        deviceCodePrompt: (p) => hooks.onDeviceCode({ userCode: p.userCode, verificationUri: p.verificationUri }),
      });
      say('reading tenant and permissions');
      const result = await preflight(graph, profile.tenantId, profile.clientId, profile.name ?? label, { delegated: profile.auth.kind === 'deviceCode' });
      this.s.graph = graph;
      this.s.target = target;
      this.s.profilePath = profilePath;
      this.s.targetTenantId = profile.tenantId;
      return result;
    } finally {
      this.listener = undefined;
      hooks.signal.removeEventListener('abort', cancel);
    }
  }
  async plan(req: PlanRequest, hooks: { reporter?: Reporter } = {}): Promise<PlanResult> {
    const archive = await this.loadArchive();
    if (!this.s.graph || !this.s.targetTenantId) throw new VaultError('USAGE', 'connect to a target first');
    this.listener = hooks.reporter;
    const r = await runRestore({
      archive: archive.data, archiveMeta: archive.meta, graph: this.s.graph, targetTenantId: this.s.targetTenantId,
      scenario: req.scenario, ...(req.selection ? { selection: req.selection } : {}), dryRun: true,
      journalPath: join(this.workDir, 'plan.journal'), reporter: hooks.reporter ?? { report: () => undefined }, clock: systemClock,
    }).finally(() => (this.listener = undefined));
    // the hash of the plan the operator reviews: execute hands it to the script (--expect-plan)
    this.s.planned.set(planSha256(r.plan), req.selection);
    const wantsDiff = req.scenario === 'objects' || req.scenario === 'attributes';
    return { plan: r.plan, archiveDomain: archive.data.initialDomain, ...(wantsDiff ? { diff: diffTenant(archive.data, r.liveBefore) } : {}) };
  }
  async execute(plan: Plan, o: ExecuteOptions): Promise<ExecuteResult> {
    await mkdir(this.workDir, { recursive: true, mode: 0o700 });
    const why = this.noScriptReason();
    if (why === null) {
      const hash = planSha256(plan);
      if (!this.s.planned.has(hash)) throw new VaultError('PLAN_CHANGED', 'this plan was not made in this session; nothing was written', 'go back to the Plan step and plan again');
      const selection = this.s.planned.get(hash);
      return this.runScripted(
        { scenario: plan.scenario, total: plan.operations.length, startedAt: new Date().toISOString(), outDir: join(this.workDir, `restore-${stamp()}`), expectPlanSha256: hash, ...(selection ? { selection } : {}) },
        o, false,
      );
    }
    o.reporter.report({ kind: 'log', level: 'info', message: `running in-process, not through a recovery script: ${why}` });
    const journal = join(this.workDir, `restore-${stamp()}.journal`);
    return this.runAndReport({ scenario: plan.scenario, total: plan.operations.length, startedAt: new Date().toISOString() }, o, journal, false);
  }
  async findUnfinishedJournal(): Promise<UnfinishedJournal | null> {
    // the vault's records first: a wizard started from any directory finds them (issue 12 item 9)
    for (const dir of [...new Set([await this.recordsDir(), this.workDir])]) {
      const found = await findUnfinishedRestore<ConnectTarget>(dir);
      if (found) return found;
    }
    return null;
  }
  async resume(j: UnfinishedJournal, o: ExecuteOptions): Promise<ExecuteResult> {
    // The journal's own plan (stored encrypted next to it) is continued: no re-planning
    // against a half-restored tenant. Resuming is always a write, confirmed on the Confirm step.
    if (o.confirmTenantId === undefined) throw new VaultError('CONFIRM_MISMATCH', 'a resumed restore writes: type the target tenant id to continue it', 'nothing was written');
    checkResumeTarget(j.targetTenantId, this.s.targetTenantId);
    const { sidecar, inProcessSidecar } = await recordsOfJournal<ConnectTarget>([await this.recordsDir(), this.workDir], j.journalPath);
    // the restore began with an audit-logged rollback reason: its continuation carries it
    // (the wizard's resume path has no Archive step to type it again)
    const rollbackReason = (sidecar?.runner === 'script' ? sidecar : inProcessSidecar)?.rollbackReason;
    if (rollbackReason && j.archivePath) this.s.rollbacks.set(resolve(j.archivePath), rollbackReason);
    if (basename(j.journalPath) === 'restore.journal' && sidecar?.runner === 'script') {
      const why = this.noScriptReason();
      if (why !== null) throw new VaultError('USAGE', `this restore was started by a recovery script and resumes through it, but ${why}`, 'unlock with the identity file and connect to the same target');
      return this.runScripted({ scenario: j.scenario, total: j.total, startedAt: j.startedAt, outDir: dirname(j.journalPath) }, o, true);
    }
    return this.runAndReport({ scenario: j.scenario, total: j.total, startedAt: j.startedAt }, o, j.journalPath, true);
  }
  async verifyArchive(archivePath: string, o: { reporter: Reporter; signal: AbortSignal }): Promise<VerifyArchiveResult> {
    const vault = await vaultOf(archivePath);
    // The custody check (20) covers the whole vault: every archive, the audit chain, the
    // evidence packs. It re-hashes contents with the identity file; an archive opened by
    // passphrase only is re-hashed in-process afterwards (the CLI re-hashes by identity only).
    if (vault) {
      o.reporter.report({ kind: 'phase', phase: 'verify', message: `custody check of ${vault}` });
      await mkdir(this.workDir, { recursive: true, mode: 0o700 });
      const jsonOut = join(this.workDir, `custody-${stamp()}.json`);
      const run = await runProcedure({
        script: CUSTODY_SCRIPT,
        args: ['--vault', vault, ...(this.s.identityPath ? ['--identity', resolve(this.s.identityPath)] : []), '--json-out', jsonOut],
        env: scriptEnv(), vault, reporter: o.reporter, signal: o.signal,
        ...(this.opts.runScript ? { runner: this.opts.runScript } : {}),
      });
      const checked = await readJson<VaultCheck>(jsonOut);
      await rm(jsonOut, { force: true });
      const result = custodyResult(archivePath, checked, run);
      if (this.s.identityPath || !this.s.passphrase || result.signature !== 'valid') return result;
      const data = await this.verifyInProcess(archivePath);
      return { ...data, ok: result.ok && data.ok, bytes: result.bytes, problems: [...result.problems, ...data.problems], ...(result.elsewhere ? { elsewhere: result.elsewhere } : {}) };
    }
    return this.verifyInProcess(archivePath);
  }
  async close(): Promise<void> {
    await this.s.emulator?.close();
    this.s.emulator = undefined;
    await rm(join(this.workDir, 'plan.journal'), { force: true });
  }

  /** The archive check in-process (an archive outside a vault, or the passphrase-only data re-hash). */
  private async verifyInProcess(archivePath: string): Promise<VerifyArchiveResult> {
    try {
      const r = await verifyArchive(archivePath, {
        signerPublicKey: (await signerFor(archivePath, undefined)).key,
        ...(this.s.identityPath ? { identity: this.s.identityPath } : {}),
        ...(this.s.passphrase ? { passphrase: this.s.passphrase } : {}),
        readData: Boolean(this.s.identityPath || this.s.passphrase),
      });
      return { archivePath, ok: true, signature: 'valid', entries: r.entriesChecked, bytes: 0, problems: [] };
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      return { archivePath, ok: false, signature: e.code === 'SIGNATURE_MISSING' ? 'missing' : e.code === 'SIGNATURE_INVALID' ? 'invalid' : 'valid', entries: 0, bytes: 0, problems: [`${e.code}: ${e.message}`] };
    }
  }
}

const stamp = (): string => new Date().toISOString().replace(/[-:.]/g, '');
