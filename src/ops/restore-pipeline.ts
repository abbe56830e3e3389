/**
 * The restore pipeline shared by every scenario (docs/design.md "Restore"):
 * read live → diff → plan → (dry run: stop, zero mutating calls) → typed confirmation
 * of the target tenant id → execute (journaled) → read live again → fidelity.
 *
 * Resume: the plan a journal is bound to is kept next to it, age-encrypted to the
 * operator's recipient (directory data never lies on disk in plaintext); `resume`
 * decrypts it with the operator's identity and continues the same plan, so a killed
 * restore never re-plans against a half-restored tenant.
 */
import { existsSync, statSync } from 'node:fs';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { descriptor } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { VaultError } from '../errors.js';
import { memMark } from '../mem-probe.js';
import type { GraphClient, GraphStats } from '../graph/types.js';
import type { Relation, TenantData } from '../model.js';
import type { Reporter } from '../progress.js';
import { coalescingClient } from '../graph/coalesce.js';
import { readOnlyGraph } from '../graph/dryrun.js';
import { consolidateCredentials, createEncryptedCredentialsFile, earlierCredentialFiles, readCredentialsFile, recoverCredentialSpools, type CredentialsSink } from '../restore/credentials.js';
import { executePlan, type ExecuteOptions, type ExecutionResult } from '../restore/execute/executor.js';
import { OutcomesAside } from '../restore/execute/outcomes-aside.js';
import type { Journal } from '../restore/execute/journal.js';
import { computeFidelity, fidelityReasons, type FidelityReasons, type FidelityReport } from '../restore/fidelity.js';
import { slimUser } from '../restore/plan/release.js';
import { columnEdges, edgeColumnsOf, type EdgeLists } from '../restore/relation-diff.js';
import { PlanAside, runWithNotesAside } from '../restore/plan-aside.js';
import { memberStoreFailure } from '../set-aside.js';
import { loadPlan, storePlan, type StoredPlan } from './plan-store.js';
import { HeldArchive } from '../archive/held.js';
import { openJournal, planIdentity, planSha256 } from '../restore/execute/journal.js';
import { readLiveState } from '../restore/live.js';
import { CompactUsers } from '../restore/compact-users.js';
import { isBootstrapScenario } from '../restore/plan/bootstrap.js';
import { defaultBootstrapPhase, runBootstrapFirst, type BootstrapPhase } from './restore-bootstrap.js';
import type { BuildPlanInput } from '../restore/plan/planner.js';
import type { LiveState, Plan, RestoreSelection, ScenarioName } from '../restore/types.js';
import { RELINK_STEP_ID } from '../restore/plan/relink.js';

export { loadPlan, storePlan, type StoredPlan } from './plan-store.js';
export { planSha256 } from '../restore/execute/journal.js';

export interface ArchiveMeta {
  tenantId: string;
  takenAt: string;
  manifestSha256: string;
}

export type PlanOptions = NonNullable<BuildPlanInput['options']>;
export type PlanInput = Omit<BuildPlanInput, 'catalog'>;

/** The planner (src/restore/plan/planner.ts buildPlan), injected so the pipeline is testable alone. */
export type PlanBuilder = (input: PlanInput) => Plan;
/**
 * Reads the target. `users`: a reader may keep the users compact there, the state holding their slim
 * copies (src/restore/compact-users.ts; the final verify's read); one that ignores it gives them whole.
 */
export type LiveReader = (graph: GraphClient, opts: { reporter: Reporter; clock: Clock; tenantId: string; types?: readonly ResourceType[]; users?: CompactUsers }) => Promise<LiveState>;

export interface RunRestoreOptions {
  /**
   * The archive's contents. A holder that owns them (`HeldArchive.owning`, the CLI's) lets a
   * writing run set them aside while its plan runs, and set the plan and the outcomes aside
   * while it verifies (`verifyRestore`); plain data is borrowed, and held by the run throughout.
   */
  archive: TenantData | HeldArchive;
  archiveMeta: ArchiveMeta;
  /** A Graph client for the target and the target's tenant id (from its profile). */
  graph: GraphClient;
  targetTenantId: string;
  scenario: ScenarioName;
  selection?: RestoreSelection;
  /** Default true: plan only, zero mutating calls (docs/reliability.md 19). */
  dryRun?: boolean;
  /** Must equal targetTenantId for anything to be written. */
  confirmTenantId?: string;
  journalPath: string;
  /** Continue the plan bound to an existing journal (needs operatorIdentity). */
  resume?: boolean;
  /**
   * The operator's age identity (its text, never logged). A run that writes tags the plan it
   * stores with a key derived from it, and a resumed run decrypts its stored plan with it and
   * refuses a plan whose tag it does not match (src/restore/plan-tag.ts).
   */
  operatorIdentity?: string;
  /** Operator's age recipient: temporary passwords and the stored plan are encrypted to it. */
  credentialsRecipient?: string;
  /** Where the encrypted credentials go (default `<journalPath>.credentials.age`). */
  credentialsPath?: string;
  /** Replaces the encrypted file (tests, drills). */
  credentialsSink?: CredentialsSink;
  reporter: Reporter;
  clock?: Clock;
  enableConditionalAccess?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  planOptions?: PlanOptions;
  /**
   * SHA-256 of the plan the operator reviewed (`planSha256`). When given, the plan
   * computed (or, on resume, loaded) here must hash to it, or the run stops with
   * PLAN_CHANGED before anything is written: what executes is what was reviewed.
   */
  expectPlanSha256?: string;
  /**
   * Default true: a writing tenant-loss or all-admins-deleted restore of the whole archive runs
   * its bootstrap tier first, before the whole target is read and planned
   * (src/ops/restore-bootstrap.ts). It does not when `expectPlanSha256` binds the run to a
   * reviewed whole plan: then the whole plan is computed and checked before any write.
   */
  bootstrapFirst?: boolean;
  /**
   * The outcomes of a writing run with an owned archive stay set aside after the verify
   * (`ExecutionResult.outcomesAside`, read with src/restore/execute/outcomes-aside.ts `outcomesOf`),
   * `execution.outcomes` empty: for a caller that only writes them out (the CLI's `restore --json`
   * streams them). Otherwise the verify gives them back as a list: at 100k users 350,000 results,
   * about 107 MiB of live heap at the restore's end, where its peak was (docs/design.md "Session 42").
   */
  keepOutcomesAside?: boolean;
}

/**
 * The plan stored beside the journal of a resumed run. A plan continued is not planned: in one
 * phase only the final verify reads the archive again, so an owned archive is set aside before
 * the plan is loaded (issue 17 item 1: the archive, about 230 MiB of heap at 100k users, and the
 * loaded plan, about 490, were held together). Which plan it is, is known only once it is loaded:
 * a bootstrap-first run whose rest plan is still to be made takes the archive back
 * (./restore-bootstrap.ts).
 * @throws what loadPlan throws
 */
async function resumedPlan(held: HeldArchive, planPath: string, identity: string | undefined): Promise<StoredPlan> {
  held.setAside();
  memMark('resume:archive-aside');
  return loadPlan(planPath, identity);
}

export interface RunRestoreResult {
  dryRun: boolean;
  /**
   * The plan that ran. After a writing run with an owned archive (`HeldArchive.owning`) it was
   * set aside for the verify, and is parsed back, once, when first read: a caller that never
   * reads it (the CLI's restore) never holds it again (issue 17 item 1).
   */
  plan: Plan;
  liveBefore: LiveState;
  execution?: ExecutionResult;
  fidelity?: FidelityReport;
  /** The encrypted credentials file, when passwords were generated. */
  credentialsFile?: string;
  /** Wall-clock milliseconds per phase (live read, plan, execute, verify). */
  timings?: {
    liveMs: number; planMs: number; executeMs?: number; verifyMs?: number;
    /**
     * Bootstrap-first restores (src/ops/restore-bootstrap.ts): milliseconds from the start of
     * the restore (its first read of the target) until the first Global Administrator grant
     * succeeded, and until the bootstrap phase ended. Absent for a one-phase restore.
     */
    firstGlobalAdminMs?: number; bootstrapMs?: number;
  };
  /** The client's figures after the run, `$batch` sub-request waits included (throttled, time waited). */
  graphStats?: GraphStats;
}


/** Operations in flight by default: one full `$batch` of their calls (docs/graph-facts.md §5). */
export const RESTORE_CONCURRENCY = 20;

/**
 * A resumed restore continues its stored plan: refuse when it was made from another archive,
 * for another scenario or another target than this invocation names (the operator would
 * otherwise finish a different restore than the one they typed).
 * @throws VaultError JOURNAL_MISMATCH naming what differs
 */
function checkResumedPlan(plan: Plan, o: RunRestoreOptions, planPath: string): void {
  const diffs: string[] = [];
  if (plan.archive.manifestSha256 !== o.archiveMeta.manifestSha256) diffs.push(`archive (manifest ${plan.archive.manifestSha256.slice(0, 12)}…, not ${o.archiveMeta.manifestSha256.slice(0, 12)}…)`);
  if (plan.scenario !== o.scenario) diffs.push(`scenario (${plan.scenario}, not ${o.scenario})`);
  if (plan.target.tenantId.toLowerCase() !== o.targetTenantId.toLowerCase()) diffs.push(`target tenant (${plan.target.tenantId}, not ${o.targetTenantId})`);
  if (diffs.length === 0) return;
  throw new VaultError(
    'JOURNAL_MISMATCH',
    `the restore being resumed (${planPath}) was started with another ${diffs.join(', ')}; nothing was written`,
    `resume with the archive, scenario and target it started with (${plan.scenario} into ${plan.target.tenantId}), or start a new restore with a new --journal path`,
  );
}

/**
 * Runs a restore with an explicit planner and reader. With `bootstrap` (the bootstrap plan and
 * its narrow target read, src/ops/restore-bootstrap.ts), a writing tenant-loss or
 * all-admins-deleted restore runs bootstrap-first; without it, in one phase (a stored
 * bootstrap-first plan is resumed with the default bootstrap phase).
 * @throws VaultError CONFIRM_MISMATCH (typed id ≠ target) | FILE_EXISTS (journal exists without resume)
 *   | PLAN_CHANGED (expectPlanSha256 given and not matched; thrown before any write) | JOURNAL_MISMATCH | JOURNAL_CORRUPT | KEY_INVALID | DECRYPT_FAILED; Graph errors of the live reads.
 * Never writes to the tenant when dryRun is true or unset; never prints.
 */
export async function runRestoreWith(buildPlan: PlanBuilder, readLive: LiveReader, o: RunRestoreOptions, bootstrap?: BootstrapPhase): Promise<RunRestoreResult> {
  const clock = o.clock ?? systemClock;
  const dryRun = o.dryRun ?? true;
  const planPath = `${o.journalPath}.plan.age`;
  const reader = readOnlyGraph(o.graph);
  const held = HeldArchive.of(o.archive);
  let stored = o.resume && !dryRun ? await resumedPlan(held, planPath, o.operatorIdentity) : undefined;
  if (stored?.plan.phase === 'bootstrap') {
    checkResumedPlan(stored.plan, o, planPath);
    return runBootstrapFirst(o, { ...(bootstrap ?? defaultBootstrapPhase), buildPlan, readLive, clock, resumed: stored.plan });
  }
  const phased = bootstrap && !dryRun && !o.resume && isBootstrapScenario(o.scenario) && !o.selection && o.expectPlanSha256 === undefined && o.bootstrapFirst !== false;
  if (phased) return runBootstrapFirst(o, { ...bootstrap, buildPlan, readLive, clock });

  const tLive = clock.now().getTime();
  o.reporter.report({ kind: 'phase', phase: 'live', message: 'reading the target tenant' });
  const liveBefore = await readLive(reader, { reporter: o.reporter, clock, tenantId: o.targetTenantId });
  // Live reads cover every type, even for a selection: references of selected objects may point anywhere.

  const tPlan = clock.now().getTime();
  memMark('live');
  let plan: Plan;
  if (stored) {
    plan = stored.plan;
    checkResumedPlan(plan, o, planPath);
  } else {
    o.reporter.report({ kind: 'phase', phase: 'plan', message: `planning ${o.scenario}` });
    // a writing run with its own archive: the users and relations are set aside whole first, and
    // the planner lets go of them once it no longer reads them whole (src/restore/plan/release.ts)
    const release = !dryRun && held.setAsideFirst('user') && held.setRelationsAsideFirst();
    plan = buildPlan({ archive: held.get(), archiveMeta: o.archiveMeta, live: liveBefore, scenario: o.scenario, ...(o.selection ? { selection: o.selection } : {}), ...(o.planOptions ? { options: o.planOptions } : {}), ...(release ? { release } : {}) });
  }
  memMark('plan');
  const timings: NonNullable<RunRestoreResult['timings']> = { liveMs: tPlan - tLive, planMs: clock.now().getTime() - tPlan };
  // the plan is hashed at most once (a 100k-user plan takes seconds): a stored plan as it was
  // loaded, a new one here, for the reviewed hash, its tag and the journal's header
  let sha = stored?.planSha256;
  const shaOf = (): string => (sha ??= planSha256(plan));
  if (o.expectPlanSha256 !== undefined) {
    const actual = shaOf();
    if (actual !== o.expectPlanSha256.trim().toLowerCase()) {
      throw new VaultError('PLAN_CHANGED', `the plan differs from the reviewed one (sha256 ${actual.slice(0, 16)}…, expected ${o.expectPlanSha256.trim().slice(0, 16)}…); nothing was written`, 'the target changed since the review: plan again and review the new plan');
    }
  }
  if (dryRun) {
    o.reporter.report({ kind: 'done', phase: 'plan', message: `dry run: ${plan.operations.length} operations planned, nothing written`, elapsedMs: 0 });
    return { dryRun: true, plan, liveBefore, timings };
  }

  checkWritable(o, plan);
  const bound = planIdentity(plan, shaOf());
  if (!o.resume && o.credentialsRecipient) await storePlan(planPath, plan, o.credentialsRecipient, o.operatorIdentity, bound.planSha256);

  memMark('store-plan');
  held.setAside();
  memMark('archive-aside');
  const { sink, earlier, credentialsPath } = await openCredentials(o);
  const journal = openJournal(o.journalPath, bound, { clock });
  let execution: ExecutionResult;
  const execGraph = coalescingClient(o.graph, { clock, reporter: o.reporter });
  const tExec = clock.now().getTime();
  try {
    o.reporter.report({ kind: 'phase', phase: 'restore', message: `executing ${plan.operations.length} operations` });
    const run = plan;
    // the outcomes go aside as the run ends when the archive is the restore's own (verifyRestore takes them back)
    execution = await runWithNotesAside(run, () => executePlan(run, { ...executeOptionsFor(o, { journal, sink, graph: execGraph, clock }), outcomesAside: held.owned }));
  } finally {
    journal.close();
    await sink.close();
  }

  timings.executeMs = clock.now().getTime() - tExec;
  memMark('execute');
  const tVerify = clock.now().getTime();
  // V8 keeps an async function's locals across an await even once they are dead: the run drops
  // its own references, so the verify may set the plan aside (verifyRestore)
  const ran: { plan?: Plan } = { plan };
  plan = stored = undefined as never;
  const v = await verifyRestore(held, ran, execution, { o, readLive, reader, clock });
  const credentialsFile = await credentialsFileOf(sink, credentialsPath, earlier);
  timings.verifyMs = clock.now().getTime() - tVerify;
  return withPlan({ dryRun: false, liveBefore, execution, fidelity: v.fidelity, timings, graphStats: execGraph.stats(), ...(credentialsFile && existsSync(credentialsFile) ? { credentialsFile } : {}) }, v.plan);
}

/**
 * A run's result with its plan: the plan itself, or one set aside, parsed back when `plan` is
 * first read and kept from then on (RunRestoreResult.plan).
 */
export function withPlan(r: Omit<RunRestoreResult, 'plan'>, plan: Plan | PlanAside): RunRestoreResult {
  if (!(plan instanceof PlanAside)) return { ...r, plan };
  let taken: Plan | undefined;
  return Object.defineProperty({ ...r }, 'plan', { enumerable: true, get: () => (taken ??= plan.take()) }) as RunRestoreResult;
}

/**
 * The final verify of a writing run: the target read again and compared with the archive
 * (src/restore/fidelity.ts). With an owned archive, the archive was set aside while the plan
 * ran and is parsed again here, and the plan is set aside while the comparison runs
 * (src/restore/plan-aside.ts), and the execution's outcomes too (given back before it returns):
 * at no point are the archive, the whole plan and the target read all held at once (issue 17
 * item 1). The archive's copy and the read-back are then the verify's own: their users' objects go
 * once compared (computeFidelity `release`), and the result holds neither. Returns the plan as it
 * ran, or set aside (`withPlan`).
 */
export async function verifyRestore(
  held: HeldArchive,
  ran: { plan?: Plan },
  execution: ExecutionResult,
  d: { o: RunRestoreOptions; readLive: LiveReader; reader: GraphClient; clock: Clock },
): Promise<{ plan: Plan | PlanAside; fidelity: FidelityReport }> {
  const { o } = d;
  const { reasons, aside, selection } = handOver(held, ran, execution, o.selection);
  // each mark below collects (the CLI's phase GC): what was just let go of is freed before
  // the next step allocates, instead of the heap growing over both
  memMark('plan-aside');
  // the fidelity needs none of the outcomes once the reasons are made: at 100k users they are
  // about 350,000 records holding each op's id and label (about 130 MiB)
  // (set aside as the run ended, src/restore/execute/outcomes-aside.ts, when the run was asked to)
  const outcomes = execution.outcomesAside ?? (held.owned ? OutcomesAside.of(execution.outcomes) : undefined);
  if (outcomes) execution.outcomes = [];
  memMark('outcomes-aside');
  o.reporter.report({ kind: 'phase', phase: 'verify', message: 'reading the target again' });
  // an owned archive's verify holds the users read back compact (src/restore/compact-users.ts)
  const users = held.owned ? new CompactUsers() : undefined;
  const liveAfter = await d.readLive(d.reader, { reporter: o.reporter, clock: d.clock, tenantId: o.targetTenantId, ...(users ? { users } : {}) });
  const fidelity = compareWithArchive(held, liveAfter, reasons, execution, selection, users);
  memMark('verify:fidelity');
  if (outcomes && o.keepOutcomesAside) execution.outcomesAside = outcomes;
  else if (outcomes) {
    execution.outcomes = outcomes.take();
    delete execution.outcomesAside;
  }
  memMark('verify:outcomes');
  // nothing was lost (src/spill-file.ts keeps a member in memory when the file fails), but the
  // operator of a large restore should know why it took more memory than documented
  const spill = memberStoreFailure();
  if (spill !== undefined) o.reporter.report({ kind: 'warning', code: 'SPILL_IN_MEMORY', message: `the temporary spill file could not be written (${spill}): what the restore set aside was kept in memory instead; point TMPDIR at a disk with free space` });
  o.reporter.report({ kind: 'done', phase: 'restore', message: `restored ${fidelity.totals.objectsRestored}/${fidelity.totals.objectsExpected} objects`, elapsedMs: execution.elapsedMs });
  return { plan: aside ?? (ran.plan as Plan), fidelity };
}

/**
 * The final verify's comparison, once the target is read back (synchronous: no local of an async
 * function holds the archive's copy or the edges' columns after it, issue 17 item 1). An owned
 * archive's verify compares edges as columns (src/restore/relation-diff.ts): the target's are moved
 * there first, so the edge objects read back are freed before the archive is parsed again; the
 * archive's users are parsed slim, for the match, and each compared whole from the copy set aside
 * (`whole`); the users read back are held slim too, each whole in `users` (src/restore/compact-users.ts),
 * and made whole while compared. The archive's copy and the read-back are the verify's own, read by nothing after it:
 * their users' objects go once compared (a borrowed archive is the caller's, never emptied).
 */
function compareWithArchive(held: HeldArchive, liveAfter: LiveState, reasons: FidelityReasons, execution: ExecutionResult, selection: RestoreSelection | undefined, users: CompactUsers | undefined): FidelityReport {
  const liveEdges = held.owned ? columnEdges(liveAfter) : undefined;
  memMark('verify:live');
  // the archive is parsed again once the target read's garbage is collected (the phase mark); its
  // edges go into columns as they are parsed, never all whole at once
  const archiveEdges: EdgeLists = {};
  const toColumns = (kind: RelationKind, list: Iterable<Relation>): void => {
    archiveEdges[kind] = edgeColumnsOf(kind, list);
  };
  const { data, whole } = held.loadLastSplit('user', slimUser, liveEdges ? toColumns : undefined);
  // a holder without a compressed copy gave its edges as lists
  if (liveEdges) Object.assign(archiveEdges, columnEdges(data));
  const edges = liveEdges ? { archive: archiveEdges, live: liveEdges } : undefined;
  memMark('verify:archive');
  return computeFidelity(data, liveAfter, reasons, execution, {
    release: held.owned, ...(whole ? { wholeUsers: whole } : {}), ...(edges ? { edges } : {}), ...(selection ? { selection } : {}),
    ...(users ? { liveUsers: users } : {}),
  });
}

/**
 * The verify's reasons and what it expects back, and for an owned archive the plan set aside and
 * let go of by `ran` (synchronous: no local of an async function holds the plan across the
 * verify's reads).
 */
function handOver(held: HeldArchive, ran: { plan?: Plan }, execution: ExecutionResult, chosen: RestoreSelection | undefined): { reasons: FidelityReasons; aside?: PlanAside; selection?: RestoreSelection } {
  const plan = ran.plan;
  if (!plan) throw new Error('verifyRestore: no plan was handed over');
  const reasons = fidelityReasons(plan, execution);
  const selection = expectedBack(chosen, plan);
  if (!held.owned) return { reasons, ...(selection ? { selection } : {}) };
  const aside = new PlanAside(plan);
  delete ran.plan;
  return { reasons, aside, ...(selection ? { selection } : {}) };
}

/**
 * What a selective restore is held to: the objects selected, and those the plan included with them
 * to bring back (`Plan.included`: a missing dependency, a recreated user's access package
 * assignments), each created, taken from the recycle bin or skipped with its reason. An included
 * object that does not come back is a deviation like a selected one, never left out of the report
 * because the operator did not name it. A live object included only to re-link a reference (a
 * Conditional Access policy, src/restore/plan/relink.ts) keeps its live state, so it is not held to
 * the archive's.
 */
function expectedBack(chosen: RestoreSelection | undefined, plan: Plan): RestoreSelection | undefined {
  if (!chosen?.objectIds) return chosen;
  const brought = new Set<string>((plan.skipped ?? []).map((s) => s.archivedId));
  for (const op of plan.operations) if (op.kind === 'create' || op.kind === 'restoreDeleted') brought.add(op.archivedId);
  const more = (plan.included ?? []).map((i) => i.archivedId).filter((id) => brought.has(id));
  // a live object still naming a recreated object's old id, which no write could re-link: its
  // reference is not as archived, and the report says so (src/restore/plan/relink.ts)
  const byHand = plan.manualSteps.find((m) => m.id === RELINK_STEP_ID)?.objects ?? [];
  return { ...chosen, objectIds: [...new Set([...chosen.objectIds, ...more, ...byHand])] };
}

/** The executor's options for this run (src/restore/execute/executor.ts). */
export function executeOptionsFor(o: RunRestoreOptions, d: { journal: Journal; sink: CredentialsSink; graph: GraphClient; clock: Clock }): ExecuteOptions {
  return {
    // Operations run 20 at a time and their calls travel together as $batch requests
    // (src/graph/coalesce.ts): the client still keeps at most its 4 HTTP requests in flight.
    graph: d.graph,
    concurrency: o.concurrency ?? RESTORE_CONCURRENCY,
    journal: d.journal,
    reporter: o.reporter,
    clock: d.clock,
    credentialsSink: d.sink,
    enableConditionalAccess: o.enableConditionalAccess ?? false,
    catalog: descriptor,
    // a resume reads the plan stored beside the journal (storePlan), and after the run only the
    // plan's ids, kinds, tiers, labels, dependencies and notes are read (fidelity, reports, tests)
    releaseFinished: true,
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/**
 * Refuses a write the operator did not confirm for this target, over an existing journal, without
 * a recipient for temporary passwords, or without the identity that tags the stored plan. Nothing
 * has been written when it throws.
 * @throws VaultError CONFIRM_MISMATCH | FILE_EXISTS | USAGE
 */
export function checkWritable(o: RunRestoreOptions, plan: Pick<Plan, 'target'>): void {
if (o.confirmTenantId === undefined || o.confirmTenantId.trim().toLowerCase() !== o.targetTenantId.toLowerCase() || plan.target.tenantId.toLowerCase() !== o.targetTenantId.toLowerCase()) {
  throw new VaultError('CONFIRM_MISMATCH', 'the typed tenant id does not match the target tenant; nothing was written', `type the target tenant id exactly: --confirm ${o.targetTenantId}`);
}
if (!o.resume && existsSync(o.journalPath) && statSync(o.journalPath).size > 0) {
  throw new VaultError('FILE_EXISTS', `restore journal ${o.journalPath} already exists`, 'resume it with --resume, or choose a new --journal path');
}
if (!o.credentialsSink && !o.credentialsRecipient) {
  throw new VaultError('USAGE', 'a restore that writes needs the operator recipient for temporary passwords', 'pass --recipient (age1… from keys init)');
}
// the plan stored for --resume is tagged with the operator's identity (src/restore/plan-tag.ts)
if (o.credentialsRecipient && !o.operatorIdentity) {
  throw new VaultError('USAGE', 'a restore that writes needs the operator identity: the plan it stores for --resume is tagged with it; nothing was written', 'pass --identity');
}
}

/**
 * The credentials sink of a writing run: temporary passwords of users created just before a
 * crash are recovered first, and a resumed restore carries the earlier runs' passwords into
 * its own file (docs/credentials-format.md "Resume").
 */
export async function openCredentials(o: RunRestoreOptions): Promise<{ sink: CredentialsSink; earlier: string[]; credentialsPath: string }> {
const credentialsPath = o.credentialsPath ?? `${o.journalPath}.credentials.age`;
if (o.resume && o.operatorIdentity && o.credentialsRecipient) {
  // Passwords of users created just before a crash sit in the run's spool: give them
  // back to the operator as a normal credentials file before anything else is written.
  for (const r of await recoverCredentialSpools(credentialsPath, [o.operatorIdentity], o.credentialsRecipient)) {
    o.reporter.report({ kind: 'warning', code: 'CREDENTIALS_RECOVERED', message: `recovered ${r.credentials} temporary passwords of the interrupted run into ${r.file}` });
  }
}
// A resumed restore carries the earlier runs' passwords into its own file, so the restore
// ends with one credentials file, not one per run (docs/credentials-format.md "Resume").
const earlier = !o.credentialsSink && o.resume && o.operatorIdentity ? earlierCredentialFiles(credentialsPath) : [];
const sink = o.credentialsSink ?? (await createEncryptedCredentialsFile(credentialsPath, o.credentialsRecipient as string));
for (const f of earlier) {
  const carried = await readCredentialsFile(f, [o.operatorIdentity as string]);
  await Promise.all(carried.map((c) => sink.add(c)));
}
  return { sink, earlier, credentialsPath };
}

/** The encrypted credentials file the run leaves (one, the earlier runs' included), if any. */
export async function credentialsFileOf(sink: CredentialsSink, credentialsPath: string, earlier: string[]): Promise<string | undefined> {
  const sinkFile = 'path' in sink && typeof (sink as { path?: unknown }).path === 'string' ? (sink as { path: string }).path : undefined;
  return sinkFile && earlier.length > 0 ? await consolidateCredentials(credentialsPath, sinkFile, earlier) : sinkFile;
}

/** The default live reader (src/restore/live.ts). */
export const defaultLiveReader: LiveReader = (graph, opts) => readLiveState(graph, opts);
