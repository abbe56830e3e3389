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
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import { identityText, operatorRecipient, restoreAndAudit, runRestore } from '../src/ops/restore.js';
import type { RunRestoreResult } from '../src/ops/restore.js';
import { listVault } from '../src/vault/index.js';
import { openArchiveForUse, recordRollbackDecision, signerFor, vaultOf, type ArchiveForUse } from '../src/ops/open-archive.js';
import { planSha256 } from '../src/ops/restore.js';
import type { ExecutionResult } from '../src/restore/execute/executor.js';
import type { ManualStep, RestoreSelection, ScenarioName } from '../src/restore/types.js';
import { errorOfStderr, PASSPHRASE_ENV, runProcedure, scriptEnv } from './script-runner.js';
import type { ProcedureRun, ScriptRunner } from './script-runner.js';
import type {
  ArchiveInfo, ConnectTarget, ExecuteOptions, ExecuteResult, FidelityRow, PlanRequest, PlanResult, Preflight,
  UnfinishedJournal, UnlockRequest, VerifyArchiveResult, WizardServices,
} from './services.js';

interface Session {
  archivePath?: string;
  identityPath?: string;
  passphrase?: string;
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

/** Sidecar written next to each journal so the wizard can offer to resume it. */
interface JournalInfo extends Omit<UnfinishedJournal, 'done' | 'total'> {
  total: number;
  finished: boolean;
  /** 'script': the journal belongs to a recovery script's --out directory (resumed with --resume). */
  runner?: 'script' | 'inProcess';
  /** The rollback reason the restore started with (audit-logged then): its resume needs it again. */
  rollbackReason?: string;
}

/** The recovery script of each restore scenario (their USAGE headers: recovery-scripts/*.sh). */
export const RESTORE_SCRIPTS: Record<ScenarioName, string> = {
  'tenant-loss': '40-recover-tenant-loss.sh',
  'all-admins-deleted': '30-recover-all-admins-deleted.sh',
  objects: '50-restore-objects.sh',
  attributes: '51-restore-attributes.sh',
};
export const CUSTODY_SCRIPT = '20-vault-custody-check.sh';

/** What a restore script is given. Secrets are not among them: a passphrase goes by env NAME. */
export interface RestoreScriptInput {
  archivePath: string;
  profilePath: string;
  identityPath: string;
  outDir: string;
  vault?: string;
  confirmTenantId?: string;
  expectPlanSha256?: string;
  resume?: boolean;
  selection?: RestoreSelection;
  /** Name of the environment variable holding the identity passphrase, if there is one. */
  passphraseEnv?: string;
  enableCa: boolean;
  /** Operator text (not a secret) accepting an archive older than the newest of its tenant. */
  allowRollbackReason?: string;
}

/** The argument array for 30/40/50/51 (lib/restore-flow.sh's options). Pure. */
export function restoreScriptArgs(i: RestoreScriptInput): string[] {
  const args = ['--archive', i.archivePath, '--target', i.profilePath, '--identity', i.identityPath, '--out', i.outDir];
  if (i.vault) args.push('--vault', i.vault);
  if (i.passphraseEnv) args.push('--passphrase-env', i.passphraseEnv);
  if (i.selection?.objectIds?.length) args.push('--objects', i.selection.objectIds.join(','));
  if (i.selection?.attributes?.length) args.push('--attributes', i.selection.attributes.join(','));
  if (i.enableCa) args.push('--enable-ca');
  // one argv element, passed literally (execa, no shell): quotes, $ and ; in it stay text
  if (i.allowRollbackReason) args.push('--allow-rollback', i.allowRollbackReason);
  if (i.expectPlanSha256) args.push('--expect-plan', i.expectPlanSha256);
  if (i.resume) args.push('--resume');
  if (i.confirmTenantId !== undefined) args.push('--confirm', i.confirmTenantId);
  return args;
}

/** The result document `restore --json` writes (src/cli/commands/restore.ts), or its error. */
interface RestoreResultFile {
  execution?: ExecutionResult;
  fidelity?: FidelityReport;
  credentialsFile?: string;
  error?: string;
  message?: string;
  hint?: string;
}

export function realWizardServices(opts: { workDir: string; vaultDir: string; runScript?: ScriptRunner }): WizardServices & { close(): Promise<void> } {
  const s: Session = { overrides: new Map(), rollbacks: new Map(), planned: new Map() };
  const rollbackReasonOf = (archivePath: string | undefined): string | undefined => (archivePath ? s.rollbacks.get(resolve(archivePath)) : undefined);
  const workDir = resolve(opts.workDir);

  /** The archive under the vault's rules (src/ops/open-archive.ts), read once per session. */
  const loadArchive = async () => {
    if (s.archive) return s.archive;
    if (!s.archivePath || (!s.identityPath && !s.passphrase)) throw new VaultError('USAGE', 'unlock an archive first');
    const reason = s.overrides.get(s.archivePath);
    const rollback = rollbackReasonOf(s.archivePath);
    const opened: ArchiveForUse = await openArchiveForUse({
      archivePath: s.archivePath, via: 'wizard',
      ...(s.identityPath ? { identityPath: s.identityPath } : {}),
      ...(s.passphrase ? { passphrase: s.passphrase } : {}),
      ...(reason ? { allowBadSignature: reason } : {}),
      ...(rollback ? { allowRollback: rollback } : {}),
    });
    s.archive = opened;
    return s.archive;
  };

  const resumeIdentity = async (): Promise<string> => {
    if (!s.identityPath) throw new VaultError('USAGE', 'resuming a restore needs the identity file (the stored plan is encrypted to it)');
    return identityText(s.identityPath, s.passphrase);
  };

  const recipient = async (): Promise<string> => {
    if (!s.identityPath) throw new VaultError('USAGE', 'a restore that writes needs the identity file (temporary passwords are encrypted to it)');
    return operatorRecipient({ identityPath: s.identityPath, ...(s.passphrase ? { passphrase: s.passphrase } : {}) });
  };

  /**
   * Runs (or resumes) a journaled restore. The sidecar that lets a later wizard offer
   * to resume is written BEFORE the first write to the tenant and marked finished only
   * after the run ends, so a crash or SIGKILL mid-run leaves it unfinished.
   */
  const runAndReport = async (
    job: { scenario: Plan['scenario']; total: number; startedAt: string },
    o: ExecuteOptions,
    journalPath: string,
    resume: boolean,
  ): Promise<ExecuteResult> => {
    const archive = await loadArchive();
    if (!s.graph || !s.targetTenantId) throw new VaultError('USAGE', 'connect to a target first');
    const dryRun = o.confirmTenantId === undefined;
    const info: JournalInfo = {
      // absolute paths: the wizard that resumes may start from another directory
      journalPath, archivePath: s.archivePath ? resolve(s.archivePath) : '', scenario: job.scenario,
      target: s.target && 'profilePath' in s.target ? { profilePath: resolve(s.target.profilePath) } : (s.target ?? { emulator: true }),
      targetTenantId: s.targetTenantId, startedAt: job.startedAt, total: job.total, finished: false,
      ...(rollbackReasonOf(s.archivePath) ? { rollbackReason: rollbackReasonOf(s.archivePath) } : {}),
    };
    const sidecar = `${journalPath}.wizard.json`;
    if (!dryRun) await writeFile(sidecar, `${JSON.stringify(info, null, 2)}\n`);
    const r: RunRestoreResult = await restoreAndAudit({
      via: 'wizard', ...(archive.vault ? { vault: archive.vault } : {}),
      archive: archive.data, archiveMeta: archive.meta, graph: s.graph, targetTenantId: s.targetTenantId,
      // the wizard matched the typed id or initial domain; the core checks the tenant id again
      scenario: job.scenario, dryRun, ...(dryRun ? {} : { confirmTenantId: s.targetTenantId }),
      // resumeIdentity is the identity itself (age's addIdentity), not the file it lives in
      journalPath, ...(resume ? { resume: true, ...(s.identityPath ? { resumeIdentity: await resumeIdentity() } : {}) } : {}),
      ...(dryRun ? {} : { credentialsRecipient: await recipient() }),
      reporter: o.reporter, clock: systemClock, signal: o.signal, enableConditionalAccess: true,
    });
    const paused = Boolean(r.execution?.paused);
    if (!dryRun) await writeFile(sidecar, `${JSON.stringify({ ...info, total: r.plan.operations.length, finished: !paused }, null, 2)}\n`);
    const base = dryRun ? join(workDir, `dry-run-${stamp()}`) : journalPath;
    const reportPath = `${base}.report.json`;
    await writeFile(reportPath, `${JSON.stringify({ plan: { operations: r.plan.operations.length }, execution: r.execution, fidelity: r.fidelity }, null, 2)}\n`);
    const runbookPath = `${base}.plan.txt`;
    const { renderPlanText } = await import('../src/restore/render.js');
    await writeFile(runbookPath, renderPlanText(r.plan, { width: 100 }));
    const tiers = r.execution?.tiers ?? [];
    return {
      status: dryRun ? 'dryRun' : paused ? 'paused' : 'completed',
      perTier: tiers.map((t) => ({ tier: t.tier, operations: t.total, elapsedMs: t.ms })),
      fidelity: r.fidelity ? fidelityRows(r.fidelity) : [],
      deviations: (r.fidelity?.deviations ?? []).map((d) => ({ type: d.type ?? d.relation ?? '', archivedId: d.archivedId ?? '', ...(d.displayName ? { displayName: d.displayName } : {}), reason: d.property ? `${d.property}: ${d.reason}` : d.reason })),
      manualSteps: r.plan.manualSteps,
      reportPath,
      runbookPath,
      ...(r.credentialsFile ? { credentialsPath: r.credentialsFile } : {}),
      ...(paused ? { journalPath } : {}),
    };
  };

  /** Why this session's restore cannot run through a script (then it runs in-process), or null. */
  const noScriptReason = (): string | null => {
    if (s.archivePath && s.overrides.has(s.archivePath)) return 'the archive\'s bad signature was accepted, which the scripts\' custody check refuses';
    if (!s.identityPath) return 'the archive was opened by passphrase; the restore scripts need the identity file';
    if (!s.profilePath) return 'no target profile';
    return null;
  };

  /** The child environment of a restore script: the profile's secret variable and the passphrase, if any. */
  const restoreEnv = async (): Promise<Record<string, string>> => {
    const extra: Record<string, string | undefined> = {};
    if (s.profilePath) {
      const profile = await loadProfile(s.profilePath);
      if (profile.auth.kind === 'clientSecret' && profile.auth.secretEnv) extra[profile.auth.secretEnv] = process.env[profile.auth.secretEnv];
    }
    if (s.passphrase) extra[PASSPHRASE_ENV] = s.passphrase;
    return scriptEnv(extra);
  };

  const readJson = async <T>(path: string): Promise<T | undefined> => {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  };

  /** A failed script run as the operator's error: the CLI's own error line, else the exit code. */
  const scriptFailure = (run: ProcedureRun, what: string): VaultError =>
    errorOfStderr(run.stderr) ?? new VaultError('RESTORE_INCOMPLETE', `${run.script} exited with ${run.exitCode} ${what}`, 'see the log lines above; nothing more was done');

  /**
   * Runs (or resumes) a restore through its recovery script. The sidecar is written before
   * the script starts (so before the first write) and marked finished only after it ends
   * unpaused; when the script stopped before the restore began (custody check, a changed
   * plan) there is no journal and the sidecar is removed. The result shown comes from the
   * script's files (restore-result.json, plan.json, runbook.md), never from re-running.
   */
  const runScripted = async (
    job: { scenario: ScenarioName; total: number; startedAt: string; outDir: string; expectPlanSha256?: string; selection?: RestoreSelection },
    o: ExecuteOptions,
    resume: boolean,
  ): Promise<ExecuteResult> => {
    if (!s.archivePath || !s.identityPath || !s.profilePath || !s.targetTenantId) throw new VaultError('USAGE', 'unlock an archive and connect to a target first');
    const dryRun = o.confirmTenantId === undefined;
    const outDir = job.outDir;
    const journalPath = join(outDir, 'restore.journal');
    const vault = await vaultOf(s.archivePath);
    const info: JournalInfo = {
      journalPath, archivePath: resolve(s.archivePath), scenario: job.scenario,
      target: s.target && 'profilePath' in s.target ? { profilePath: resolve(s.target.profilePath) } : (s.target ?? { emulator: true }),
      targetTenantId: s.targetTenantId, startedAt: job.startedAt, total: job.total, finished: false, runner: 'script',
      ...(rollbackReasonOf(s.archivePath) ? { rollbackReason: rollbackReasonOf(s.archivePath) } : {}),
    };
    const sidecar = join(workDir, `${basename(outDir)}.journal.wizard.json`);
    if (!dryRun) await writeFile(sidecar, `${JSON.stringify(info, null, 2)}\n`);
    const script = RESTORE_SCRIPTS[job.scenario];
    const run = await runProcedure({
      script,
      args: restoreScriptArgs({
        archivePath: resolve(s.archivePath), profilePath: resolve(s.profilePath), identityPath: resolve(s.identityPath), outDir,
        ...(vault ? { vault } : {}),
        // the wizard matched the typed id or initial domain; the CLI checks the tenant id again
        ...(dryRun ? {} : { confirmTenantId: s.targetTenantId }),
        ...(job.expectPlanSha256 ? { expectPlanSha256: job.expectPlanSha256 } : {}),
        ...(job.selection ? { selection: job.selection } : {}),
        ...(s.passphrase ? { passphraseEnv: PASSPHRASE_ENV } : {}),
        ...(rollbackReasonOf(s.archivePath) ? { allowRollbackReason: rollbackReasonOf(s.archivePath) } : {}),
        resume, enableCa: true,
      }),
      env: await restoreEnv(),
      ...(vault ? { vault } : {}),
      reporter: o.reporter,
      signal: o.signal,
      ...(opts.runScript ? { runner: opts.runScript } : {}),
    });
    const runbookPath = join(outDir, 'runbook.md');
    const plan = await readJson<{ manualSteps?: ManualStep[]; operations?: unknown[]; error?: string }>(join(outDir, 'plan.json'));
    const manualSteps = plan?.manualSteps ?? [];
    if (dryRun) {
      if (run.exitCode !== 0) throw scriptFailure(run, 'during the dry run');
      return { status: 'dryRun', perTier: [], fidelity: [], deviations: [], manualSteps, reportPath: join(outDir, 'plan.json'), runbookPath };
    }
    const reportPath = join(outDir, 'restore-result.json');
    const result = await readJson<RestoreResultFile>(reportPath);
    if (!result?.execution) {
      // the restore never wrote: no journal means nothing to resume
      const started = await readFile(journalPath).then((b) => b.length > 0, () => false);
      if (!started) await rm(sidecar, { force: true });
      if (result?.error) throw new VaultError(result.error as VaultError['code'], result.message ?? result.error, result.hint);
      if (o.signal.aborted && !started) throw new VaultError('RESTORE_INCOMPLETE', `${script} was stopped before its restore began; nothing was written`, 'start the restore again');
      throw scriptFailure(run, 'before the restore finished');
    }
    const ex = result.execution;
    const paused = ex.paused;
    await writeFile(sidecar, `${JSON.stringify({ ...info, total: plan?.operations?.length ?? job.total, finished: !paused }, null, 2)}\n`);
    const f = result.fidelity;
    return {
      status: paused ? 'paused' : 'completed',
      perTier: ex.tiers.map((t) => ({ tier: t.tier, operations: t.total, elapsedMs: t.ms })),
      fidelity: f ? fidelityRows(f) : [],
      deviations: (f?.deviations ?? []).map((d) => ({ type: d.type ?? d.relation ?? '', archivedId: d.archivedId ?? '', ...(d.displayName ? { displayName: d.displayName } : {}), reason: d.property ? `${d.property}: ${d.reason}` : d.reason })),
      manualSteps,
      reportPath,
      runbookPath,
      ...(result.credentialsFile ? { credentialsPath: resolve(outDir, result.credentialsFile) } : {}),
      ...(paused ? { journalPath } : {}),
    };
  };

  return {
    async listArchives(vaultDir: string): Promise<ArchiveInfo[]> {
      const rows = await listVault(vaultDir);
      return rows.map((r) => ({
        path: r.file, tenantId: r.tenantId, takenAt: r.takenAt ?? '', counts: {}, bytes: r.bytes, signature: r.signature,
        ...(r.signature !== 'valid' ? { signatureProblem: r.error ?? 'signature does not verify' } : {}),
      }));
    },
    async overrideSignature(archivePath: string, reason: string): Promise<void> {
      const text = reason.trim();
      if (text === '') throw new VaultError('USAGE', 'a bad signature needs a reason', 'type why this archive must be used');
      // recorded in the audit log when the archive is used (openArchiveForUse), as the CLI does
      s.overrides.set(archivePath, text);
      if (s.archivePath === archivePath) s.archive = undefined;
    },
    async overrideRollback(archivePath: string, reason: string): Promise<void> {
      const text = reason.trim();
      if (text === '') throw new VaultError('USAGE', 'an older archive needs a reason', 'type why this archive must be used');
      // logged before the reason is used, like the signature override
      await recordRollbackDecision(archivePath, text, 'wizard');
      s.rollbacks.set(resolve(archivePath), text);
      // a session that loaded this archive without the reason must check it again with it
      if (s.archivePath && resolve(s.archivePath) === resolve(archivePath)) s.archive = undefined;
    },
    async unlock(req: UnlockRequest): Promise<void> {
      // the header alone proves the key: no payload byte is read (docs/reliability.md 3)
      const keys = 'identityPath' in req ? { identities: await loadIdentity(req.identityPath) } : { passphrases: [req.passphrase] };
      const stream = createReadStream(req.archivePath);
      try {
        await openAgeDecryption(stream, keys);
      } finally {
        stream.destroy();
      }
      s.archivePath = req.archivePath;
      s.archive = undefined;
      if ('identityPath' in req) s.identityPath = req.identityPath;
      else s.passphrase = req.passphrase;
    },
    async connect(target, hooks): Promise<Preflight> {
      let profilePath: string;
      let label: string;
      if ('emulator' in target) {
        const tenant = emptyTenant({ seed: 7 });
        s.emulator ??= await startEmulator({ port: 0, tenants: [tenant] });
        const dir = await mkdtemp(join(tmpdir(), 'ev-wizard-'));
        profilePath = join(dir, 'writer.json');
        await s.emulator.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: profilePath });
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
      try {
        const graph = await createGraphClient(profile, {
          clock: systemClock, signal: life.signal,
          deviceCodePrompt: (p) => hooks.onDeviceCode({ userCode: p.userCode, verificationUri: p.verificationUri }),
        });
        const result = await preflight(graph, profile.tenantId, profile.clientId, profile.name ?? label);
        s.graph = graph;
        s.target = target;
        s.profilePath = profilePath;
        s.targetTenantId = profile.tenantId;
        return result;
      } finally {
        hooks.signal.removeEventListener('abort', cancel);
      }
    },
    async plan(req: PlanRequest): Promise<PlanResult> {
      const archive = await loadArchive();
      if (!s.graph || !s.targetTenantId) throw new VaultError('USAGE', 'connect to a target first');
      const r = await runRestore({
        archive: archive.data, archiveMeta: archive.meta, graph: s.graph, targetTenantId: s.targetTenantId,
        scenario: req.scenario, ...(req.selection ? { selection: req.selection } : {}), dryRun: true,
        journalPath: join(workDir, 'plan.journal'), reporter: { report: () => undefined }, clock: systemClock,
      });
      // the hash of the plan the operator reviews: execute hands it to the script (--expect-plan)
      s.planned.set(planSha256(r.plan), req.selection);
      const wantsDiff = req.scenario === 'objects' || req.scenario === 'attributes';
      return { plan: r.plan, ...(wantsDiff ? { diff: diffTenant(archive.data, r.liveBefore) } : {}) };
    },
    async execute(plan: Plan, o: ExecuteOptions): Promise<ExecuteResult> {
      await mkdir(workDir, { recursive: true, mode: 0o700 });
      const why = noScriptReason();
      if (why === null) {
        const hash = planSha256(plan);
        if (!s.planned.has(hash)) throw new VaultError('PLAN_CHANGED', 'this plan was not made in this session; nothing was written', 'go back to the Plan step and plan again');
        const selection = s.planned.get(hash);
        return runScripted(
          { scenario: plan.scenario, total: plan.operations.length, startedAt: new Date().toISOString(), outDir: join(workDir, `restore-${stamp()}`), expectPlanSha256: hash, ...(selection ? { selection } : {}) },
          o, false,
        );
      }
      o.reporter.report({ kind: 'log', level: 'info', message: `running in-process, not through a recovery script: ${why}` });
      const journal = join(workDir, `restore-${stamp()}.journal`);
      return runAndReport({ scenario: plan.scenario, total: plan.operations.length, startedAt: new Date().toISOString() }, o, journal, false);
    },
    async findUnfinishedJournal(): Promise<UnfinishedJournal | null> {
      let names: string[];
      try {
        names = (await readdir(workDir)).filter((n) => n.endsWith('.journal.wizard.json')).sort().reverse();
      } catch {
        return null;
      }
      for (const n of names) {
        const info = JSON.parse(await readFile(join(workDir, n), 'utf8')) as JournalInfo;
        if (info.finished) continue;
        // a script run that stopped before its restore began has no journal: nothing to resume
        if (info.runner === 'script' && !(await readFile(info.journalPath).then(() => true, () => false))) continue;
        const done = doneOps(await readFile(info.journalPath, 'utf8').catch(() => ''));
        return { journalPath: info.journalPath, archivePath: info.archivePath, scenario: info.scenario, target: info.target, targetTenantId: info.targetTenantId, startedAt: info.startedAt, done, total: info.total };
      }
      return null;
    },
    async resume(j: UnfinishedJournal, o: ExecuteOptions): Promise<ExecuteResult> {
      // The journal's own plan (stored encrypted next to it) is continued: no re-planning
      // against a half-restored tenant. Resuming is always a write, confirmed on the Confirm step.
      if (o.confirmTenantId === undefined) throw new VaultError('CONFIRM_MISMATCH', 'a resumed restore writes: type the target tenant id to continue it', 'nothing was written');
      if (s.targetTenantId && s.targetTenantId.toLowerCase() !== j.targetTenantId.toLowerCase()) {
        throw new VaultError('JOURNAL_MISMATCH', `the journal is for tenant ${j.targetTenantId}, not ${s.targetTenantId}`, 'connect to the tenant the restore started on');
      }
      const sidecar = await readJson<JournalInfo>(join(workDir, `${basename(dirname(j.journalPath))}.journal.wizard.json`));
      const inProcessSidecar = sidecar?.runner === 'script' ? undefined : await readJson<JournalInfo>(`${j.journalPath}.wizard.json`);
      // the restore began with an audit-logged rollback reason: its continuation carries it
      // (the wizard's resume path has no Archive step to type it again)
      const rollbackReason = (sidecar?.runner === 'script' ? sidecar : inProcessSidecar)?.rollbackReason;
      if (rollbackReason && j.archivePath) s.rollbacks.set(resolve(j.archivePath), rollbackReason);
      if (basename(j.journalPath) === 'restore.journal' && sidecar?.runner === 'script') {
        const why = noScriptReason();
        if (why !== null) throw new VaultError('USAGE', `this restore was started by a recovery script and resumes through it, but ${why}`, 'unlock with the identity file and connect to the same target');
        return runScripted({ scenario: j.scenario, total: j.total, startedAt: j.startedAt, outDir: dirname(j.journalPath) }, o, true);
      }
      return runAndReport({ scenario: j.scenario, total: j.total, startedAt: j.startedAt }, o, j.journalPath, true);
    },
    async verifyArchive(archivePath: string, o: { reporter: Reporter; signal: AbortSignal }): Promise<VerifyArchiveResult> {
      const vault = await vaultOf(archivePath);
      // The custody check (20) covers the whole vault: every archive, the audit chain, the
      // evidence packs. It re-hashes contents with the identity file; an archive opened by
      // passphrase only is re-hashed in-process afterwards (the CLI re-hashes by identity only).
      if (vault) {
        o.reporter.report({ kind: 'phase', phase: 'verify', message: `custody check of ${vault}` });
        await mkdir(workDir, { recursive: true, mode: 0o700 });
        const jsonOut = join(workDir, `custody-${stamp()}.json`);
        const run = await runProcedure({
          script: CUSTODY_SCRIPT,
          args: ['--vault', vault, ...(s.identityPath ? ['--identity', resolve(s.identityPath)] : []), '--json-out', jsonOut],
          env: scriptEnv(), vault, reporter: o.reporter, signal: o.signal,
          ...(opts.runScript ? { runner: opts.runScript } : {}),
        });
        const checked = await readJson<VaultCheck>(jsonOut);
        await rm(jsonOut, { force: true });
        const result = custodyResult(archivePath, checked, run);
        if (s.identityPath || !s.passphrase || result.signature !== 'valid') return result;
        const data = await verifyInProcess(archivePath);
        return { ...data, ok: result.ok && data.ok, bytes: result.bytes, problems: [...result.problems, ...data.problems] };
      }
      return verifyInProcess(archivePath);
    },
    async close(): Promise<void> {
      await s.emulator?.close();
      s.emulator = undefined;
      await rm(join(workDir, 'plan.journal'), { force: true });
    },
  };

  /** The archive check in-process (an archive outside a vault, or the passphrase-only data re-hash). */
  async function verifyInProcess(archivePath: string): Promise<VerifyArchiveResult> {
    try {
      const r = await verifyArchive(archivePath, {
        signerPublicKey: (await signerFor(archivePath, undefined)).key,
        ...(s.identityPath ? { identity: s.identityPath } : {}),
        ...(s.passphrase ? { passphrase: s.passphrase } : {}),
        readData: Boolean(s.identityPath || s.passphrase),
      });
      return { archivePath, ok: true, signature: 'valid', entries: r.entriesChecked, bytes: 0, problems: [] };
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      return { archivePath, ok: false, signature: e.code === 'SIGNATURE_MISSING' ? 'missing' : e.code === 'SIGNATURE_INVALID' ? 'invalid' : 'valid', entries: 0, bytes: 0, problems: [`${e.code}: ${e.message}`] };
    }
  }
}

/** What `vault verify --json` writes (src/vault verifyVault), as far as the wizard reads it. */
interface VaultCheck {
  ok: boolean;
  audit: { ok: boolean; lines: number; error?: string };
  archives: { file: string; tenantId: string; takenAt?: string; signature: 'valid' | 'invalid' | 'missing'; error?: string; bytes: number; report?: { entriesChecked: number; entriesTotal: number } }[];
}

/**
 * The wizard's result for one archive from the custody check's JSON and exit code: that
 * archive's signature and re-hash, plus every other problem the check found in the vault
 * (audit chain, other archives, the evidence step's failure), so "ok" means the vault passed.
 */
export function custodyResult(archivePath: string, checked: VaultCheck | undefined, run: { exitCode: number; stderr: string; script: string }): VerifyArchiveResult {
  const problems: string[] = [];
  const mine = checked?.archives.find((a) => resolve(a.file) === resolve(archivePath));
  if (!checked) problems.push(`${run.script} wrote no archive results`);
  else if (!mine) problems.push('the archive is not in the vault listing');
  if (mine?.error) problems.push(`signature ${mine.signature}: ${mine.error}`);
  else if (mine && mine.signature !== 'valid') problems.push(`signature ${mine.signature}`);
  if (checked && !checked.audit.ok) problems.push(`audit log: ${checked.audit.error ?? 'chain broken'}`);
  for (const a of checked?.archives ?? []) {
    if (a !== mine && (a.signature !== 'valid' || a.error)) problems.push(`other archive ${basename(a.file)}: signature ${a.signature}${a.error ? ` (${a.error})` : ''}`);
  }
  if (run.exitCode !== 0 && problems.length === 0) {
    const e = errorOfStderr(run.stderr);
    problems.push(e ? `${e.code}: ${e.message}` : `${run.script} exited with ${run.exitCode}`);
  }
  return {
    archivePath,
    ok: run.exitCode === 0 && problems.length === 0,
    signature: mine?.signature ?? 'invalid',
    entries: mine?.report?.entriesChecked ?? 0,
    bytes: mine?.bytes ?? 0,
    problems,
  };
}

const stamp = (): string => new Date().toISOString().replace(/[-:.]/g, '');

/** Operations a journal records as finished (done or skipped, latest state per op); a torn last line is ignored. */
export function doneOps(journalText: string): number {
  const latest = new Map<string, string>();
  for (const line of journalText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as { opId?: unknown; state?: unknown };
      if (typeof rec.opId === 'string' && typeof rec.state === 'string') latest.set(rec.opId, rec.state);
    } catch {
      // the last line of a killed run can be torn: the core re-checks that op on resume
    }
  }
  return [...latest.values()].filter((st) => st === 'done' || st === 'skipped').length;
}

/** Which object type a relation kind hangs off, so relation fidelity shows on that type's row. */
const RELATION_OWNER: Record<RelationKind, ResourceType> = {
  groupMembers: 'group',
  groupOwners: 'group',
  applicationOwners: 'application',
  servicePrincipalOwners: 'servicePrincipal',
  userManager: 'user',
  administrativeUnitMembers: 'administrativeUnit',
};

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
    const owner = RELATION_OWNER[r.kind];
    const row = rows.get(owner) ?? { type: owner, objects: { expected: 0, matched: 0 }, attributes: { expected: 0, matched: 0 }, relations: { expected: 0, matched: 0 } };
    row.relations = { expected: row.relations.expected + r.expected, matched: row.relations.matched + r.restored };
    rows.set(owner, row);
  }
  return [...rows.values()];
}
