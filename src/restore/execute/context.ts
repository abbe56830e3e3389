/**
 * What the operation runners share while a plan executes (./executor.ts): the counting
 * Graph client, the archived → live id maps as they grow, cached live edge lists and
 * appId lookups, and the helpers every runner uses (lag retries, patient lookups on
 * resume). Internal to src/restore/execute.
 */
import { VaultError, isVaultError } from '../../errors.js';
import type { ResourceType } from '../../catalog/types.js';
import type { Operation, Plan } from '../types.js';
import type { ExecuteOptions, OpOutcome, OpResult } from './executor.js';
import { tryGet, withLagRetry, type CountingGraph } from './graph.js';
import type { LiveIds } from './refs.js';

/** What one operation achieved; the run journals and reports it. */
export interface Done {
  outcome: OpOutcome;
  liveId?: string;
  liveAppId?: string;
}

/** The state shared by every operation of one run (one per unit of work: `recheck` differs). */
export interface Ctx {
  graph: CountingGraph;
  opts: ExecuteOptions;
  plan: Plan;
  idMap: Map<string, string>;
  appIds: Map<string, string>;
  /** Ops whose previous run stopped mid-call: look harder before writing. */
  recheck: boolean;
  /** Cached live edge lists per relation endpoint. */
  edges: Map<string, Promise<Set<string>>>;
  /**
   * Live ids of the objects this process created (outcome `created`, not adopted, restored or
   * done by an earlier run): their edges are the ones this run wrote (./relations.ts edgeSet).
   */
  createdHere: Set<string>;
  appIdLookups: Map<string, Promise<string | undefined>>;
}

/**
 * True when one of `ends` (live ids) is an object this process created (`Ctx.createdHere`) and
 * the op is not re-checked after a crash: a link from or to it was made by this run or not at
 * all (each archived link is one op, Graph holds no two alike, and nothing is created with
 * `@odata.bind`), so there is nothing to look for in the target. A tenant-loss restore creates
 * every source, principal and client it links (issue 17 item 2: a manager was a GET and a PUT).
 * A re-run of the same plan adopts those objects instead of creating them, so it still looks
 * (docs/reliability.md 13). Used for edge lists (./relations.ts edgeSet) and for app role
 * assignments and delegated grants (./objects.ts findExisting).
 */
export function newHere(ctx: Ctx, ...ends: Array<string | undefined>): boolean {
  return !ctx.recheck && ends.some((id) => id !== undefined && ctx.createdHere.has(id));
}

/** An operation's own failure; anything that is not a VaultError is a bug and propagates. */
export function asVaultError(e: unknown): VaultError {
  if (isVaultError(e)) return e;
  throw e;
}

/** A failure's message with its next step, when it names one: `message; next: step` (progress line, report, wizard). */
export function withNext(f: { message: string; next?: string }): string {
  return f.next ? `${f.message}; next: ${f.next}` : f.message;
}

/** The `failed` result of an operation. */
export function failure(op: Operation, e: VaultError): OpResult {
  // the next step travels with the failure: a report that says what failed also says what to do
  return { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'failed', error: { code: e.code, message: e.message, ...(e.hint ? { next: e.hint } : {}) } };
}

/** The archived object an operation brings back (create, update, restore), if any. */
export function archivedIdOf(op: Operation): string | undefined {
  switch (op.kind) {
    case 'create':
    case 'update':
    case 'restoreDeleted':
      return op.archivedId;
    default:
      return undefined;
  }
}

/** Live ids and appIds as known now, for reference substitution (./refs.ts). */
export function liveIds(ctx: Ctx): LiveIds {
  return {
    id: (a) => ctx.idMap.get(a),
    appId: (target, archivedAppId) => ctx.plan.appIdMap[archivedAppId] ?? ctx.appIds.get(target),
  };
}

/** Runs a Graph call with replication-lag retries (./graph.ts withLagRetry) at the run's delays. */
export function lag<T>(ctx: Ctx, path: string, call: () => Promise<T>): Promise<T> {
  return withLagRetry(call, { clock: ctx.opts.clock, reporter: ctx.opts.reporter, path, ...(ctx.opts.lagDelaysMs ? { delays: ctx.opts.lagDelaysMs } : {}) });
}

/** Looks something up; when a previous run stopped mid-call, retries a miss through the lag window before concluding "absent". */
export async function patientFind<T>(ctx: Ctx, find: () => Promise<T | undefined>): Promise<T | undefined> {
  const first = await find();
  if (first !== undefined || !ctx.recheck) return first;
  for (const ms of ctx.opts.lagDelaysMs ?? [1000, 2000, 4000]) {
    await ctx.opts.clock.sleep(ms);
    const again = await find();
    if (again !== undefined) return again;
  }
  return undefined;
}

/** A string property of a Graph response, if present. */
export function stringProp(o: unknown, k: string): string | undefined {
  const v = (o as Record<string, unknown> | null)?.[k];
  return typeof v === 'string' ? v : undefined;
}

/** Reads, once per live object, the appIds an op's references need and the plan does not map. */
export async function resolveAppIds(ctx: Ctx, op: Extract<Operation, { kind: 'create' | 'update' }>): Promise<void> {
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

/** The live appId of an application or service principal Graph returned. */
export function appIdOf(type: ResourceType, obj: unknown): { liveAppId?: string } {
  if (type !== 'application' && type !== 'servicePrincipal') return {};
  const a = stringProp(obj, 'appId');
  return a ? { liveAppId: a } : {};
}

/**
 * The live id of an op's parent (undefined when it has none).
 * @throws VaultError PLAN_BLOCKED when the parent has no live counterpart
 */
export function parentLiveId(ctx: Ctx, op: { parentArchivedId?: string; label: string }): string | undefined {
  if (!op.parentArchivedId) return undefined;
  const p = ctx.idMap.get(op.parentArchivedId);
  if (!p) throw new VaultError('PLAN_BLOCKED', `${op.label}: parent ${op.parentArchivedId} has no live counterpart`);
  return p;
}
