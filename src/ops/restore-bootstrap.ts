/**
 * Bootstrap-first restore (docs/design.md "Bootstrap-first restore"; issue 17 item 4): in the
 * tenant-loss and all-admins-deleted scenarios the first working Global Administrator must
 * not wait for the whole target to be read and the whole archive to be planned. So a writing
 * restore runs in two phases over ONE journal:
 *
 * 1. bootstrap: a narrow read of the target (src/restore/live-bootstrap.ts), the bootstrap
 *    plan (src/restore/plan/bootstrap.ts, tier 0 only), stored as `<journal>.plan.age` and
 *    bound to the journal's header, executed;
 * 2. rest: the whole target read, the whole archive planned against it (the bootstrap's
 *    effects are now live and matched like any object), stored as `<journal>.rest.plan.age`
 *    and named in the journal by a `phase:rest:<planSha256>` record before its first write,
 *    executed with the same journal (an op the bootstrap journaled `done` is not run again).
 *
 * A kill in either phase resumes: the bootstrap plan continues from the journal; the rest
 * plan is loaded when the journal names it (and its hash matches), planned afresh otherwise.
 * The operator's confirmation (the typed tenant id) is checked once, before the first write,
 * and covers both phases.
 */
import { existsSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { VaultError } from '../errors.js';
import { memMark } from '../mem-probe.js';
import { coalescingClient } from '../graph/coalesce.js';
import { readOnlyGraph } from '../graph/dryrun.js';
import { executePlan, type ExecutionResult, type OpOutcome, type TierTiming } from '../restore/execute/executor.js';
import { OutcomesAside } from '../restore/execute/outcomes-aside.js';
import { openJournal, planIdentity, type Journal } from '../restore/execute/journal.js';
import { readBootstrapLive, type BootstrapLookup } from '../restore/live-bootstrap.js';
import type { ReadLiveOptions } from '../restore/live.js';
import type { BuildPlanInput } from '../restore/plan/planner.js';
import type { GraphClient } from '../graph/types.js';
import { bootstrapArchive, buildBootstrapPlan } from '../restore/plan/bootstrap.js';
import { runWithNotesAside } from '../restore/plan-aside.js';
import type { LiveState, Plan } from '../restore/types.js';
import type { LiveReader, PlanBuilder, RunRestoreOptions, RunRestoreResult } from './restore-pipeline.js';
import { checkWritable, credentialsFileOf, executeOptionsFor, loadPlan, openCredentials, storePlan, verifyRestore, withPlan } from './restore-pipeline.js';
import { HeldArchive } from '../archive/held.js';

/** The journal record that names the rest plan (docs/journal-format.md "Bootstrap-first restores"). */
export const REST_PHASE_PREFIX = 'phase:rest:';

/** Where the rest plan of a bootstrap-first restore is kept, next to its journal. */
export function restPlanPath(journalPath: string): string {
  return `${journalPath}.rest.plan.age`;
}

/** The combined plan the report and fidelity see: the bootstrap ops the rest plan does not repeat, then the rest plan. Pure. */
export function mergePlans(boot: Plan, rest: Plan): Plan {
  // a set of the few bootstrap ids, not of every rest id (at 100k users 350,000, made as the run ends)
  const bootIds = new Set(boot.operations.map((o) => o.opId));
  const inRest = new Set(rest.operations.filter((o) => bootIds.has(o.opId)).map((o) => o.opId));
  return {
    ...rest,
    operations: [...boot.operations.filter((o) => !inRest.has(o.opId)), ...rest.operations],
    idMap: { ...boot.idMap, ...rest.idMap },
    appIdMap: { ...boot.appIdMap, ...rest.appIdMap },
    domainMap: { ...boot.domainMap, ...rest.domainMap },
    warnings: [...new Set([...boot.warnings, ...rest.warnings])],
  };
}

/** Both phases' execution as one (the bootstrap's outcome wins for an op both name). Pure. */
export function mergeExecutions(boot: ExecutionResult, rest: ExecutionResult): ExecutionResult {
  const bootIds = new Set(boot.outcomes.map((r) => r.opId));
  // a rest phase's outcomes set aside stay aside, read one at a time (src/restore/execute/outcomes-aside.ts)
  const aside = rest.outcomesAside ? OutcomesAside.after(boot.outcomes, rest.outcomesAside) : undefined;
  const outcomes = aside ? [] : [...boot.outcomes, ...rest.outcomes.filter((r) => !bootIds.has(r.opId))];
  const counts = Object.fromEntries(Object.keys({ ...boot.counts, ...rest.counts }).map((k) => [k, 0])) as Record<OpOutcome, number>;
  for (const r of aside ? aside.each() : outcomes) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  const tiers = new Map<number, TierTiming>();
  for (const t of [...boot.tiers, ...rest.tiers]) {
    const e = tiers.get(t.tier);
    tiers.set(t.tier, e ? { tier: t.tier, total: e.total + t.total, succeeded: e.succeeded + t.succeeded, failed: e.failed + t.failed, ms: e.ms + t.ms } : { ...t });
  }
  return {
    outcomes,
    ...(aside ? { outcomesAside: aside } : {}),
    tiers: [...tiers.values()].sort((a, b) => a.tier - b.tier),
    counts,
    failures: [...boot.failures, ...rest.failures.filter((f) => !bootIds.has(f.opId))],
    idMap: { ...boot.idMap, ...rest.idMap },
    liveAppIds: { ...boot.liveAppIds, ...rest.liveAppIds },
    paused: boot.paused || rest.paused,
    ...(boot.pauseReason ?? rest.pauseReason ? { pauseReason: (boot.pauseReason ?? rest.pauseReason) as string } : {}),
    writeCalls: boot.writeCalls + rest.writeCalls,
    elapsedMs: boot.elapsedMs + rest.elapsedMs,
    ...(boot.firstGlobalAdminMs !== undefined ? { firstGlobalAdminMs: boot.firstGlobalAdminMs } : rest.firstGlobalAdminMs !== undefined ? { firstGlobalAdminMs: rest.firstGlobalAdminMs } : {}),
  };
}

/**
 * The rest plan a resumed run continues, when the journal names one; undefined when it is to be
 * planned. A plan continued is not planned: the archive is read again only by the final verify,
 * so it is set aside before the plan is loaded (issue 17 item 1: at 100k users the archive, 212
 * MiB of heap, and the loaded plan, about 410, were held together).
 */
async function journaledRestPlan(journal: Journal, o: RunRestoreOptions, held: HeldArchive): Promise<Plan | undefined> {
  const named = journal.records.findLast((r) => r.opId.startsWith(REST_PHASE_PREFIX));
  if (!named) return undefined;
  const path = restPlanPath(o.journalPath);
  if (!existsSync(path)) throw new VaultError('FILE_NOT_FOUND', `the rest plan the journal names is missing: ${path}`, 'resume needs the journal and its .plan.age and .rest.plan.age next to it');
  held.setAside();
  memMark('rest:archive-aside');
  const { plan, planSha256 } = await loadPlan(path, o.operatorIdentity);
  if (`${REST_PHASE_PREFIX}${planSha256}` !== named.opId) {
    throw new VaultError('JOURNAL_MISMATCH', `the rest plan ${path} is not the one the journal ${o.journalPath} names`, 'move the files aside and re-plan with a new --journal path; re-planning finds what is already done');
  }
  return plan;
}

/** The bootstrap phase's planner and target read (injected so the pipeline is testable alone). */
export interface BootstrapPhase {
  planBootstrap: (input: Omit<BuildPlanInput, 'selection' | 'catalog'>) => Plan;
  readBootstrap: (graph: GraphClient, lookup: BootstrapLookup, opts: ReadLiveOptions) => Promise<LiveState>;
}

/** The product's: src/restore/plan/bootstrap.ts and src/restore/live-bootstrap.ts. */
export const defaultBootstrapPhase: BootstrapPhase = { planBootstrap: (input) => buildBootstrapPlan(input), readBootstrap: readBootstrapLive };

interface Phased extends BootstrapPhase {
  buildPlan: PlanBuilder;
  readLive: LiveReader;
  clock: Clock;
  /** The stored bootstrap plan of a resumed run. */
  resumed?: Plan;
}

/**
 * Runs a writing bootstrap-first restore (see the file comment).
 * @throws VaultError CONFIRM_MISMATCH | FILE_EXISTS | USAGE (before any write) | JOURNAL_MISMATCH |
 *   JOURNAL_CORRUPT | FILE_NOT_FOUND | DECRYPT_FAILED; Graph errors of the reads.
 * Never prints; never writes before the confirmation is checked.
 */
export async function runBootstrapFirst(o: RunRestoreOptions, d: Phased): Promise<RunRestoreResult> {
  const { clock } = d;
  const held = HeldArchive.of(o.archive);
  const reader = readOnlyGraph(o.graph);
  const planOptions = o.planOptions ? { options: o.planOptions } : {};
  const t0 = clock.now().getTime();
  let boot = d.resumed;
  delete d.resumed; // held by `boot` alone, which the verify lets go of (below)
  let liveBefore: RunRestoreResult['liveBefore'] | undefined;
  if (!boot) {
    o.reporter.report({ kind: 'phase', phase: 'live', message: 'reading the Global Administrators in the target (bootstrap phase)' });
    liveBefore = await d.readBootstrap(reader, { archive: bootstrapArchive(held.get()) }, { reporter: o.reporter, clock, tenantId: o.targetTenantId });
    memMark('bootstrap:live');
    boot = d.planBootstrap({ archive: held.get(), archiveMeta: o.archiveMeta, live: liveBefore, scenario: o.scenario, ...planOptions });
    memMark('bootstrap:plan');
  }
  const timings: NonNullable<RunRestoreResult['timings']> = { liveMs: 0, planMs: clock.now().getTime() - t0 };
  checkWritable(o, boot);
  if (!o.resume && o.credentialsRecipient) await storePlan(`${o.journalPath}.plan.age`, boot, o.credentialsRecipient, o.operatorIdentity);
  const { sink, earlier, credentialsPath } = await openCredentials(o);
  // of the records an earlier run left, only the rest phase's marker is read (journaledRestPlan)
  const journal = openJournal(o.journalPath, planIdentity(boot), { clock, keep: (r) => r.opId.startsWith(REST_PHASE_PREFIX) });
  const execGraph = coalescingClient(o.graph, { clock, reporter: o.reporter });
  const exec = executeOptionsFor(o, { journal, sink, graph: execGraph, clock });
  let execution: ExecutionResult;
  let plan: Plan = boot;
  try {
    o.reporter.report({ kind: 'phase', phase: 'restore', message: `bootstrap phase: executing ${boot.operations.length} operations` });
    const tBoot = clock.now().getTime();
    execution = await executePlan(boot, exec);
    const tBootDone = clock.now().getTime();
    memMark('bootstrap:execute');
    timings.bootstrapMs = tBootDone - t0;
    if (execution.firstGlobalAdminMs !== undefined) timings.firstGlobalAdminMs = tBoot - t0 + execution.firstGlobalAdminMs;
    // a paused bootstrap (interrupt, throttling past the deadline) stops here: resume continues it
    if (!execution.paused) {
      o.reporter.report({ kind: 'phase', phase: 'live', message: 'reading the target tenant (rest phase)' });
      liveBefore = await d.readLive(reader, { reporter: o.reporter, clock, tenantId: o.targetTenantId });
      const tRestPlan = clock.now().getTime();
      memMark('rest:live');
      timings.liveMs = tRestPlan - tBootDone;
      let stored = o.resume ? await journaledRestPlan(journal, o, held) : undefined;
      // a resumed run set the archive aside before it knew which plan it continues (restore-pipeline.ts resumedPlan)
      if (!stored) held.takeBack();
      // the archive's users and relations are set aside whole first, and the planner lets go of
      // them once it no longer reads them whole (src/restore/plan/release.ts)
      let rest = stored ?? d.buildPlan({ archive: held.get(), archiveMeta: o.archiveMeta, live: liveBefore, scenario: o.scenario, ...planOptions, ...(held.setAsideFirst('user') && held.setRelationsAsideFirst() ? { release: true } : {}) });
      memMark('rest:plan');
      if (!stored) {
        // the rest plan is stored, then named in the journal, before its first write
        const sha = o.credentialsRecipient ? await storePlan(restPlanPath(o.journalPath), rest, o.credentialsRecipient, o.operatorIdentity) : planIdentity(rest).planSha256;
        journal.append({ opId: `${REST_PHASE_PREFIX}${sha}`, state: 'done' });
        await journal.sync?.();
      }
      memMark('rest:store-plan');
      held.setAside();
      memMark('rest:archive-aside');
      timings.planMs += clock.now().getTime() - tRestPlan;
      o.reporter.report({ kind: 'phase', phase: 'restore', message: `rest phase: executing ${rest.operations.length} operations` });
      const run = rest;
      // the rest phase's outcomes go aside as its run ends when the archive is the restore's own (verifyRestore takes them back)
      execution = mergeExecutions(execution, await runWithNotesAside(run, () => executePlan(run, { ...exec, outcomesAside: held.owned })));
      plan = mergePlans(boot, rest);
      rest = stored = undefined as never; // see below
      memMark('rest:execute');
    }
  } finally {
    journal.close();
    await sink.close();
  }
  timings.executeMs = execution.elapsedMs;
  liveBefore ??= await d.readLive(reader, { reporter: o.reporter, clock, tenantId: o.targetTenantId });
  const tVerify = clock.now().getTime();
  // V8 keeps an async function's locals across an await even once they are dead: the run drops
  // its own references to the plans, so the verify may set the plan aside (verifyRestore)
  const ran: { plan?: Plan } = { plan };
  plan = boot = undefined as never;
  const v = await verifyRestore(held, ran, execution, { o, readLive: d.readLive, reader, clock });
  const credentialsFile = await credentialsFileOf(sink, credentialsPath, earlier);
  timings.verifyMs = clock.now().getTime() - tVerify;
  return withPlan({ dryRun: false, liveBefore, execution, fidelity: v.fidelity, timings, graphStats: execGraph.stats(), ...(credentialsFile && existsSync(credentialsFile) ? { credentialsFile } : {}) }, v.plan);
}
