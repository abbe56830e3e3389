/**
 * The executor (DESIGN.md "Restore"): runs a Plan through a GraphClient in dependency
 * order with bounded concurrency, journaling every state change.
 *
 * Idempotency (RELIABILITY 12, 13): every operation first checks whether its effect is
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
import { VaultError, isVaultError, type ErrorCode } from '../../errors.js';
import type { GraphClient } from '../../graph/types.js';
import type { Json, JsonObject } from '../../model.js';
import type { Reporter } from '../../progress.js';
import type { RestoreTier, ResourceType } from '../../catalog/types.js';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../../catalog/permissions.js';
import type { CredentialsSink } from '../credentials.js';
import { canonicalJson, type Journal } from './journal.js';
import type { Operation, Plan } from '../types.js';
import {
  DIRECTORY_OBJECTS_BASE,
  PIM_REQUEST_PATH,
  PIM_SCHEDULE_PATH,
  collectionPath,
  itemPath,
  relationPath,
  restorePath,
  BIND_MAX,
  bindRequest,
  isBindable,
  type DescriptorLookup,
} from './endpoints.js';
import { countWrites, generateTemporaryPassword, isBadRequest, listAll, odataString, tryGet, withLagRetry, type CountingGraph } from './graph.js';
import { substituteRefs, type LiveIds } from './refs.js';

export type { DescriptorLookup, ExecDescriptor } from './endpoints.js';
import type { ExecDescriptor } from './endpoints.js';

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
  /** Replication-lag backoff (default 1, 2, 4, 8, 16 s per GRAPH-FACTS.md §5). */
  lagDelaysMs?: readonly number[];
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
  error?: { code: ErrorCode; message: string };
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
  outcomes: OpResult[];
  tiers: TierTiming[];
  counts: Record<OpOutcome, number>;
  failures: { opId: string; label: string; code: ErrorCode; message: string }[];
  /** Archived id → live id: the plan's map plus everything created/restored/adopted. */
  idMap: Record<string, string>;
  /** Archived application/SP object id → live appId, for objects created or restored. */
  liveAppIds: Record<string, string>;
  /** True when the signal paused the run before every op ran. */
  paused: boolean;
  /** Mutating Graph calls made by this run. */
  writeCalls: number;
  elapsedMs: number;
}

const SUCCESS: ReadonlySet<OpOutcome> = new Set(['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify']);

interface Done {
  outcome: OpOutcome;
  liveId?: string;
  liveAppId?: string;
}

interface Ctx {
  graph: CountingGraph;
  opts: ExecuteOptions;
  plan: Plan;
  idMap: Map<string, string>;
  appIds: Map<string, string>;
  /** Ops whose previous run stopped mid-call: look harder before writing. */
  recheck: boolean;
  /** Cached live edge lists per relation endpoint. */
  edges: Map<string, Promise<Set<string>>>;
  appIdLookups: Map<string, Promise<string | undefined>>;
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
  const graph = countWrites(opts.graph);
  const idMap = new Map(Object.entries(plan.idMap));
  const appIds = new Map<string, string>();
  const ops = plan.operations;
  const byId = new Map(ops.map((o) => [o.opId, o] as const));
  const results = new Map<string, OpResult>();

  // Rebuild what earlier runs established from the journal.
  for (const op of ops) {
    const last = opts.journal.latest(op.opId);
    const archivedId = archivedIdOf(op);
    if (last?.state === 'done') {
      if (last.liveId && archivedId) idMap.set(archivedId, last.liveId);
      if (last.liveAppId && archivedId) appIds.set(archivedId, last.liveAppId);
      results.set(op.opId, { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'resumed', ...(last.liveId ? { liveId: last.liveId } : {}) });
    }
  }

  const ctxBase = { graph, opts, plan, idMap, appIds, edges: new Map(), appIdLookups: new Map() };
  const concurrency = Math.max(1, opts.concurrency ?? 4);

  // Dependency bookkeeping: remaining unmet deps per op, dependants per op.
  const remaining = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  const ready: Operation[] = [];
  for (const op of ops) {
    if (results.has(op.opId)) continue;
    let n = 0;
    for (const dep of op.dependsOn) {
      const r = results.get(dep);
      if (r && SUCCESS.has(r.outcome)) continue;
      n++;
      const list = dependants.get(dep) ?? [];
      list.push(op.opId);
      dependants.set(dep, list);
    }
    remaining.set(op.opId, n);
    if (n === 0) ready.push(op);
  }

  // Per-tier progress and timing.
  const tierTotals = new Map<RestoreTier, number>();
  for (const op of ops) tierTotals.set(op.tier, (tierTotals.get(op.tier) ?? 0) + 1);
  const tierDone = new Map<RestoreTier, number>();
  const tierStart = new Map<RestoreTier, number>();
  const tierEnd = new Map<RestoreTier, number>();
  for (const r of results.values()) tierDone.set(r.tier, (tierDone.get(r.tier) ?? 0) + 1);

  // Ready ops run lowest tier first, then in plan order: a binary heap keeps that
  // O(log n) per op (plans reach hundreds of thousands of ops).
  const order = new Map(ops.map((o, i) => [o.opId, i]));
  const before = (a: Operation, b: Operation) => a.tier - b.tier || (order.get(a.opId) as number) - (order.get(b.opId) as number);
  const heap: Operation[] = [];
  const heapPush = (o: Operation) => {
    heap.push(o);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (before(heap[i] as Operation, heap[p] as Operation) >= 0) break;
      [heap[i], heap[p]] = [heap[p] as Operation, heap[i] as Operation];
      i = p;
    }
  };
  const heapPop = (): Operation | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Operation, heap[m] as Operation) < 0) m = l;
        if (r < heap.length && before(heap[r] as Operation, heap[m] as Operation) < 0) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Operation, heap[i] as Operation];
        i = m;
      }
    }
    return top;
  };
  /** Ready edges of bindable relations, by relation and source, for start() to send together. */
  const readyEdges = new Map<string, Operation[]>();
  const edgeKey = (op: RelationOp) => `${op.relation}\u0000${op.from}`;
  /** Moves newly ready ops into the heap. */
  const sortReady = () => {
    for (const o of ready.splice(0)) {
      heapPush(o);
      if (o.kind === 'addRelation' && isBindable(o.relation)) {
        const key = edgeKey(o);
        const list = readyEdges.get(key);
        if (list) list.push(o);
        else readyEdges.set(key, [o]);
      }
    }
  };
  const running = new Map<string, Promise<void>>();
  let paused = false;

  const settle = (op: Operation, r: OpResult) => {
    results.set(op.opId, r);
    const now = opts.clock.now().getTime();
    tierEnd.set(op.tier, now);
    const done = (tierDone.get(op.tier) ?? 0) + 1;
    tierDone.set(op.tier, done);
    const t0 = tierStart.get(op.tier) ?? now;
    const secs = (now - t0) / 1000;
    opts.reporter.report({
      kind: 'progress',
      phase: `restore tier ${op.tier}`,
      item: op.label,
      done,
      total: tierTotals.get(op.tier) ?? done,
      ...(secs > 0 ? { ratePerSec: Math.round((done / secs) * 10) / 10 } : {}),
    });
    const deps = dependants.get(op.opId) ?? [];
    for (const d of deps) {
      if (!remaining.has(d)) continue;
      const dop = byId.get(d) as Operation;
      if (!SUCCESS.has(r.outcome)) {
        remaining.delete(d);
        // Record the skip without journaling a write: the dependant may run on resume.
        settle(dop, { opId: d, kind: dop.kind, tier: dop.tier, label: dop.label, outcome: 'skipped', error: { code: 'PLAN_BLOCKED', message: `${dop.label}: not run because ${op.label} did not succeed` } });
        opts.journal.append({ opId: d, state: 'skipped', error: 'PLAN_BLOCKED' });
        continue;
      }
      const n = (remaining.get(d) ?? 1) - 1;
      remaining.set(d, n);
      if (n === 0) ready.push(dop);
    }
  };

  /**
   * Starts ops as one unit of work (one concurrency slot): a single op, or up to 20
   * ready edges of one bindable relation sent as one PATCH (runRelationGroup).
   */
  const start = (unit: Operation[]) => {
    let recheck = false;
    for (const op of unit) {
      remaining.delete(op.opId);
      if (!tierStart.has(op.tier)) {
        tierStart.set(op.tier, opts.clock.now().getTime());
        opts.reporter.report({ kind: 'phase', phase: `restore tier ${op.tier}`, message: `tier ${op.tier}: ${tierTotals.get(op.tier) ?? 0} operations` });
      }
      if (opts.journal.latest(op.opId)?.state === 'started') recheck = true;
      opts.journal.append({ opId: op.opId, state: 'started' });
    }
    const ctx: Ctx = { ...ctxBase, recheck };
    // The 'started' records are durable before anything is written to Graph (group commit).
    const synced = opts.journal.sync ? opts.journal.sync() : Promise.resolve();
    const first = unit[0] as Operation;
    const run: () => Promise<Array<Done | VaultError>> =
      unit.length === 1 ? () => runOp(first, ctx).then((d) => [d], (e: unknown) => [asVaultError(e)]) : () => runRelationGroup(unit as RelationOp[], ctx);
    const p = synced
      .then(run)
      .then((outs) => {
        unit.forEach((op, i) => {
          const d = outs[i] as Done | VaultError;
          if (d instanceof VaultError) {
            opts.journal.append({ opId: op.opId, state: 'failed', error: d.code });
            settle(op, failure(op, d));
            return;
          }
          const archivedId = archivedIdOf(op);
          if (d.liveId && archivedId) idMap.set(archivedId, d.liveId);
          if (d.liveAppId && archivedId) appIds.set(archivedId, d.liveAppId);
          const state = d.outcome === 'leftReportOnly' ? 'skipped' : 'done';
          opts.journal.append({ opId: op.opId, state, ...(d.liveId ? { liveId: d.liveId } : {}), ...(d.liveAppId ? { liveAppId: d.liveAppId } : {}), ...(d.outcome === 'alreadyPresent' ? { adopted: true } : {}) });
          settle(op, { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: d.outcome, ...(d.liveId ? { liveId: d.liveId } : {}) });
        });
      })
      .finally(() => running.delete(first.opId));
    running.set(first.opId, p);
  };

  /** `op` plus up to 19 other ready edges of the same relation and source. */
  const unitOf = (op: Operation): Operation[] => {
    if (op.kind !== 'addRelation' || !isBindable(op.relation)) return [op];
    const key = edgeKey(op);
    const unit: Operation[] = [op];
    const rest: Operation[] = [];
    for (const o of readyEdges.get(key) ?? []) {
      if (o === op || !remaining.has(o.opId)) continue;
      if (unit.length < BIND_MAX) unit.push(o);
      else rest.push(o);
    }
    if (rest.length > 0) readyEdges.set(key, rest);
    else readyEdges.delete(key);
    return unit;
  };

  // A dependency the plan does not contain can never be met: fail the op (and its dependants) up front.
  for (const o of ops.filter((x) => remaining.has(x.opId) && x.dependsOn.some((d) => !byId.has(d)))) {
    if (!remaining.has(o.opId)) continue;
    remaining.delete(o.opId);
    const i = ready.indexOf(o);
    if (i >= 0) ready.splice(i, 1);
    opts.journal.append({ opId: o.opId, state: 'failed', error: 'PLAN_BLOCKED' });
    settle(o, failure(o, new VaultError('PLAN_BLOCKED', `${o.label}: depends on an operation that is not in the plan`)));
  }

  for (;;) {
    if (opts.signal?.aborted) paused = true;
    if (!paused) {
      sortReady();
      while (running.size < concurrency && heap.length > 0) {
        const next = heapPop() as Operation;
        // an op settled as skipped while waiting (a dependency failed), or already sent
        // with another edge of its group, no longer runs
        if (remaining.has(next.opId)) start(unitOf(next));
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const outcomes = ops.map(
    (op) => results.get(op.opId) ?? { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'notRun' as const },
  );
  const counts = Object.fromEntries(
    (['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify', 'failed', 'skipped', 'notRun'] as OpOutcome[]).map((k) => [k, 0]),
  ) as Record<OpOutcome, number>;
  for (const o of outcomes) counts[o.outcome]++;
  const tiers: TierTiming[] = [...tierTotals.keys()]
    .sort((a, b) => a - b)
    .map((tier) => {
      const mine = outcomes.filter((o) => o.tier === tier);
      return {
        tier,
        total: mine.length,
        succeeded: mine.filter((o) => SUCCESS.has(o.outcome)).length,
        failed: mine.filter((o) => o.outcome === 'failed').length,
        ms: (tierEnd.get(tier) ?? 0) - (tierStart.get(tier) ?? tierEnd.get(tier) ?? 0),
      };
    });
  return {
    outcomes,
    tiers,
    counts,
    failures: outcomes.filter((o) => o.error && o.outcome === 'failed').map((o) => ({ opId: o.opId, label: o.label, code: (o.error as { code: ErrorCode }).code, message: (o.error as { message: string }).message })),
    idMap: Object.fromEntries(idMap),
    liveAppIds: Object.fromEntries(appIds),
    paused: paused && outcomes.some((o) => o.outcome === 'notRun'),
    writeCalls: graph.writeCalls(),
    elapsedMs: opts.clock.now().getTime() - started,
  };
}

/** An operation's own failure; anything that is not a VaultError is a bug and propagates. */
function asVaultError(e: unknown): VaultError {
  if (isVaultError(e)) return e;
  throw e;
}

function failure(op: Operation, e: VaultError): OpResult {
  return { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'failed', error: { code: e.code, message: e.message } };
}

function archivedIdOf(op: Operation): string | undefined {
  switch (op.kind) {
    case 'create':
    case 'update':
    case 'restoreDeleted':
      return op.archivedId;
    default:
      return undefined;
  }
}

function runOp(op: Operation, ctx: Ctx): Promise<Done> {
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

function liveIds(ctx: Ctx): LiveIds {
  return {
    id: (a) => ctx.idMap.get(a),
    appId: (target, archivedAppId) => ctx.plan.appIdMap[archivedAppId] ?? ctx.appIds.get(target),
  };
}

function lag<T>(ctx: Ctx, path: string, call: () => Promise<T>): Promise<T> {
  return withLagRetry(call, { clock: ctx.opts.clock, reporter: ctx.opts.reporter, path, ...(ctx.opts.lagDelaysMs ? { delays: ctx.opts.lagDelaysMs } : {}) });
}

/** Looks something up; when a previous run stopped mid-call, retries a miss through the lag window before concluding "absent". */
async function patientFind<T>(ctx: Ctx, find: () => Promise<T | undefined>): Promise<T | undefined> {
  const first = await find();
  if (first !== undefined || !ctx.recheck) return first;
  for (const ms of ctx.opts.lagDelaysMs ?? [1000, 2000, 4000]) {
    await ctx.opts.clock.sleep(ms);
    const again = await find();
    if (again !== undefined) return again;
  }
  return undefined;
}

function stringProp(o: unknown, k: string): string | undefined {
  const v = (o as Record<string, unknown> | null)?.[k];
  return typeof v === 'string' ? v : undefined;
}

async function resolveAppIds(ctx: Ctx, op: Extract<Operation, { kind: 'create' | 'update' }>): Promise<void> {
  // Objects matched at plan time may lack an appIdMap entry: read their live appId once.
  for (const slot of op.refs) {
    if (slot.by !== 'appId' && slot.by !== 'extensionName') continue;
    if (ctx.appIds.has(slot.archivedTargetId)) continue;
    const live = ctx.idMap.get(slot.archivedTargetId);
    if (!live) continue;
    const base = slot.targetType === 'servicePrincipal' ? '/servicePrincipals' : '/applications';
    let p = ctx.appIdLookups.get(live);
    if (!p) {
      p = tryGet<{ appId?: string }>(ctx.graph, `${base}/${encodeURIComponent(live)}?$select=id,appId`).then((r) => r?.appId);
      ctx.appIdLookups.set(live, p);
    }
    const appId = await p;
    if (appId) ctx.appIds.set(slot.archivedTargetId, appId);
  }
}

async function runRestoreDeleted(op: Extract<Operation, { kind: 'restoreDeleted' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  // Already back (a resumed or repeated run)? The id is kept by a restore (GRAPH-FACTS.md §4).
  const present = await patientFind(ctx, () => tryGet<Record<string, unknown>>(ctx.graph, itemPath(d, op.deletedId)));
  if (present) return { outcome: 'alreadyPresent', liveId: op.deletedId, ...appIdOf(op.type, present) };
  const res = await ctx.graph.post<Record<string, unknown>>(restorePath(d, op.deletedId), {});
  return { outcome: 'restored', liveId: stringProp(res, 'id') ?? op.deletedId, ...appIdOf(op.type, res) };
}

function appIdOf(type: ResourceType, obj: unknown): { liveAppId?: string } {
  if (type !== 'application' && type !== 'servicePrincipal') return {};
  const a = stringProp(obj, 'appId');
  return a ? { liveAppId: a } : {};
}

function parentLiveId(ctx: Ctx, op: { parentArchivedId?: string; label: string }): string | undefined {
  if (!op.parentArchivedId) return undefined;
  const p = ctx.idMap.get(op.parentArchivedId);
  if (!p) throw new VaultError('PLAN_BLOCKED', `${op.label}: parent ${op.parentArchivedId} has no live counterpart`);
  return p;
}

/** Finds a live object equal (by natural or composite key) to what `body` would create. */
async function findExisting(op: Extract<Operation, { kind: 'create' }>, body: JsonObject, ctx: Ctx, collection: string): Promise<Record<string, unknown> | undefined> {
  const g = ctx.graph;
  const same = (o: Record<string, unknown>, keys: string[]) => keys.every((k) => (o[k] ?? null) === (body[k] ?? null));
  switch (op.type) {
    case 'appRoleAssignment': {
      const resourceId = stringProp(body, 'resourceId');
      if (!resourceId) return undefined;
      const list = await listAll<Record<string, unknown>>(g, `/servicePrincipals/${encodeURIComponent(resourceId)}/appRoleAssignedTo`);
      return list.find((o) => same(o, ['principalId', 'appRoleId']));
    }
    case 'roleAssignment':
    case 'roleEligibilitySchedule':
    case 'roleAssignmentSchedule': {
      const principalId = stringProp(body, 'principalId');
      if (!principalId) return undefined;
      const base = op.type === 'roleAssignment' ? '/roleManagement/directory/roleAssignments' : (PIM_SCHEDULE_PATH[op.type] as string);
      const list = await filtered(g, base, 'principalId', principalId);
      return list.find((o) => same(o, ['roleDefinitionId', 'directoryScopeId']));
    }
    case 'oauth2PermissionGrant': {
      const clientId = stringProp(body, 'clientId');
      if (!clientId) return undefined;
      const list = await filtered(g, '/oauth2PermissionGrants', 'clientId', clientId);
      return list.find((o) => same(o, ['resourceId', 'consentType', 'principalId']));
    }
    default:
      break;
  }
  const d = ctx.opts.catalog(op.type);
  const key = op.naturalKey ?? naturalKeyOf(d.naturalKey, body);
  if (!key) return undefined;
  if (d.shape === 'contained') {
    const list = await listAll<Record<string, unknown>>(g, collection);
    return list.find((o) => o[key.property] === key.value);
  }
  const list = await filtered(g, collection, key.property, key.value);
  return list.find((o) => o[key.property] === key.value || (typeof o[key.property] === 'string' && (o[key.property] as string).toLowerCase() === key.value.toLowerCase()));
}

function naturalKeyOf(props: readonly string[], body: JsonObject): { property: string; value: string } | undefined {
  for (const p of props) {
    const v = body[p];
    if (typeof v === 'string' && v.length > 0) return { property: p, value: v };
  }
  return undefined;
}

/** `$filter=prop eq 'v'`; where the service rejects the filter (400), the whole collection is read and matched here. */
async function filtered(g: GraphClient, collection: string, prop: string, value: string): Promise<Record<string, unknown>[]> {
  const sep = collection.includes('?') ? '&' : '?';
  try {
    return await listAll<Record<string, unknown>>(g, `${collection}${sep}$filter=${prop}%20eq%20${odataString(value)}`);
  } catch (e) {
    if (!isBadRequest(e)) throw e;
    const all = await listAll<Record<string, unknown>>(g, collection);
    return all.filter((o) => o[prop] === value);
  }
}

async function runCreate(op: Extract<Operation, { kind: 'create' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  await resolveAppIds(ctx, op);
  const body = substituteRefs(op.body, op.refs, liveIds(ctx), op.label);
  const parent = parentLiveId(ctx, op);
  if (d.shape === 'singleton') {
    // Singletons always exist: "creating" one is writing its archived values back.
    return applyPatch(ctx, itemPath(d, '', parent), body, d);
  }
  const collection = collectionPath(d, parent);
  if (op.type === 'conditionalAccessPolicy' && body.state === 'enabled') {
    // Created report-only; only an enableConditionalAccess op switches it on after its references verify (RELIABILITY 22).
    body.state = 'enabledForReportingButNotEnforced';
  }
  const existing = await patientFind(ctx, () => findExisting(op, body, ctx, collection));
  if (existing) {
    const id = stringProp(existing, 'id') ?? stringProp(existing, 'targetScheduleId');
    return { outcome: 'alreadyPresent', ...(id ? { liveId: id } : {}), ...appIdOf(op.type, existing) };
  }
  let password: string | undefined;
  let path = collection;
  let sendBody: JsonObject = body;
  if (op.type === 'user' && (op.needsPassword || !('passwordProfile' in body))) {
    password = generateTemporaryPassword();
    sendBody = { ...body, passwordProfile: { forceChangePasswordNextSignIn: true, password } };
  } else if (op.type === 'appRoleAssignment') {
    path = `/servicePrincipals/${encodeURIComponent(String(body.resourceId))}/appRoleAssignedTo`;
  } else if (op.type === 'roleAssignment') {
    path = '/roleManagement/directory/roleAssignments';
  } else if (PIM_REQUEST_PATH[op.type]) {
    // PIM schedules are created through schedule requests (GRAPH-FACTS.md §1 roleManagement).
    path = PIM_REQUEST_PATH[op.type] as string;
    sendBody = pimRequest(body, ctx);
  }
  // Bodies that reference objects created moments ago may hit replication lag (GRAPH-FACTS.md §3 NoBackingApplicationObject, §5).
  let res: Record<string, unknown>;
  try {
    res = await lag(ctx, path, () => ctx.graph.post<Record<string, unknown>>(path, sendBody));
  } catch (e) {
    // A permanent role assignment and its PIM assignment schedule are one thing in Entra:
    // when a parallel op created it first, Graph answers RoleAssignmentExists. Adopt it.
    if (PIM_REQUEST_PATH[op.type] && (e as { graphCode?: string }).graphCode === 'RoleAssignmentExists') {
      const found = await patientFind(ctx, () => findExisting(op, body, ctx, collection));
      const id = found ? stringProp(found, 'id') : undefined;
      if (id) return { outcome: 'alreadyPresent', liveId: id };
    }
    throw e;
  }
  if (password !== undefined) {
    await ctx.opts.credentialsSink.add({ userPrincipalName: String(body.userPrincipalName), temporaryPassword: password });
    password = undefined;
  }
  const id = stringProp(res, 'targetScheduleId') && PIM_REQUEST_PATH[op.type] ? stringProp(res, 'targetScheduleId') : stringProp(res, 'id');
  if (!id) throw new VaultError('GRAPH_BAD_RESPONSE', `${op.label}: Graph returned no id for the created object`);
  return { outcome: 'created', liveId: id, ...appIdOf(op.type, res) };
}

function pimRequest(body: JsonObject, ctx: Ctx): JsonObject {
  const schedule = (body.scheduleInfo as JsonObject | undefined) ?? { startDateTime: ctx.opts.clock.now().toISOString(), expiration: { type: 'noExpiration' } };
  const out: JsonObject = {
    action: 'adminAssign',
    principalId: body.principalId ?? null,
    roleDefinitionId: body.roleDefinitionId ?? null,
    directoryScopeId: body.directoryScopeId ?? '/',
    justification: 'entra-vault restore',
    scheduleInfo: schedule,
  };
  if (typeof body.appScopeId === 'string') out.appScopeId = body.appScopeId;
  return out;
}

/** PATCHes only the properties whose live value differs; writes nothing when all match. */
async function applyPatch(ctx: Ctx, path: string, body: JsonObject, d: ExecDescriptor): Promise<Done> {
  // annotations (`@odata.type`) are not properties: never $select or compare them
  const keys = Object.keys(body).filter((k) => !k.startsWith('@'));
  if (keys.length === 0) return { outcome: 'alreadyPresent' };
  // Inline navigations (a method configuration's includeTargets) cannot be $selected:
  // Graph returns them on a plain GET of the object (catalog `inlineNavigation`).
  const inline = new Set(d.inlineNavigation ?? []);
  const sep = path.includes('?') ? '&' : '?';
  const read = keys.some((k) => inline.has(k)) ? path : `${path}${sep}$select=${keys.map(encodeURIComponent).join(',')}`;
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, unknown>>(read));
  const diff: JsonObject = {};
  for (const k of keys) if (canonicalJson(live?.[k] ?? null) !== canonicalJson(body[k] ?? null)) diff[k] = body[k] as Json;
  if (Object.keys(diff).length === 0) return { outcome: 'alreadyPresent' };
  await lag(ctx, path, () => ctx.graph.patch(path, diff));
  return { outcome: 'updated' };
}

async function runUpdate(op: Extract<Operation, { kind: 'update' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  await resolveAppIds(ctx, op);
  const body = substituteRefs(op.body, op.refs, liveIds(ctx), op.label);
  if (op.type === 'conditionalAccessPolicy' && body.state === 'enabled') body.state = 'enabledForReportingButNotEnforced';
  const liveId = d.shape === 'singleton' ? '' : ctx.idMap.get(op.archivedId);
  if (liveId === undefined) throw new VaultError('PLAN_BLOCKED', `${op.label}: archived ${op.archivedId} has no live counterpart`);
  const path = itemPath(d, liveId, parentLiveId(ctx, op));
  const r = await applyPatch(ctx, path, body, d);
  return d.shape === 'singleton' ? r : { ...r, liveId };
}

async function edgeSet(ctx: Ctx, path: string, single: boolean): Promise<Set<string>> {
  let p = ctx.edges.get(path);
  if (!p) {
    p = single
      ? tryGet<{ id?: string }>(ctx.graph, `${path}?$select=id`).then((m) => new Set(m?.id ? [m.id] : []))
      : listAll<{ id?: string }>(ctx.graph, `${path}?$select=id`).then((l) => new Set(l.map((x) => x.id).filter((x): x is string => typeof x === 'string')));
    ctx.edges.set(path, p);
  }
  return p;
}

type RelationOp = Extract<Operation, { kind: 'addRelation' }>;

/**
 * Up to 20 edges of one bindable relation from one source, as one PATCH (GRAPH-FACTS.md
 * §3, "Add several": all or nothing), instead of one `$ref` call each: a twentieth of the
 * write calls, which is what the write quota (3,000 per 150 s, §5) counts. Edges already
 * present are not sent. A 400 (one bad or already-present reference spoils the whole
 * PATCH) falls back to one `$ref` per edge, so the culprit fails alone.
 * Returns one Done or VaultError per op, in order.
 */
async function runRelationGroup(ops: RelationOp[], ctx: Ctx): Promise<Array<Done | VaultError>> {
  const first = ops[0] as RelationOp;
  const from = ctx.idMap.get(first.from);
  if (!from) return ops.map((op) => new VaultError('PLAN_BLOCKED', `${op.label}: source has no live counterpart`));
  const path = relationPath(first.relation, from);
  // A fresh read on a resumed op: the cached list may predate the crash.
  if (ctx.recheck) ctx.edges.delete(path);
  let edges: Set<string>;
  try {
    edges = await edgeSet(ctx, path, false);
  } catch (e) {
    const err = asVaultError(e);
    return ops.map(() => err);
  }
  const out: Array<Done | VaultError | undefined> = ops.map(() => undefined);
  const send: { i: number; to: string }[] = [];
  ops.forEach((op, i) => {
    const to = ctx.idMap.get(op.to);
    if (!to) out[i] = new VaultError('PLAN_BLOCKED', `${op.label}: target has no live counterpart`);
    else if (edges.has(to) || send.some((x) => x.to === to)) out[i] = { outcome: 'alreadyPresent' };
    else send.push({ i, to });
  });
  if (send.length > 1) {
    const req = bindRequest(first.relation, from, send.map((x) => x.to));
    try {
      // the members may have been created moments ago (GRAPH-FACTS.md §5): lag retries
      await lag(ctx, path, () => ctx.graph.patch(req.path, req.body));
      for (const x of send) {
        edges.add(x.to);
        out[x.i] = { outcome: 'related' };
      }
      return out as Array<Done | VaultError>;
    } catch (e) {
      const err = asVaultError(e);
      if (!isBadRequest(err)) {
        for (const x of send) out[x.i] = err;
        return out as Array<Done | VaultError>;
      }
    }
  }
  for (const x of send) {
    try {
      out[x.i] = await runAddRelation(ops[x.i] as RelationOp, ctx);
    } catch (e) {
      out[x.i] = asVaultError(e);
    }
  }
  return out as Array<Done | VaultError>;
}

async function runAddRelation(op: RelationOp, ctx: Ctx): Promise<Done> {
  const from = ctx.idMap.get(op.from);
  const to = ctx.idMap.get(op.to);
  if (!from || !to) throw new VaultError('PLAN_BLOCKED', `${op.label}: ${!from ? 'source' : 'target'} has no live counterpart`);
  const path = relationPath(op.relation, from);
  const single = op.relation === 'userManager';
  // A fresh read on a resumed op: the cached list may predate the crash.
  if (ctx.recheck) ctx.edges.delete(path);
  const edges = await edgeSet(ctx, path, single);
  if (edges.has(to)) return { outcome: 'alreadyPresent' };
  const ref = { '@odata.id': `${DIRECTORY_OBJECTS_BASE}${to}` };
  // $ref writes reference objects that may have been created moments ago (GRAPH-FACTS.md §3, §5).
  if (single) await lag(ctx, path, () => ctx.graph.put(`${path}/$ref`, ref));
  else {
    try {
      await lag(ctx, path, () => ctx.graph.post(`${path}/$ref`, ref));
    } catch (e) {
      // A concurrent or earlier add of the same edge: Graph answers 400 "already exist".
      if (!(isBadRequest(e) && /already exist/i.test((e as Error).message))) throw e;
      edges.add(to);
      return { outcome: 'alreadyPresent' };
    }
  }
  if (single) edges.clear();
  edges.add(to);
  return { outcome: 'related' };
}

async function runBreakGlass(op: Extract<Operation, { kind: 'createBreakGlassAdmin' }>, ctx: Ctx): Promise<Done> {
  const g = ctx.graph;
  let user = await patientFind(ctx, async () => (await filtered(g, '/users', 'userPrincipalName', op.userPrincipalName))[0]);
  let outcome: OpOutcome = 'alreadyPresent';
  if (!user) {
    const password = generateTemporaryPassword();
    const nick = op.userPrincipalName.split('@')[0]?.replace(/[^A-Za-z0-9._-]/g, '') || 'breakglass';
    user = await g.post<Record<string, unknown>>('/users', {
      accountEnabled: true,
      displayName: op.displayName,
      mailNickname: nick,
      userPrincipalName: op.userPrincipalName,
      passwordProfile: { forceChangePasswordNextSignIn: true, password },
    });
    await ctx.opts.credentialsSink.add({ userPrincipalName: op.userPrincipalName, temporaryPassword: password });
    outcome = 'created';
  }
  const userId = stringProp(user, 'id');
  if (!userId) throw new VaultError('GRAPH_BAD_RESPONSE', `${op.label}: Graph returned no id for the user`);
  // Global Administrator by template id at tenant scope: the documented way back (GRAPH-FACTS.md §7).
  const assignments = await patientFind(ctx, async () => {
    const l = await filtered(g, '/roleManagement/directory/roleAssignments', 'principalId', userId);
    const hit = l.filter((a) => a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID && (a.directoryScopeId ?? '/') === '/');
    return hit.length ? hit : undefined;
  });
  if (!assignments) {
    const path = '/roleManagement/directory/roleAssignments';
    await lag(ctx, path, () => g.post(path, { roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, principalId: userId, directoryScopeId: '/' }));
    outcome = 'created';
  }
  return { outcome, liveId: userId };
}

async function runEnableCa(op: Extract<Operation, { kind: 'enableConditionalAccess' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog('conditionalAccessPolicy');
  const liveId = ctx.idMap.get(op.archivedId);
  if (!liveId) throw new VaultError('PLAN_BLOCKED', `${op.label}: the policy has no live counterpart`);
  const blockedByPlan =
    ctx.plan.reportOnly.some((r) => r.archivedId === op.archivedId) ||
    ctx.plan.unresolved.some((u) => u.archivedId === op.archivedId && u.type === 'conditionalAccessPolicy');
  if (op.state !== 'disabled' && (!ctx.opts.enableConditionalAccess || blockedByPlan)) return { outcome: 'leftReportOnly', liveId };
  if (op.state !== 'disabled') await verifyCaReferences(op.archivedId, ctx);
  const path = itemPath(d, liveId);
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, unknown>>(`${path}?$select=id,state`));
  if (live.state === op.state) return { outcome: 'alreadyPresent', liveId };
  await lag(ctx, path, () => ctx.graph.patch(path, { state: op.state }));
  return { outcome: 'enabled', liveId };
}

/**
 * Before a CA policy is switched on, every object it references must resolve to a live
 * object that exists now (RELIABILITY 22: an unresolved reference never gets enforced).
 * @throws VaultError PLAN_BLOCKED naming the first reference that does not verify
 */
async function verifyCaReferences(archivedId: string, ctx: Ctx): Promise<void> {
  const src = ctx.plan.operations.find(
    (o): o is Extract<Operation, { kind: 'create' | 'update' }> => (o.kind === 'create' || o.kind === 'update') && o.type === 'conditionalAccessPolicy' && o.archivedId === archivedId,
  );
  for (const slot of src?.refs ?? []) {
    if (slot.by === 'roleTemplateId') continue;
    const live = slot.by === 'appId' ? ctx.idMap.get(slot.archivedTargetId) ?? (ctx.appIds.has(slot.archivedTargetId) ? 'app' : undefined) : ctx.idMap.get(slot.archivedTargetId);
    if (!live) throw new VaultError('PLAN_BLOCKED', `conditional-access policy ${archivedId}: reference ${slot.at.join('.')} does not resolve; the policy stays report-only`);
    if (slot.by !== 'id' || live === 'app') continue;
    const d = ctx.opts.catalog(slot.targetType);
    if (d.shape !== 'collection') continue;
    const path = itemPath(d, live);
    const ok = await withLagRetry(() => tryGet(ctx.graph, `${path}?$select=id`), { clock: ctx.opts.clock, reporter: ctx.opts.reporter, path });
    if (!ok) throw new VaultError('PLAN_BLOCKED', `conditional-access policy ${archivedId}: referenced ${slot.targetType} ${live} is not in the target; the policy stays report-only`);
  }
}
