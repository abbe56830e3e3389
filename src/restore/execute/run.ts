/**
 * One execution of a plan (./executor.ts executePlan): the dependency bookkeeping, the
 * ready queue (lowest tier first, then plan order), bounded concurrency, the journal
 * records around every unit of work, per-tier progress and timing, and the summary.
 * What each operation does to Graph is in ./objects.ts, ./relations.ts and ./access.ts.
 */
import { memMark, memMarkEvery } from '../../mem-probe.js';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../../catalog/permissions.js';
import type { RestoreTier } from '../../catalog/types.js';
import { VaultError } from '../../errors.js';
import type { JsonObject } from '../../model.js';
import type { Operation, Plan, RefSlot } from '../types.js';
import type { ExecuteOptions, ExecutionResult, OpOutcome, OpResult, TierTiming } from './executor.js';
import type { JournalEntry } from './journal.js';
import { BIND_MAX, isBindable, relationPath } from './endpoints.js';
import type { CountingGraph } from './graph.js';
import { archivedIdOf, asVaultError, failure, withNext, type Ctx, type Done } from './context.js';
import { runCreate, runRestoreDeleted, runUpdate } from './objects.js';
import { runAddRelation, runRelationGroup, type RelationOp } from './relations.js';
import { runBreakGlass, runEnableCa } from './access.js';
import { RankHeap } from '../rank-heap.js';
import { bareResult, type Settled } from './settled.js';
import { Waiting } from './waiting.js';
import { OutcomesAside } from './outcomes-aside.js';
import type { DigestIndex } from '../../digest-index.js';

const SPENT_BODY: JsonObject = Object.freeze({}) as JsonObject;
const NO_REFS: RefSlot[] = Object.freeze([]) as unknown as RefSlot[];

/**
 * What a finished write no longer needs (ExecuteOptions.releaseFinished): its request was sent.
 * Its `dependsOn` stays: the order it ran in is part of the plan as run (tests and reports read
 * it), and it is a few ids. A conditional-access policy keeps its refs: the step that later
 * switches it on verifies each of them (access.ts verifyCaReferences). Frozen placeholders, so
 * code that wrongly wrote to a spent op would throw instead of sharing the write.
 */
function spend(op: Operation): void {
  if ((op.kind === 'create' || op.kind === 'update') && op.type !== 'conditionalAccessPolicy') {
    op.body = SPENT_BODY;
    op.refs = NO_REFS;
  }
}

/**
 * A bootstrap (tier 0) op after which someone holds Global Administrator: the break-glass
 * admin, or a grant of the role (assignment or active PIM schedule) to a bootstrap admin.
 * Its success is the moment the tenant has a working administrator again (issue 17 item 4:
 * the figure `drill` and `bench` print as time to the first Global Administrator).
 */
export function grantsGlobalAdmin(op: Operation): boolean {
  if (op.tier !== 0) return false;
  if (op.kind === 'createBreakGlassAdmin') return true;
  return op.kind === 'create' && (op.type === 'roleAssignment' || op.type === 'roleAssignmentSchedule') && op.body['roleDefinitionId'] === GLOBAL_ADMIN_TEMPLATE_ID;
}

/** Outcomes after which dependants may run. */
export const SUCCESS: ReadonlySet<OpOutcome> = new Set(['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify']);

/**
 * Extra rounds a bootstrap op gets after the pacer's deadline ran out, each a full deadline
 * (src/graph/pacing.ts DEFAULT_DEADLINE_MS): the bootstrap tier is retried longest.
 */
const BOOTSTRAP_EXTRA_ROUNDS = 2;

/** An answer that only says Graph was still throttling or unavailable when the deadline passed. */
function isOutlasted(d: Done | VaultError | undefined): d is VaultError {
  return d instanceof VaultError && (d.code === 'GRAPH_THROTTLED' || d.code === 'GRAPH_UNAVAILABLE');
}

const OUTCOMES: readonly OpOutcome[] = ['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify', 'failed', 'skipped', 'notRun'];

function runOp(op: Operation, ctx: Ctx): Promise<Done> {
  // Security defaults come off only for CA policies that are switched on: a restore that
  // leaves them report-only keeps the defaults on, never neither (restore/plan/operations.ts).
  if ((op.kind === 'create' || op.kind === 'update') && op.type === 'identitySecurityDefaultsEnforcementPolicy' && op.body['isEnabled'] === false && !ctx.opts.enableConditionalAccess) {
    return Promise.resolve({ outcome: 'leftReportOnly' });
  }
  switch (op.kind) {
    case 'restoreDeleted':
      return runRestoreDeleted(op, ctx);
    case 'create':
      return runCreate(op, ctx);
    case 'update':
      return runUpdate(op, ctx);
    case 'addRelation':
      return runAddRelation(op, ctx);
    case 'createBreakGlassAdmin':
      return runBreakGlass(op, ctx);
    case 'enableConditionalAccess':
      return runEnableCa(op, ctx);
    case 'verify':
      // Verification is the scenario runner's second live read + fidelity (src/restore/fidelity.ts).
      return Promise.resolve({ outcome: 'verify' });
  }
}

/** The ops of one plan run, from the first ready op to the summary. */
/** Outcomes made between two memory marks as a run ends (`PlanRun.summary`): seven at 100k users, none at 10k. */
const OUTCOMES_PER_MARK = 50_000;

export class PlanRun {
  private readonly ops: Operation[];
  private readonly ctxBase: Omit<Ctx, 'recheck'>;
  /** Unmet dependencies of each op not yet started or settled, and who waits on whom (./waiting.ts). */
  private readonly waiting: Waiting;
  /**
   * Plan positions of the ops whose dependencies are all met, not yet in the heap. The run passes
   * ops around by plan position, never looking one up by op id once it runs (./settled.ts).
   */
  private readonly ready: number[] = [];
  /** Ready ops' plan positions by rank: tier × ops + plan position (src/restore/rank-heap.ts). */
  private readonly heap = new RankHeap<number>();
  /**
   * Ready edges of bindable relations (plan positions), by relation and source, for start() to
   * send together: each a queue read from `head` on (see unitOf).
   */
  private readonly readyEdges = new Map<string, { items: number[]; head: number }>();
  /**
   * Edges still to settle per relation and source (keyed as readyEdges): when a source's last one
   * settles, the run forgets that source's live edges (Ctx.edges, ./relations.ts edgeSet), which it
   * otherwise kept to the end of the run, one list per source: at 100k users about 80,000 of them,
   * each a path, a promise and a set (issue 17 item 1).
   */
  private readonly edgesLeft = new Map<string, number>();
  private readonly running = new Map<number, Promise<void>>();
  private unitSeq = 0;
  private readonly tierTotals = new Map<RestoreTier, number>();
  private readonly tierDone = new Map<RestoreTier, number>();
  private readonly tierStart = new Map<RestoreTier, number>();
  private readonly tierEnd = new Map<RestoreTier, number>();
  /** When the first Global Administrator grant succeeded (epoch ms); see grantsGlobalAdmin. */
  private firstGlobalAdminAt: number | undefined;
  private paused = false;
  /** Why the run paused by itself (Graph kept throttling past the deadline); absent on a signal. */
  private pauseReason: string | undefined;
  /** How many times each bootstrap op was sent again after Graph's deadline ran out. */
  private readonly bootstrapRetries = new Map<string, number>();
  /** Ops of this run that settled failed or skipped (the run counts every progress event carries). */
  private failedCount = 0;
  private skippedCount = 0;

  /**
   * `results` holds what the journal says earlier runs did; this run adds to it. `index`: the
   * plan's op ids, entry i the op at plan position i (./executor.ts).
   */
  constructor(
    plan: Plan,
    index: DigestIndex,
    private readonly opts: ExecuteOptions,
    private readonly graph: CountingGraph,
    private readonly idMap: Map<string, string>,
    private readonly appIds: Map<string, string>,
    private readonly results: Settled,
  ) {
    this.ops = plan.operations;
    this.ctxBase = { graph, opts, plan, idMap, appIds, edges: new Map(), createdHere: new Set(), appIdLookups: new Map() };
    const met = (d: number): boolean => {
      const o = results.outcome(d);
      return o !== undefined && SUCCESS.has(o);
    };
    this.waiting = new Waiting(this.ops, index, (i) => results.outcome(i) !== undefined, met);
    this.ops.forEach((op, i) => {
      this.tierTotals.set(op.tier, (this.tierTotals.get(op.tier) ?? 0) + 1);
      if (!this.waiting.waits(i)) {
        // done by an earlier run (the journal): counts as done in its tier
        this.tierDone.set(op.tier, (this.tierDone.get(op.tier) ?? 0) + 1);
        if (opts.releaseFinished) spend(op);
      } else {
        if (op.kind === 'addRelation') {
          const key = this.edgeKey(op);
          this.edgesLeft.set(key, (this.edgesLeft.get(key) ?? 0) + 1);
        }
        if (this.waiting.unmet(i) === 0) this.ready.push(i);
      }
    });
  }

  /** The op at plan position `i`. */
  private op(i: number): Operation {
    return this.ops[i] as Operation;
  }

  /**
   * Runs every op that can run, `concurrency` units at a time, until none is left or
   * the signal pauses the run (in-flight units finish, nothing new starts).
   */
  async drive(): Promise<void> {
    this.failUnplannable();
    const concurrency = Math.max(1, this.opts.concurrency ?? 4);
    for (;;) {
      if (this.opts.signal?.aborted) this.paused = true;
      // A pause for throttling still lets the bootstrap tier finish (heap order: tier 0 first).
      const bootstrapOnly = this.paused && !this.opts.signal?.aborted && this.pauseReason !== undefined;
      if (!this.paused || bootstrapOnly) {
        this.sortReady();
        while (this.running.size < concurrency && this.heap.size > 0 && (!bootstrapOnly || this.op(this.heap.peek() as number).tier === 0)) {
          const next = this.heap.pop() as number;
          // an op settled as skipped while waiting (a dependency failed), or already sent
          // with another edge of its group, no longer runs
          if (this.waiting.waits(next)) this.start(this.unitOf(next));
        }
      }
      if (this.running.size === 0) break;
      await Promise.race(this.running.values());
    }
  }

  /** A dependency the plan does not contain can never be met: fail the op (and its dependants) up front. */
  private failUnplannable(): void {
    const blocked = this.ops.flatMap((x, i) => (this.waiting.waits(i) && !this.waiting.hasAll(x.dependsOn) ? [i] : []));
    for (const i of blocked) {
      if (!this.waiting.waits(i)) continue;
      const o = this.op(i);
      this.waiting.leave(i);
      const r = this.ready.indexOf(i);
      if (r >= 0) this.ready.splice(r, 1);
      this.opts.journal.append({ opId: o.opId, state: 'failed', error: 'PLAN_BLOCKED' });
      this.settle(i, failure(o, new VaultError('PLAN_BLOCKED', `${o.label}: depends on an operation that is not in the plan`)));
    }
  }

  private edgeKey(op: RelationOp): string {
    return `${op.relation}\u0000${op.from}`;
  }

  /** Moves newly ready ops into the heap: lowest tier first, then in plan order. */
  private sortReady(): void {
    const n = this.ops.length;
    for (const i of this.ready.splice(0)) {
      const o = this.op(i);
      this.heap.push(i, o.tier * n + i);
      if (o.kind === 'addRelation' && isBindable(o.relation)) {
        const key = this.edgeKey(o);
        const queue = this.readyEdges.get(key);
        if (queue) queue.items.push(i);
        else this.readyEdges.set(key, { items: [i], head: 0 });
      }
    }
  }

  /** Records the result of the op at plan position `i`, reports progress, and releases or skips its dependants. */
  private settle(i: number, r: OpResult): void {
    const { opts } = this;
    const op = this.op(i);
    this.results.set(i, op, r);
    const now = opts.clock.now().getTime();
    this.tierEnd.set(op.tier, now);
    if (this.firstGlobalAdminAt === undefined && SUCCESS.has(r.outcome) && grantsGlobalAdmin(op)) this.firstGlobalAdminAt = now;
    const done = (this.tierDone.get(op.tier) ?? 0) + 1;
    this.tierDone.set(op.tier, done);
    const t0 = this.tierStart.get(op.tier) ?? now;
    const secs = (now - t0) / 1000;
    if (r.outcome === 'failed') this.failedCount++;
    else if (r.outcome === 'skipped') this.skippedCount++;
    const bad = r.outcome === 'failed' || r.outcome === 'skipped' ? r.outcome : undefined;
    opts.reporter.report({
      kind: 'progress',
      phase: `restore tier ${op.tier}`,
      item: op.label,
      done,
      total: this.tierTotals.get(op.tier) ?? done,
      ...(secs > 0 ? { ratePerSec: Math.round((done / secs) * 10) / 10 } : {}),
      // the whole run, so a screen can count failures as they happen (issue 12 item 12)
      run: { done: this.results.size, total: this.ops.length, failed: this.failedCount, skipped: this.skippedCount },
      ...(bad ? { outcome: bad, ...(r.error ? { reason: `[${r.error.code}] ${withNext(r.error)}` } : {}) } : {}),
    });
    for (const d of this.waiting.release(i)) {
      if (!this.waiting.waits(d)) continue;
      const dop = this.op(d);
      if (!SUCCESS.has(r.outcome)) {
        this.waiting.leave(d);
        // Record the skip without journaling a write: the dependant may run on resume.
        this.settle(d, { opId: dop.opId, kind: dop.kind, tier: dop.tier, label: dop.label, outcome: 'skipped', error: { code: 'PLAN_BLOCKED', message: `${dop.label}: not run because ${op.label} did not succeed` } });
        opts.journal.append({ opId: dop.opId, state: 'skipped', error: 'PLAN_BLOCKED' });
        continue;
      }
      if (this.waiting.meet(d) === 0) this.ready.push(d);
    }
    if (opts.releaseFinished) spend(op);
    if (op.kind === 'addRelation') this.edgeSettled(op);
  }

  /** One edge of `op`'s source settled; after its last, the source's live edges are let go of. */
  private edgeSettled(op: RelationOp): void {
    const key = this.edgeKey(op);
    const left = (this.edgesLeft.get(key) ?? 1) - 1;
    if (left > 0) {
      this.edgesLeft.set(key, left);
      return;
    }
    this.edgesLeft.delete(key);
    const from = this.idMap.get(op.from);
    // read again should another op of this path come (two archived sources of one live object)
    if (from) this.ctxBase.edges.delete(relationPath(op.relation, from));
  }

  /**
   * Journals and settles what one unit of work returned, op by op. An op that Graph kept
   * throttling (or answering 5xx) until the pacer's per-operation deadline passed is not
   * failed: the run pauses at this operation boundary (nothing new starts, in-flight work
   * finishes), the op stays `started` in the journal, and `--resume` sends it again after
   * a natural-key recheck (docs/design.md "Journal"). A bootstrap op (tier 0: the way back
   * into a locked-out tenant) is first sent again up to BOOTSTRAP_EXTRA_ROUNDS times.
   */
  private finish(unit: number[], outs: Array<Done | VaultError>): void {
    const again = unit.filter((at, i) => isOutlasted(outs[i]) && this.op(at).tier === 0 && this.retryBootstrap(this.op(at)));
    if (again.length > 0) {
      this.opts.reporter.report({ kind: 'log', level: 'info', message: `Graph still throttling: sending ${again.length} bootstrap operation(s) again` });
      this.start(again);
    }
    // the unit's records in one write (Journal.appendAll), then what each result releases
    const records: JournalEntry[] = [];
    const results: Array<[number, OpResult]> = [];
    unit.forEach((at, i) => {
      const op = this.op(at);
      const d = outs[i] as Done | VaultError;
      if (again.includes(at)) return;
      if (isOutlasted(d)) {
        this.pauseFor(op, d);
        return;
      }
      if (d instanceof VaultError) {
        records.push({ opId: op.opId, state: 'failed', error: d.code });
        results.push([at, failure(op, d)]);
        return;
      }
      const archivedId = archivedIdOf(op);
      if (d.liveId && archivedId) this.idMap.set(archivedId, d.liveId);
      if (d.liveAppId && archivedId) this.appIds.set(archivedId, d.liveAppId);
      if (d.outcome === 'created' && d.liveId) this.ctxBase.createdHere.add(d.liveId);
      const state = d.outcome === 'leftReportOnly' ? 'skipped' : 'done';
      records.push({ opId: op.opId, state, ...(d.liveId ? { liveId: d.liveId } : {}), ...(d.liveAppId ? { liveAppId: d.liveAppId } : {}), ...(d.outcome === 'alreadyPresent' ? { adopted: true } : {}) });
      results.push([at, { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: d.outcome, ...(d.liveId ? { liveId: d.liveId } : {}) }]);
    });
    if (records.length > 0) this.opts.journal.appendAll(records);
    for (const [at, r] of results) this.settle(at, r);
  }

  private retryBootstrap(op: Operation): boolean {
    const n = this.bootstrapRetries.get(op.opId) ?? 0;
    if (n >= BOOTSTRAP_EXTRA_ROUNDS || this.opts.signal?.aborted) return false;
    this.bootstrapRetries.set(op.opId, n + 1);
    return true;
  }

  /** Pauses the run: `op` is left unsettled (it reports as notRun) and journaled `started`. */
  private pauseFor(op: Operation, e: VaultError): void {
    this.paused = true;
    this.pauseReason ??= `${op.label}: ${e.message}`;
    this.opts.reporter.report({ kind: 'log', level: 'info', message: `pausing: Graph kept answering ${e.code} past the retry deadline (${op.label}); run restore --resume later` });
  }

  /**
   * Starts ops as one unit of work (one concurrency slot): a single op, or up to 20
   * ready edges of one bindable relation sent as one PATCH (runRelationGroup).
   */
  private start(unit: number[]): void {
    const { opts } = this;
    let recheck = false;
    const ops = unit.map((i) => this.op(i));
    for (const [k, op] of ops.entries()) {
      this.waiting.leave(unit[k] as number);
      if (!this.tierStart.has(op.tier)) {
        // The mark first: in the CLI it is a full collection (src/cli/mem-log.ts), about 0.9 s at
        // 100k users, which counted as the tier's own time and made a 7-op tier look slow. And only
        // when nothing is in flight: a tier often starts while the previous one's last ops wait on
        // Graph, and the collection stopped them too (at 100k, 0.85–0.9 s of tier 1's 1.1 s and of
        // tier 4's 1.4 s, found with --trace-gc; issue 17 item 2). A tier started mid-flight is not marked.
        if (this.running.size === 0) memMark(`execute:tier${op.tier}-start`);
        this.tierStart.set(op.tier, opts.clock.now().getTime());
        opts.reporter.report({ kind: 'phase', phase: `restore tier ${op.tier}`, message: `tier ${op.tier}: ${this.tierTotals.get(op.tier) ?? 0} operations` });
      }
      if (opts.journal.latest(op.opId)?.state === 'started') recheck = true;
    }
    // one write for the unit's records (Journal.appendAll)
    opts.journal.appendAll(ops.map((op) => ({ opId: op.opId, state: 'started' as const })));
    const ctx: Ctx = { ...this.ctxBase, recheck };
    // The 'started' records are durable before anything is written to Graph (group commit).
    const synced = opts.journal.sync ? opts.journal.sync() : Promise.resolve();
    const first = ops[0] as Operation;
    const run: () => Promise<Array<Done | VaultError>> =
      ops.length === 1 ? () => runOp(first, ctx).then((d) => [d], (e: unknown) => [asVaultError(e)]) : () => runRelationGroup(ops as RelationOp[], ctx);
    // Keyed by unit, not op: a bootstrap op sent again starts its new unit from finish().
    const key = ++this.unitSeq;
    const p = synced
      .then(run)
      .then((outs) => this.finish(unit, outs))
      .finally(() => this.running.delete(key));
    this.running.set(key, p);
  }

  /**
   * `op` plus up to 19 other ready edges of the same relation and source, the earliest ready
   * first. The queue is read from where the last unit stopped: copying what was left behind at
   * each unit cost a group of M members M²/40 copies (an "all users" group of 100,000 members:
   * 250 million, issue 17 item 2). Edges that wait no more are passed over where they stand:
   * `op` itself, and one that an earlier unit sent because its own turn in the heap came first.
   */
  private unitOf(at: number): number[] {
    const op = this.op(at);
    if (op.kind !== 'addRelation' || !isBindable(op.relation)) return [at];
    const key = this.edgeKey(op);
    const unit: number[] = [at];
    const queue = this.readyEdges.get(key);
    if (!queue) return unit;
    while (queue.head < queue.items.length && unit.length < BIND_MAX) {
      const o = queue.items[queue.head++] as number;
      if (o !== at && this.waiting.waits(o)) unit.push(o);
    }
    if (queue.head >= queue.items.length) this.readyEdges.delete(key);
    return unit;
  }

  /** The run's result: every op's outcome in plan order, counts, tier timings, maps. */
  summary(startedMs: number): ExecutionResult {
    // the run's garbage goes before its outcomes are made: the mark's collection (the CLI's,
    // src/cli/mem-log.ts) sets how far the heap may grow while they are (issue 17 item 1)
    memMark('execute:settled');
    const { ops, results } = this;
    const counts = Object.fromEntries(OUTCOMES.map((k) => [k, 0])) as Record<OpOutcome, number>;
    // one pass, no list per tier nor an empty list per op: at 100k users 350,000 outcomes, counted
    // as the run ends, when its memory peaks (issue 17 item 1)
    const byTier = new Map<RestoreTier, { total: number; succeeded: number; failed: number }>([...this.tierTotals.keys()].map((t) => [t, { total: 0, succeeded: 0, failed: 0 }]));
    const failures: ExecutionResult['failures'] = [];
    const count = (o: OpResult): OpResult => {
      counts[o.outcome]++;
      const t = byTier.get(o.tier);
      if (t) {
        t.total++;
        if (SUCCESS.has(o.outcome)) t.succeeded++;
        else if (o.outcome === 'failed') t.failed++;
      }
      if (o.error && o.outcome === 'failed') failures.push({ opId: o.opId, label: o.label, code: o.error.code, message: o.error.message, ...(o.error.next ? { next: o.error.next } : {}) });
      return o;
    };
    // a memory mark (a full collection in the CLI) every OUTCOMES_PER_MARK outcomes: at 100k users the
    // heap grew by about 100 MiB over the 350,000 made here, the restore's highest step (docs/design.md "Session 41")
    const tick = memMarkEvery('execute:outcomes', OUTCOMES_PER_MARK);
    function* each(): Generator<OpResult> {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i] as Operation;
        yield count(results.result(i, op) ?? bareResult(op, 'notRun'));
        tick();
      }
    }
    // set aside as each is made, when asked (./outcomes-aside.ts): never a list of 350,000 results at 100k users
    const aside = this.opts.outcomesAside ? OutcomesAside.of(each()) : undefined;
    const outcomes = aside ? [] : [...each()];
    const tiers: TierTiming[] = [...byTier]
      .sort((a, b) => a[0] - b[0])
      .map(([tier, t]) => ({ tier, ...t, ms: (this.tierEnd.get(tier) ?? 0) - (this.tierStart.get(tier) ?? this.tierEnd.get(tier) ?? 0) }));
    return {
      outcomes,
      ...(aside ? { outcomesAside: aside } : {}),
      tiers,
      counts,
      failures,
      idMap: Object.fromEntries(this.idMap),
      liveAppIds: Object.fromEntries(this.appIds),
      paused: this.paused && counts.notRun > 0,
      ...(this.pauseReason !== undefined ? { pauseReason: this.pauseReason } : {}),
      writeCalls: this.graph.writeCalls(),
      elapsedMs: this.opts.clock.now().getTime() - startedMs,
      ...(this.firstGlobalAdminAt !== undefined ? { firstGlobalAdminMs: this.firstGlobalAdminAt - startedMs } : {}),
    };
  }
}
