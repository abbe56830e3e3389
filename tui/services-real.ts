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
import { runRestore } from '../src/scenarios/restore.js';
import type { RunRestoreResult } from '../src/scenarios/restore.js';
import { appendAudit, listVault, readVaultConfig } from '../src/vault/index.js';
import type {
  ArchiveInfo, ConnectTarget, ExecuteOptions, ExecuteResult, PlanRequest, PlanResult, Preflight,
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
}

/** Sidecar written next to each journal so the wizard can offer to resume it. */
interface JournalInfo extends Omit<UnfinishedJournal, 'done' | 'total'> {
  total: number;
  finished: boolean;
}

export function realWizardServices(opts: { workDir: string; vaultDir: string }): WizardServices & { close(): Promise<void> } {
  const s: Session = {};
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
    const opened = await openArchive(s.archivePath, {
      ...(s.identityPath ? { identity: s.identityPath } : {}),
      ...(s.passphrase ? { passphrase: s.passphrase } : {}),
      signerPublicKey: await signerKey(s.archivePath),
    });
    try {
      s.archive = { data: await opened.loadTenantData(), meta: { tenantId: opened.manifest.tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 } };
      return s.archive;
    } finally {
      await opened.close();
    }
  };

  const recipient = async (): Promise<string> => {
    if (!s.identityPath) throw new VaultError('USAGE', 'a restore that writes needs the identity file (temporary passwords are encrypted to it)');
    const ids = await loadIdentity(s.identityPath, s.passphrase);
    return identityToRecipient(ids[0] ?? '');
  };

  const runAndReport = async (plan: Plan, o: ExecuteOptions, journalPath: string, resume: boolean): Promise<ExecuteResult> => {
    const archive = await loadArchive();
    if (!s.graph || !s.targetTenantId) throw new VaultError('USAGE', 'connect to a target first');
    const dryRun = o.confirmTenantId === undefined;
    const r: RunRestoreResult = await runRestore({
      archive: archive.data, archiveMeta: archive.meta, graph: s.graph, targetTenantId: s.targetTenantId,
      scenario: plan.scenario, dryRun, ...(dryRun ? {} : { confirmTenantId: s.targetTenantId }),
      journalPath, ...(resume ? { resume: true, ...(s.identityPath ? { resumeIdentity: s.identityPath } : {}) } : {}),
      ...(dryRun ? {} : { credentialsRecipient: await recipient() }),
      reporter: o.reporter, clock: systemClock, signal: o.signal, enableConditionalAccess: true,
    });
    const paused = Boolean(r.execution?.paused);
    const info: JournalInfo = {
      journalPath, archivePath: s.archivePath ?? '', scenario: plan.scenario, target: s.target ?? { emulator: true },
      targetTenantId: s.targetTenantId, startedAt: new Date().toISOString(), total: plan.operations.length, finished: !paused,
    };
    if (!dryRun) await writeFile(`${journalPath}.wizard.json`, `${JSON.stringify(info, null, 2)}\n`);
    const reportPath = `${journalPath}.report.json`;
    await writeFile(reportPath, `${JSON.stringify({ plan: { operations: r.plan.operations.length }, execution: r.execution, fidelity: r.fidelity }, null, 2)}\n`);
    const runbookPath = `${journalPath}.plan.txt`;
    const { renderPlanText } = await import('../src/restore/render.js');
    await writeFile(runbookPath, renderPlanText(r.plan, { width: 100 }));
    if (!dryRun) {
      const vault = s.archivePath ? dirname(dirname(s.archivePath)) : undefined;
      if (vault) await appendAudit(vault, { action: 'restore', via: 'wizard', scenario: plan.scenario, targetTenantId: s.targetTenantId, paused, failures: r.execution?.failures.length ?? 0 });
    }
    const tiers = r.execution?.tiers ?? [];
    return {
      status: dryRun ? 'dryRun' : paused ? 'paused' : 'completed',
      perTier: tiers.map((t) => ({ tier: t.tier, operations: t.total, elapsedMs: t.ms })),
      fidelity: (r.fidelity?.types ?? []).map((t) => ({
        type: t.type,
        objects: { expected: t.objectsExpected, matched: t.objectsRestored },
        attributes: { expected: t.attributesExpected, matched: t.attributesMatching },
        relations: { expected: 0, matched: 0 },
      })),
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
      const graph = await createGraphClient(profile, {
        clock: systemClock, signal: hooks.signal,
        deviceCodePrompt: (p) => hooks.onDeviceCode({ userCode: p.userCode, verificationUri: p.verificationUri }),
      });
      s.graph = graph;
      s.target = target;
      s.targetTenantId = profile.tenantId;
      return preflight(graph, profile.tenantId, profile.clientId, profile.name ?? label);
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
      const journal = join(workDir, `restore-${new Date().toISOString().replace(/[:.]/g, '')}.journal`);
      return runAndReport(plan, o, journal, false);
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
        const lines = (await readFile(info.journalPath, 'utf8').catch(() => '')).split('\n');
        const done = lines.filter((l) => l.includes('"state":"done"')).length;
        return { journalPath: info.journalPath, archivePath: info.archivePath, scenario: info.scenario, target: info.target, targetTenantId: info.targetTenantId, startedAt: info.startedAt, done, total: info.total };
      }
      return null;
    },
    async resume(j: UnfinishedJournal, o: ExecuteOptions): Promise<ExecuteResult> {
      const archive = await loadArchive();
      if (!s.graph || !s.targetTenantId) throw new VaultError('USAGE', 'connect to the target first');
      const r = await runRestore({
        archive: archive.data, archiveMeta: archive.meta, graph: s.graph, targetTenantId: s.targetTenantId, scenario: j.scenario,
        dryRun: true, journalPath: join(workDir, 'plan.journal'), reporter: o.reporter, clock: systemClock,
      });
      return runAndReport(r.plan, o, j.journalPath, true);
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
