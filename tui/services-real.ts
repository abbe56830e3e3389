/**
 * The real WizardServices: each method is a thin call into src/, the same functions the
 * non-interactive commands use, so nothing is possible only in the wizard.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { openArchive, verifyArchive } from '../src/archive/index.js';
import { GLOBAL_ADMIN_TEMPLATE_ID, MICROSOFT_GRAPH_APP_ID, RESTORE_WRITER_PERMISSIONS } from '../src/catalog/permissions.js';
import { systemClock } from '../src/clock.js';
import { loadIdentity, openAgeDecryption } from '../src/crypto/index.js';
import { startEmulator } from '../src/emulator/index.js';
import type { EmulatorHandle } from '../src/emulator/index.js';
import { emptyTenant } from '../src/emulator/seed.js';
import { VaultError } from '../src/errors.js';
import { createGraphClient } from '../src/graph/index.js';
import type { GraphClient } from '../src/graph/types.js';
import type { TenantData } from '../src/model.js';
import { loadProfile } from '../src/profile.js';
import type { Reporter } from '../src/progress.js';
import { diffTenant } from '../src/restore/diff.js';
import type { Plan } from '../src/restore/types.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { RelationKind, ResourceType } from '../src/catalog/types.js';
import { runRestore } from '../src/scenarios/restore.js';
import type { RunRestoreResult } from '../src/scenarios/restore.js';
import { appendAudit, listVault, readVaultConfig } from '../src/vault/index.js';
import type {
  ArchiveInfo, ConnectTarget, ExecuteOptions, ExecuteResult, FidelityRow, PlanRequest, PlanResult, Preflight,
  UnfinishedJournal, UnlockRequest, VerifyArchiveResult, WizardServices,
} from './services.js';

interface Session {
  archivePath?: string;
  identityPath?: string;
  passphrase?: string;
  archive?: { data: TenantData; meta: Plan['archive'] };
  graph?: GraphClient;
  target?: ConnectTarget;
  targetTenantId?: string;
  emulator?: EmulatorHandle;
  /** Archives whose bad signature the operator accepted (with the reason, already audit-logged). */
  overrides: Map<string, string>;
}

/** Sidecar written next to each journal so the wizard can offer to resume it. */
interface JournalInfo extends Omit<UnfinishedJournal, 'done' | 'total'> {
  total: number;
  finished: boolean;
}

export function realWizardServices(opts: { workDir: string; vaultDir: string }): WizardServices & { close(): Promise<void> } {
  const s: Session = { overrides: new Map() };
  const workDir = resolve(opts.workDir);

  const signerKey = async (archivePath: string) => {
    const cfg = await readVaultConfig(dirname(dirname(archivePath)));
    const key = cfg.trustedSigningKeys[0];
    if (!key) throw new VaultError('VAULT_INVALID', 'the vault trusts no signing key');
    return key;
  };

  const loadArchive = async () => {
    if (s.archive) return s.archive;
    if (!s.archivePath || (!s.identityPath && !s.passphrase)) throw new VaultError('USAGE', 'unlock an archive first');
    const reason = s.overrides.get(s.archivePath);
    const opened = await openArchive(s.archivePath, {
      ...(s.identityPath ? { identity: s.identityPath } : {}),
      ...(s.passphrase ? { passphrase: s.passphrase } : {}),
      signerPublicKey: await signerKey(s.archivePath),
      // the override was written to the audit log when the operator typed the reason
      ...(reason ? { allowBadSignature: { reason } } : {}),
    });
    try {
      s.archive = { data: await opened.loadTenantData(), meta: { tenantId: opened.manifest.tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 } };
      return s.archive;
    } finally {
      await opened.close();
    }
  };

  const identityText = async (): Promise<string> => {
    if (!s.identityPath) throw new VaultError('USAGE', 'resuming a restore needs the identity file (the stored plan is encrypted to it)');
    const ids = await loadIdentity(s.identityPath, s.passphrase);
    if (!ids[0]) throw new VaultError('KEY_INVALID', 'the identity file holds no identity');
    return ids[0];
  };

  const recipient = async (): Promise<string> => {
    if (!s.identityPath) throw new VaultError('USAGE', 'a restore that writes needs the identity file (temporary passwords are encrypted to it)');
    const ids = await loadIdentity(s.identityPath, s.passphrase);
    return identityToRecipient(ids[0] ?? '');
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
    };
    const sidecar = `${journalPath}.wizard.json`;
    if (!dryRun) await writeFile(sidecar, `${JSON.stringify(info, null, 2)}\n`);
    const r: RunRestoreResult = await runRestore({
      archive: archive.data, archiveMeta: archive.meta, graph: s.graph, targetTenantId: s.targetTenantId,
      // the wizard matched the typed id or initial domain; the core checks the tenant id again
      scenario: job.scenario, dryRun, ...(dryRun ? {} : { confirmTenantId: s.targetTenantId }),
      // resumeIdentity is the identity itself (age's addIdentity), not the file it lives in
      journalPath, ...(resume ? { resume: true, ...(s.identityPath ? { resumeIdentity: await identityText() } : {}) } : {}),
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
    if (!dryRun) {
      const vault = s.archivePath ? dirname(dirname(s.archivePath)) : undefined;
      if (vault) await appendAudit(vault, { action: resume ? 'restore.resume' : 'restore', via: 'wizard', scenario: job.scenario, targetTenantId: s.targetTenantId, paused, failures: r.execution?.failures.length ?? 0 });
    }
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

  return {
    async listArchives(vaultDir: string): Promise<ArchiveInfo[]> {
      const rows = await listVault(vaultDir);
      return rows.map((r) => ({
        path: r.file, tenantId: r.tenantId, takenAt: r.takenAt ?? '', counts: {}, bytes: r.bytes, signature: r.signature,
        ...(r.signature !== 'valid' ? { signatureProblem: r.error ?? 'signature does not verify' } : {}),
      }));
    },
    async overrideSignature(archivePath: string, reason: string): Promise<void> {
      await appendAudit(dirname(dirname(archivePath)), { action: 'signature.override', file: basename(archivePath), reason, via: 'wizard' });
      s.overrides.set(archivePath, reason);
    },
    async unlock(req: UnlockRequest): Promise<void> {
      // the header alone proves the key: no payload byte is read (RELIABILITY 3)
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
      const wantsDiff = req.scenario === 'objects' || req.scenario === 'attributes';
      return { plan: r.plan, ...(wantsDiff ? { diff: diffTenant(archive.data, r.liveBefore) } : {}) };
    },
    async execute(plan: Plan, o: ExecuteOptions): Promise<ExecuteResult> {
      await mkdir(workDir, { recursive: true, mode: 0o700 });
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
      return runAndReport({ scenario: j.scenario, total: j.total, startedAt: j.startedAt }, o, j.journalPath, true);
    },
    async verifyArchive(archivePath: string, o: { reporter: Reporter; signal: AbortSignal }): Promise<VerifyArchiveResult> {
      o.reporter.report({ kind: 'phase', phase: 'verify', message: `verifying ${basename(archivePath)}` });
      try {
        const r = await verifyArchive(archivePath, {
          signerPublicKey: await signerKey(archivePath),
          ...(s.identityPath ? { identity: s.identityPath } : {}),
          ...(s.passphrase ? { passphrase: s.passphrase } : {}),
          readData: Boolean(s.identityPath || s.passphrase),
        });
        return { archivePath, ok: true, signature: 'valid', entries: r.entriesChecked, bytes: 0, problems: [] };
      } catch (e) {
        if (!(e instanceof VaultError)) throw e;
        return { archivePath, ok: false, signature: e.code === 'SIGNATURE_MISSING' ? 'missing' : e.code === 'SIGNATURE_INVALID' ? 'invalid' : 'valid', entries: 0, bytes: 0, problems: [`${e.code}: ${e.message}`] };
      }
    },
    async close(): Promise<void> {
      await s.emulator?.close();
      s.emulator = undefined;
      await rm(join(workDir, 'plan.journal'), { force: true });
    },
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

/** Held vs needed permissions and the state of the target, read through Graph like any client would. */
async function preflight(graph: GraphClient, tenantId: string, clientId: string, label: string): Promise<Preflight> {
  const org = await graph.get<{ value?: { verifiedDomains?: { name?: string; isInitial?: boolean }[] }[] }>('/organization?$select=id,verifiedDomains');
  const initialDomain = org.value?.[0]?.verifiedDomains?.find((d) => d.isInitial)?.name ?? '';
  const graphSp = await graph.get<{ appRoles?: { id: string; value: string }[] }>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appRoles`);
  const roleNames = new Map((graphSp.appRoles ?? []).map((r) => [r.id, r.value]));
  const held: string[] = [];
  try {
    for await (const a of graph.list<{ appRoleId: string }>(`/servicePrincipals(appId='${clientId}')/appRoleAssignments`)) {
      const n = roleNames.get(a.appRoleId);
      if (n) held.push(n);
    }
  } catch {
    // an app that may not read its own assignments: held stays empty and missing shows all
  }
  const needed = [...new Set<string>(RESTORE_WRITER_PERMISSIONS)];
  const heldSet = new Set(held);
  const implied = (p: string) => heldSet.has(p) || heldSet.has(p.replace('.Read.', '.ReadWrite.'));
  const missing = needed.filter((p) => !implied(p));
  let users = 0;
  for await (const _ of graph.list('/users?$select=id&$top=999')) {
    users += 1;
    if (users > 5) break;
  }
  let admins = 0;
  for await (const a of graph.list<{ principalId: string; roleDefinitionId: string }>('/roleManagement/directory/roleAssignments')) {
    if (a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID) admins += 1;
  }
  const state: Preflight['state'] = users <= 1 ? 'empty' : admins === 0 ? 'noAdmins' : 'adminsPresent';
  return { tenantId, initialDomain, label, permissionsHeld: held.sort(), permissionsNeeded: needed, missing, state };
}
