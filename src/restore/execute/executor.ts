/**
 * The executor (docs/design.md "Restore"): runs a Plan through a GraphClient in dependency
 * order with bounded concurrency, journaling every state change.
 *
 * Idempotency (docs/reliability.md 12, 13): every operation first checks whether its effect is
 * already present in the target — a create looks its natural key up (or the composite
 * key of assignments/grants), a recycle-bin restore GETs the id, an update compares the
 * live values, a relation checks the live edge list, a CA enable reads the live state —
 * and writes nothing if so. Running the same plan again after success therefore makes
 * zero write calls, with or without the old journal. Ops the journal records as `done`
 * are not touched at all on resume; ops left `started` by a crash are re-checked with
 * lag-tolerant lookups before anything is written.
 *
 * Secrets: temporary passwords are generated here, sent in the create body and handed
 * to the CredentialsSink; they never reach the journal, the reporter or any error.
 */
import type { Clock } from '../../clock.js';
import type { ErrorCode } from '../../errors.js';
import type { GraphClient } from '../../graph/types.js';
import type { Reporter } from '../../progress.js';
import type { RestoreTier } from '../../catalog/types.js';
import type { CredentialsSink } from '../credentials.js';
import type { Journal } from './journal.js';
import { holdFields } from '../held-fields.js';
import type { Operation, Plan } from '../types.js';
import type { DescriptorLookup } from './endpoints.js';
import type { OutcomesAside } from './outcomes-aside.js';
import { countWrites } from './graph.js';
import { archivedIdOf } from './context.js';
import { PlanRun } from './run.js';
import { Settled } from './settled.js';
import { DigestIndex } from '../../digest-index.js';

export type { DescriptorLookup, ExecDescriptor } from './endpoints.js';

export interface ExecuteOptions {
  graph: GraphClient;
  journal: Journal;
  reporter: Reporter;
  clock: Clock;
  /** Operations in flight at once (default 4). */
  concurrency?: number;
  /** Aborting pauses cleanly: in-flight ops finish, nothing new starts; resume with the same journal. */
  signal?: AbortSignal;
  credentialsSink: CredentialsSink;
  /** Switch report-only CA policies on once their references verify (false: they stay report-only). */
  enableConditionalAccess: boolean;
  /** Catalog lookup (src/catalog `descriptor`); injected so the executor is testable alone. */
  catalog: DescriptorLookup;
  /** Replication-lag backoff (default 1, 2, 4, 8, 16 s per docs/graph-facts.md §5). */
  lagDelaysMs?: readonly number[];
  /**
   * The plan is spent as it runs: each finished write drops its `body` and `refs` (run.ts
   * `spend`), so a large restore does not hold every request body until its final verify (at
   * 100k users 94 MiB of live heap, issue 17 item 1). For a caller that keeps the plan elsewhere
   * (the pipeline stores it encrypted beside the journal and resumes from that) and reads nothing
   * of it afterwards but ids, kinds, tiers, labels, dependencies and its notes. Its operations'
   * labels and dependencies are also held compressed from the start of the run (../held-fields.ts:
   * each operation is replaced in `plan.operations` by an equal one).
   */
  releaseFinished?: boolean;
  /**
   * The run's outcomes are set aside as it ends (`ExecutionResult.outcomesAside`, ./outcomes-aside.ts),
   * never made as a list: for a caller that reads them through `outcomesOf` and takes them back
   * itself (src/ops/restore-pipeline.ts verifyRestore, for a restore that owns its archive).
   */
  outcomesAside?: boolean;
}

export type OpOutcome =
  | 'created'
  | 'restored'
  | 'updated'
  | 'related'
  | 'enabled'
  /** the effect was already present (resume, or a second run): nothing written */
  | 'alreadyPresent'
  /** done in an earlier run according to the journal */
  | 'resumed'
  /** CA policy left report-only (operator did not ask to enable, or references did not verify) */
  | 'leftReportOnly'
  | 'verify'
  | 'failed'
  /** not run because a dependency failed */
  | 'skipped'
  /** not started because the run was paused */
  | 'notRun';

export interface OpResult {
  opId: string;
  kind: Operation['kind'];
  tier: RestoreTier;
  label: string;
  outcome: OpOutcome;
  liveId?: string;
  /** `next`: the operator's next step, when the failure names one (VaultError.hint). */
  error?: { code: ErrorCode; message: string; next?: string };
}

export interface TierTiming {
  tier: RestoreTier;
  total: number;
  succeeded: number;
  failed: number;
  /** First start to last finish of this tier's ops in this run. */
  ms: number;
}

export interface ExecutionResult {
  /** Every op's outcome in plan order; empty while `outcomesAside` holds them. */
  outcomes: OpResult[];
  /**
   * The outcomes set aside (ExecuteOptions.outcomesAside), `outcomes` being empty until the caller
   * takes them back (`outcomes = outcomesAside.take()`, then deletes this). Read them with
   * ./outcomes-aside.ts `outcomesOf`, which reads either.
   */
  outcomesAside?: OutcomesAside;
  tiers: TierTiming[];
  counts: Record<OpOutcome, number>;
  failures: { opId: string; label: string; code: ErrorCode; message: string; next?: string }[];
  /** Archived id → live id: the plan's map plus everything created/restored/adopted. */
  idMap: Record<string, string>;
  /** Archived application/SP object id → live appId, for objects created or restored. */
  liveAppIds: Record<string, string>;
  /** True when the run paused (the signal, or Graph throttling past the deadline) before every op ran. */
  paused: boolean;
  /** Why the run paused by itself: the first operation Graph kept throttling past the deadline. */
  pauseReason?: string;
  /** Mutating Graph calls made by this run. */
  writeCalls: number;
  elapsedMs: number;
  /**
   * Milliseconds from the start of this run until the first Global Administrator grant of
   * the bootstrap tier succeeded (run.ts grantsGlobalAdmin); absent when the plan grants none.
   */
  firstGlobalAdminMs?: number;
}

/**
 * Runs `plan` against the target.
 * Never logs, journals or reports a password or a request body; never deletes anything.
 * Per-op Graph failures become `failed` outcomes (their dependants `skipped`); the run
 * continues with independent ops.
 * @throws only on journal I/O failure or a bug (non-VaultError)
 */
export async function executePlan(plan: Plan, opts: ExecuteOptions): Promise<ExecutionResult> {
  const started = opts.clock.now().getTime();
  // a plan spent as it runs holds its labels and dependencies compressed while it runs (../held-fields.ts)
  if (opts.releaseFinished) holdFields(plan.operations);
  const idMap = new Map(Object.entries(plan.idMap));
  const appIds = new Map<string, string>();
  // the run finds its ops by plan position, and by op id through this index, which holds no op id
  // string: an edge operation's is made each time it is read (../plan/relation-op.ts), and at 100k
  // users the 250,000 kept for the run's maps were 27 MiB (docs/design.md "Session 42")
  const index = DigestIndex.of(opIdsOf(plan.operations), plan.operations.length);
  const results = resumeFromJournal(plan, opts.journal, idMap, appIds);
  const run = new PlanRun(plan, index, opts, countWrites(opts.graph), idMap, appIds, results);
  await run.drive();
  return run.summary(started);
}

/** The op ids of `ops` in order, each made as it is asked for: never all of them at once (an edge's is made when read). */
function* opIdsOf(ops: readonly Operation[]): Generator<string> {
  for (const o of ops) yield o.opId;
}

/**
 * What earlier runs established, from the journal: ops recorded `done` are `resumed`
 * (not touched again) and their live ids and appIds join the maps.
 */
function resumeFromJournal(plan: Plan, journal: Journal, idMap: Map<string, string>, appIds: Map<string, string>): Settled {
  const results = new Settled(plan.operations.length);
  for (const [i, op] of plan.operations.entries()) {
    const last = journal.latest(op.opId);
    const archivedId = archivedIdOf(op);
    if (last?.state === 'done') {
      if (last.liveId && archivedId) idMap.set(archivedId, last.liveId);
      if (last.liveAppId && archivedId) appIds.set(archivedId, last.liveAppId);
      results.set(i, op, { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'resumed', ...(last.liveId ? { liveId: last.liveId } : {}) });
    }
  }
  return results;
}
