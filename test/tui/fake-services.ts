/**
 * A fake WizardServices: deterministic archives, keys, targets, plans and runs, with
 * every call recorded so tests can assert what the wizard asked the core to do.
 * Knobs: `journal` (an unfinished restore to offer), `holdExecute` (the run waits for
 * release() or its signal after the first tier, for pause and progress frames).
 */
import { VaultError } from '../../src/errors.js';
import type { Operation, Plan, RestoreSelection, ScenarioName } from '../../src/restore/types.js';
import type { Reporter } from '../../src/progress.js';
import { compareArchives } from '../../src/restore/archive-diff.js';
import { archiveDiffReport } from '../../src/restore/render-archive-diff.js';
import type { TenantData } from '../../src/model.js';
import { sampleArchive } from '../restore/planner-fixtures.js';
import type {
  ArchiveDiffReport,
  ChangesRequest,
  ArchiveInfo,
  ConnectTarget,
  DeviceCodePrompt,
  ExecuteOptions,
  ExecuteResult,
  GlobalAdminsAfter,
  PlanRequest,
  PlanResult,
  Preflight,
  UnfinishedJournal,
  UnlockRequest,
  VerifyArchiveResult,
  WizardServices,
} from '../../tui/services.js';


export const TENANT = '8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b';
/** A second tenant of the same vault (its one archive is the newest listed, with a bad signature). */
export const OTHER_TENANT = 'c9f0f895-fb98-4b91-99f5-1ac4ff3ad0de';
export const DOMAIN = 'contoso-dr.onmicrosoft.com';
export const IDENTITY = '/keys/identity.txt';
/** The fake's passphrase: tests assert it never appears on screen. */
export const PASSPHRASE = 'correct-horse-battery';

/**
 * The default list: the newest listed archive belongs to another tenant (so the valid
 * 03-01 archive is the newest of TENANT and needs no reason), and the unsigned 02-28
 * archive of TENANT is both unsigned and older (one reason covers both).
 */
export const ARCHIVES: ArchiveInfo[] = [
  {
    path: `vault/${OTHER_TENANT}/2025-03-02T03-00-00Z.evault`,
    tenantId: OTHER_TENANT,
    takenAt: '2025-03-02T03:00:00Z',
    counts: { user: 1200, group: 310, application: 42, servicePrincipal: 88, conditionalAccessPolicy: 14 },
    bytes: 5_345_000,
    signature: 'invalid',
    signatureProblem: 'manifest.sig does not verify with signing.pub',
  },
  {
    path: `vault/${TENANT}/2025-03-01T03-00-00Z.evault`,
    tenantId: TENANT,
    takenAt: '2025-03-01T03:00:00Z',
    counts: { user: 1198, group: 309, application: 42, servicePrincipal: 88, conditionalAccessPolicy: 14 },
    bytes: 5_321_000,
    signature: 'valid',
  },
  {
    path: `vault/${TENANT}/2025-02-28T03-00-00Z.evault`,
    tenantId: TENANT,
    takenAt: '2025-02-28T03:00:00Z',
    counts: { user: 1190, group: 305, application: 41, servicePrincipal: 86, conditionalAccessPolicy: 13 },
    bytes: 5_300_000,
    signature: 'missing',
  },
];

export const NEEDED = [
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Directory.ReadWrite.All',
  'Group.ReadWrite.All',
  'Policy.ReadWrite.ConditionalAccess',
  'RoleManagement.ReadWrite.Directory',
  'User.ReadWrite.All',
];

function preflight(label: string, missing: string[], state: Preflight['state']): Preflight {
  return {
    tenantId: TENANT,
    initialDomain: DOMAIN,
    label,
    permissionsNeeded: NEEDED,
    permissionsHeld: NEEDED.filter((p) => !missing.includes(p)),
    missing,
    state,
  };
}

const op = (o: Operation): Operation => o;

function buildOperations(scenario: ScenarioName, selection?: RestoreSelection): Operation[] {
  const ops: Operation[] = [];
  if (scenario === 'tenant-loss' || scenario === 'all-admins-deleted') {
    ops.push(op({ opId: 'op-0', tier: 0, dependsOn: [], label: 'create emergency-access admin bg-admin@' + DOMAIN, kind: 'createBreakGlassAdmin', userPrincipalName: 'bg-admin@' + DOMAIN, displayName: 'Emergency access' }));
  }
  if (scenario === 'tenant-loss') {
    ops.push(op({ opId: 'op-1', tier: 1, dependsOn: [], label: 'update authorizationPolicy', kind: 'update', type: 'authorizationPolicy', archivedId: 'authz', changes: [], body: {}, refs: [] }));
    for (let i = 0; i < 9; i++) {
      ops.push(op({ opId: `op-u${i}`, tier: 2, dependsOn: [], label: `create user user${i}@contoso.com`, kind: 'create', type: 'user', archivedId: `u${i}`, body: {}, refs: [], needsPassword: true }));
    }
    ops.push(op({ opId: 'op-g1', tier: 2, dependsOn: [], label: 'create group Finance', kind: 'create', type: 'group', archivedId: 'g1', body: {}, refs: [] }));
    ops.push(op({ opId: 'op-m1', tier: 3, dependsOn: ['op-g1', 'op-u0'], label: 'add user0 to Finance', kind: 'addRelation', relation: 'groupMembers', from: 'g1', to: 'u0', toType: 'user' }));
    ops.push(op({ opId: 'op-ca1', tier: 4, dependsOn: ['op-g1'], label: 'create CA policy Require MFA (report-only)', kind: 'create', type: 'conditionalAccessPolicy', archivedId: 'ca1', body: {}, refs: [] }));
  }
  if (scenario === 'all-admins-deleted') {
    ops.push(op({ opId: 'op-r1', tier: 2, dependsOn: [], label: 'restore deleted user admin@contoso.com', kind: 'restoreDeleted', type: 'user', archivedId: 'a1', deletedId: 'a1' }));
    ops.push(op({ opId: 'op-ra1', tier: 3, dependsOn: ['op-r1'], label: 'assign Global Administrator to admin@', kind: 'addRelation', relation: 'groupMembers', from: 'x', to: 'a1', toType: 'user' }));
  }
  if (scenario === 'objects') {
    const all = ['u7', 'g2', 'app1'];
    const chosen = selection?.objectIds ?? all;
    if (chosen.includes('u7')) ops.push(op({ opId: 'op-u7', tier: 2, dependsOn: [], label: 'restore deleted user user7@contoso.com', kind: 'restoreDeleted', type: 'user', archivedId: 'u7', deletedId: 'u7' }));
    if (chosen.includes('g2')) ops.push(op({ opId: 'op-g2', tier: 2, dependsOn: [], label: 'create group Sales EMEA', kind: 'create', type: 'group', archivedId: 'g2', body: {}, refs: [] }));
    if (chosen.includes('app1')) ops.push(op({ opId: 'op-app1', tier: 2, dependsOn: [], label: 'create application Payroll', kind: 'create', type: 'application', archivedId: 'app1', body: {}, refs: [] }));
  }
  if (scenario === 'attributes') {
    const chosen = selection?.objectIds ?? ['u3', 'g5'];
    const attrs = selection?.attributes ?? ['department', 'displayName', 'jobTitle'];
    for (const id of chosen) {
      ops.push(op({ opId: `op-${id}`, tier: 2, dependsOn: [], label: `update ${id}: ${attrs.join(', ')}`, kind: 'update', type: id.startsWith('u') ? 'user' : 'group', archivedId: id, changes: [], body: {}, refs: [] }));
    }
  }
  ops.push(op({ opId: 'op-verify', tier: 5, dependsOn: ops.map((o) => o.opId), label: 'diff again and compute fidelity', kind: 'verify' }));
  return ops;
}

export function fakePlan(scenario: ScenarioName, selection?: RestoreSelection): Plan {
  const full = scenario === 'tenant-loss';
  return {
    formatVersion: 1,
    scenario,
    archive: { tenantId: TENANT, takenAt: '2025-03-01T03:00:00Z', manifestSha256: 'ab'.repeat(32) },
    target: { tenantId: TENANT, initialDomain: DOMAIN },
    operations: buildOperations(scenario, selection),
    idMap: {},
    appIdMap: {},
    domainMap: {},
    unresolved: full
      ? [{ opId: 'op-ca1', type: 'conditionalAccessPolicy', archivedId: 'ca1', path: 'conditions.locations.includeLocations', value: 'loc-9', effect: 'keptReportOnly' }]
      : [],
    manualSteps: full
      ? [
          { id: 'm1', kind: 'password', title: 'Hand out 9 temporary passwords', instructions: 'Open the encrypted credentials file with your identity and deliver each password.', objects: ['u0'] },
          { id: 'm2', kind: 'domainVerification', title: 'Verify contoso.com in DNS', instructions: 'Add the TXT record shown by Entra, then verify the domain.', objects: [] },
        ]
      : [],
    reportOnly: full ? [{ archivedId: 'ca1', displayName: 'Require MFA', reason: 'named location loc-9 is not in the archive' }] : [],
    warnings: full ? ['licences are not restored: assign them after the restore'] : [],
  };
}

function fakeDiff(scenario: ScenarioName): PlanResult['diff'] {
  if (scenario === 'objects') {
    return {
      objects: [
        { type: 'user', status: 'softDeleted', archivedId: 'u7', liveId: 'u7', displayName: 'User Seven' },
        { type: 'group', status: 'missing', archivedId: 'g2', displayName: 'Sales EMEA' },
        { type: 'application', status: 'missing', archivedId: 'app1', displayName: 'Payroll' },
        { type: 'user', status: 'equal', archivedId: 'u1', liveId: 'u1', displayName: 'User One' },
        { type: 'group', status: 'extra', liveId: 'g99', displayName: 'Made after the backup' },
      ],
      relations: [],
      counts: { equal: 1, changed: 0, softDeleted: 1, missing: 2, extra: 1 },
    };
  }
  if (scenario === 'attributes') {
    return {
      objects: [
        {
          type: 'user',
          status: 'changed',
          archivedId: 'u3',
          liveId: 'u3',
          displayName: 'User Three',
          changes: [
            { property: 'department', archived: 'Finance', live: 'Sales' },
            { property: 'jobTitle', archived: 'Controller', live: null },
          ],
        },
        { type: 'group', status: 'changed', archivedId: 'g5', liveId: 'g5', displayName: 'Auditors', changes: [{ property: 'displayName', archived: 'Auditors', live: 'Audit' }] },
      ],
      relations: [],
      counts: { equal: 40, changed: 2, softDeleted: 0, missing: 0, extra: 0 },
    };
  }
  return undefined;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}
function deferred(): Deferred {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * A vault with two validly signed archives of TENANT: restoring the older (03-01) one is
 * a rollback after the 03-02 backup that already holds the attacker's changes.
 */
export const ROLLBACK_ARCHIVES: ArchiveInfo[] = [
  {
    path: `vault/${TENANT}/2025-03-02T03-00-00Z.evault`,
    tenantId: TENANT,
    takenAt: '2025-03-02T03:00:00Z',
    counts: { user: 1200, group: 310, application: 42, servicePrincipal: 88, conditionalAccessPolicy: 14 },
    bytes: 5_345_000,
    signature: 'valid',
  },
  { ...ARCHIVES[1]! },
];

export interface FakeOptions {
  journal?: UnfinishedJournal | null;
  holdExecute?: boolean;
  archives?: ArchiveInfo[];
  /** The run ends with these failed operations (and `skipped` dependants), as a throttled or killed target leaves it. */
  failures?: { label: string; reason: string }[];
  skipped?: number;
  /** The run restores everything: full fidelity, no deviation. */
  perfect?: boolean;
  /** What the vault check finds outside the verified archive (other archives, the audit log). */
  verifyElsewhere?: string[];
  /** Who holds Global Administrator after a run that writes (as services-real reads it from the executed plan). */
  globalAdmins?: GlobalAdminsAfter;
  /** Offer "what changed since this archive?" (changesSince answers attackReport). */
  changes?: boolean;
  /** changesSince waits for release() (a wait frame with its progress). */
  holdChanges?: boolean;
}

/**
 * The forensics report the fake's changesSince answers: the done-when's scripted attack (a new
 * Global Administrator, a disabled CA policy, a new app secret) plus a renamed group, computed
 * by the real comparison (src/restore/archive-diff.ts) from the planner fixtures.
 */
export function attackReport(req: ChangesRequest): ArchiveDiffReport {
  const a = sampleArchive();
  a.objects.roleDefinition = [{ id: '62e90394-69f5-4237-9190-012177145e10', templateId: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', isBuiltIn: true }];
  const b = JSON.parse(JSON.stringify(a)) as TenantData;
  b.objects.user!.push({ id: 'u-mallory', userPrincipalName: 'mallory@contoso.com', displayName: 'Mallory Backdoor' });
  b.objects.roleAssignment!.push({ id: 'ra-new', principalId: 'u-mallory', roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/' });
  b.objects.conditionalAccessPolicy![0]!['state'] = 'disabled';
  (b.objects.application![0]!['passwordCredentials'] as object[]).push({ keyId: 'k-evil', displayName: 'backdoor', hint: 'Xx~' });
  b.objects.group![0]!['displayName'] = 'Sales (renamed)';
  const [pathA, pathB] = req.kind === 'live' ? [req.archivePath, 'live tenant'] : [req.olderPath, req.newerPath];
  const side = (file: string, takenAt: string, sha: string) => ({ tenantId: TENANT, takenAt, manifestSha256: sha, file });
  const takenAt = (path: string, otherwise: string) => ARCHIVES.find((x) => x.path === path)?.takenAt ?? otherwise;
  return archiveDiffReport(side(pathA, takenAt(pathA, '2025-03-01T03:00:00Z'), 'ab'.repeat(32)), side(pathB, takenAt(pathB, '2025-03-02T09:00:00Z'), req.kind === 'live' ? '' : 'cd'.repeat(32)), compareArchives(a, b));
}

export class FakeServices implements WizardServices {
  /** Set with the `changes` knob: the forensics diff (tui/services.ts), recorded in `calls`; held while `holdChanges`. */
  changesSince?: WizardServices['changesSince'];
  readonly calls: string[] = [];
  /** What overrideSignature wrote (the real one appends to the audit log). */
  readonly audit: { path: string; reason: string }[] = [];
  /** What overrideRollback wrote (the real one appends rollback.override to the audit log). */
  readonly rollbackAudit: { path: string; reason: string }[] = [];
  /** Rollback reasons accepted this session, by archive path (what a restore of it would pass on). */
  readonly rollbacks = new Map<string, string>();
  /** Options of the last execute/resume call (allowRollback: the reason the unlocked archive's restore passes on). */
  lastExecute: { plan: Plan | null; confirmTenantId: string | undefined; allowRollback?: string } | null = null;
  private readonly gate = deferred();
  private readonly deviceGate = deferred();
  private unlockedPath: string | null = null;

  constructor(private readonly options: FakeOptions = {}) {
    if (options.changes) {
      this.changesSince = async (req, hooks) => {
        this.calls.push(req.kind === 'live' ? `changesSince live ${req.archivePath}${req.identityPath ? ` key ${req.identityPath}` : ''}` : `changesSince ${req.olderPath} → ${req.newerPath}${req.identityPath ? ` key ${req.identityPath}` : ''}`);
        if (req.identityPath && req.identityPath !== IDENTITY) throw new VaultError('KEY_INVALID', `no usable age identity in ${req.identityPath}`, 'pass the identity file made by keys init');
        hooks?.reporter?.report({ kind: 'phase', phase: 'live', message: 'reading the target tenant' });
        if (options.holdChanges) await this.gate.promise;
        return attackReport(req);
      };
    }
  }

  /** Lets a held run continue. */
  release(): void {
    this.gate.resolve();
  }

  /** Completes a waiting device-code sign-in. */
  completeSignIn(): void {
    this.deviceGate.resolve();
  }

  async listArchives(vaultDir: string): Promise<ArchiveInfo[]> {
    this.calls.push(`listArchives ${vaultDir}`);
    return this.options.archives ?? ARCHIVES;
  }

  async overrideSignature(archivePath: string, reason: string): Promise<void> {
    this.calls.push(`overrideSignature ${archivePath}`);
    this.audit.push({ path: archivePath, reason });
  }

  async overrideRollback(archivePath: string, reason: string): Promise<void> {
    this.calls.push(`overrideRollback ${archivePath}`);
    this.rollbackAudit.push({ path: archivePath, reason });
    this.rollbacks.set(archivePath, reason);
  }

  async unlock(request: UnlockRequest): Promise<void> {
    this.calls.push(`unlock ${'identityPath' in request ? 'identity' : 'passphrase'}`);
    if ('identityPath' in request) {
      if (request.identityPath !== IDENTITY) throw new VaultError('KEY_INVALID', `no usable age identity in ${request.identityPath}`, 'pass the identity file made by keys init');
    } else if (request.passphrase !== PASSPHRASE) {
      throw new VaultError('PASSPHRASE_WRONG', 'the passphrase does not decrypt this archive', 'check the passphrase and try again');
    }
    this.unlockedPath = request.archivePath;
  }

  async connect(target: ConnectTarget, hooks: { onDeviceCode: (prompt: DeviceCodePrompt) => void; signal: AbortSignal }): Promise<Preflight> {
    if ('emulator' in target) {
      this.calls.push('connect emulator');
      return preflight('built-in emulator (lab tenant)', [], 'empty');
    }
    this.calls.push(`connect ${target.profilePath}`);
    switch (target.profilePath) {
      case 'target.json':
        return preflight('contoso DR target', [], 'noAdmins');
      case 'readonly.json':
        return preflight('contoso read-only app', ['Policy.ReadWrite.ConditionalAccess', 'RoleManagement.ReadWrite.Directory'], 'adminsPresent');
      case 'hang.json':
        // a target that accepts the connection and never answers (issue 12 item 6)
        await new Promise(() => undefined);
        throw new Error('unreachable');
      case 'device.json':
        hooks.onDeviceCode({ userCode: 'F7KQ-2MWP', verificationUri: 'https://microsoft.com/devicelogin' });
        await this.deviceGate.promise;
        return preflight('contoso (device code)', [], 'adminsPresent');
      default:
        throw new VaultError('FILE_NOT_FOUND', `connection profile not found: ${target.profilePath}`, 'pass an existing file with --source/--target');
    }
  }

  async plan(request: PlanRequest): Promise<PlanResult> {
    this.calls.push(`plan ${request.scenario}${request.selection ? ` ${JSON.stringify(request.selection)}` : ''}`);
    if (!this.unlockedPath) throw new VaultError('DECRYPT_FAILED', 'the archive is not unlocked');
    const diff = fakeDiff(request.scenario);
    return { plan: fakePlan(request.scenario, request.selection), archiveDomain: DOMAIN, ...(diff ? { diff } : {}) };
  }

  private async run(plan: Plan | null, options: ExecuteOptions): Promise<ExecuteResult> {
    const r: Reporter = options.reporter;
    const live = options.confirmTenantId !== undefined;
    // the whole run as the executor counts it (src/restore/execute/run.ts): 1,215 operations
    const counts = (done: number) => ({ done, total: 1215, failed: live ? (this.options.failures?.length ?? 0) : 0, skipped: live ? (this.options.skipped ?? 0) : 0 });
    r.report({ kind: 'phase', phase: 'tier 0 bootstrap', message: 'start' });
    r.report({ kind: 'progress', phase: 'tier 0 bootstrap', item: 'admin', done: 1, total: 1, ratePerSec: 2, run: counts(1) });
    r.report({ kind: 'done', phase: 'tier 0 bootstrap', message: 'done', elapsedMs: 500 });
    r.report({ kind: 'phase', phase: 'tier 2 objects', message: 'start' });
    for (const f of live ? (this.options.failures ?? []) : []) r.report({ kind: 'progress', phase: 'tier 2 objects', item: f.label, done: 2, total: 1200, outcome: 'failed', reason: f.reason, run: counts(2) });
    r.report({ kind: 'progress', phase: 'tier 2 objects', item: 'user', done: 600, total: 1200, ratePerSec: 40, run: counts(601) });
    r.report({ kind: 'throttled', waitMs: 4000, status: 429, path: '/users', attempt: 1 });
    r.report({ kind: 'retry', reason: '503 Service Unavailable', path: '/groups', attempt: 2, waitMs: 800 });
    r.report({ kind: 'log', level: 'info', message: 'created 600 of 1,200 users' });
    r.report({ kind: 'log', level: 'debug', message: 'debug lines are not shown' });
    await tick();
    if (this.options.holdExecute) {
      await Promise.race([
        this.gate.promise,
        // the signal may already be aborted (Ctrl-C during the tick above): an abort event
        // that fired before the listener is never heard again
        new Promise<void>((resolve) => {
          if (options.signal.aborted) resolve();
          else options.signal.addEventListener('abort', () => resolve(), { once: true });
        }),
      ]);
    }
    const base = {
      perTier: [
        { tier: 0 as const, operations: 1, elapsedMs: 500 },
        { tier: 2 as const, operations: 1200, elapsedMs: 30_000 },
        { tier: 5 as const, operations: 1, elapsedMs: 2_000 },
      ],
      reportPath: 'out/restore-report.md',
      runbookPath: 'out/runbook.md',
      failed: live ? (this.options.failures?.length ?? 0) : 0,
      skipped: live ? (this.options.skipped ?? 0) : 0,
      failures: live ? (this.options.failures ?? []) : [],
      ...(live && this.options.globalAdmins ? { globalAdmins: this.options.globalAdmins } : {}),
    };
    if (options.signal.aborted) {
      // The operation in flight finishes before the core stops at the boundary.
      await new Promise((resolve) => setTimeout(resolve, 50));
      r.report({ kind: 'log', level: 'info', message: 'paused at operation boundary 601' });
      return { ...base, status: 'paused', failed: 0, skipped: 0, failures: [], fidelity: [], deviations: [], manualSteps: [], journalPath: 'out/restore.journal' };
    }
    r.report({ kind: 'progress', phase: 'tier 2 objects', item: 'user', done: 1200, total: 1200, ratePerSec: 40, run: counts(1201) });
    r.report({ kind: 'done', phase: 'tier 2 objects', message: 'done', elapsedMs: 30_000 });
    if (this.options.perfect) {
      return {
        ...base, status: live ? 'completed' : 'dryRun', deviations: [], manualSteps: [],
        fidelity: [{ type: 'user', objects: { expected: 1198, matched: 1198 }, attributes: { expected: 23_960, matched: 23_960 }, relations: { expected: 1198, matched: 1198 } }],
        ...(live ? { credentialsPath: 'out/credentials.age' } : {}),
      };
    }
    return {
      ...base,
      status: live ? 'completed' : 'dryRun',
      fidelity: [
        { type: 'user', objects: { expected: 1198, matched: 1198 }, attributes: { expected: 23_960, matched: 23_958 }, relations: { expected: 1198, matched: 1198 } },
        { type: 'group', objects: { expected: 309, matched: 309 }, attributes: { expected: 3090, matched: 3090 }, relations: { expected: 2400, matched: 2400 } },
        { type: 'conditionalAccessPolicy', objects: { expected: 14, matched: 14 }, attributes: { expected: 140, matched: 139 }, relations: { expected: 0, matched: 0 } },
      ],
      deviations: [
        { type: 'user', archivedId: 'u5', displayName: 'User Five', reason: 'onPremisesImmutableId: set by directory sync' },
        { type: 'conditionalAccessPolicy', archivedId: 'ca1', displayName: 'Require MFA', reason: 'kept report-only: location loc-9 unresolved' },
      ],
      manualSteps: (plan ?? fakePlan('tenant-loss')).manualSteps,
      ...(live ? { credentialsPath: 'out/credentials.age' } : {}),
    };
  }

  async execute(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
    this.calls.push(`execute ${plan.scenario} ${options.confirmTenantId ?? 'dry-run'}`);
    // like the real services: an older archive restores only with the reason given for it
    const allowRollback = this.unlockedPath ? this.rollbacks.get(this.unlockedPath) : undefined;
    const older = this.unlockedPath ? this.olderThanNewest(this.unlockedPath) : false;
    if (older && !allowRollback) throw new VaultError('ROLLBACK', 'archive sequence is older than the newest seen for this tenant', 'to use an older archive on purpose, allow rollback with a reason (it is logged)');
    this.lastExecute = { plan, confirmTenantId: options.confirmTenantId, ...(allowRollback ? { allowRollback } : {}) };
    return this.run(plan, options);
  }

  private olderThanNewest(path: string): boolean {
    const list = this.options.archives ?? ARCHIVES;
    const a = list.find((x) => x.path === path);
    return Boolean(a && list.some((x) => x.tenantId === a.tenantId && x.takenAt > a.takenAt));
  }

  async findUnfinishedJournal(): Promise<UnfinishedJournal | null> {
    this.calls.push('findUnfinishedJournal');
    return this.options.journal ?? null;
  }

  async resume(journal: UnfinishedJournal, options: ExecuteOptions): Promise<ExecuteResult> {
    this.calls.push(`resume ${journal.journalPath} ${options.confirmTenantId ?? 'dry-run'}`);
    this.lastExecute = { plan: null, confirmTenantId: options.confirmTenantId };
    return this.run(null, options);
  }

  async verifyArchive(archivePath: string, options: { reporter: Reporter; signal: AbortSignal }): Promise<VerifyArchiveResult> {
    this.calls.push(`verifyArchive ${archivePath}`);
    options.reporter.report({ kind: 'progress', phase: 'verify entries', item: 'objects/user.jsonl', done: 31, total: 31, ratePerSec: 12 });
    options.reporter.report({ kind: 'done', phase: 'verify entries', message: 'all entries match the manifest', elapsedMs: 2600 });
    await tick();
    return { archivePath, ok: true, signature: 'valid', entries: 31, bytes: 5_321_000, problems: [], ...(this.options.verifyElsewhere ? { elsewhere: this.options.verifyElsewhere } : {}) };
  }
}

export const JOURNAL: UnfinishedJournal = {
  journalPath: 'out/restore.journal',
  archivePath: ARCHIVES[1]!.path,
  scenario: 'tenant-loss',
  target: { profilePath: 'target.json' },
  targetTenantId: TENANT,
  startedAt: '2025-03-02T09:15:00Z',
  done: 601,
  total: 1215,
};
