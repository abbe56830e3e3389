/**
 * Relation operations: one `$ref` write per edge, or up to 20 edges of one bindable
 * relation from one source as a single PATCH. Edges already present in the target are
 * not written (the live edge list is read once per endpoint and cached for the run).
 */
import { VaultError } from '../../errors.js';
import type { Operation } from '../types.js';
import { relationCatalog } from '../../catalog/index.js';
import { DIRECTORY_OBJECTS_BASE, bindRequest, relationPath } from './endpoints.js';
import { isBadRequest, listAll, tryGet } from './graph.js';
import { asVaultError, lag, newHere, type Ctx, type Done } from './context.js';

export type RelationOp = Extract<Operation, { kind: 'addRelation' }>;

/**
 * The live edges of the endpoint at `path` (read once per run, then kept as this run writes).
 * An object this process created has no edges but the ones this run wrote: it came from a POST
 * without `@odata.bind` (./objects.ts), so its list is known without the read, which cost a
 * request per source (for a manager, half of its requests; issue 17 item 2). A resumed op
 * (`recheck`) and an `addByAction` check read anyway. Should an edge be there after all
 * (something else added it since), the writes already take it as present: a `$ref` POST's 400
 * "already exist", a PATCH's 400 falling back to single adds, a manager PUT writing the same value.
 */
async function edgeSet(ctx: Ctx, path: string, single: boolean, source?: string): Promise<Set<string>> {
  let p = ctx.edges.get(path);
  if (!p && newHere(ctx, source)) {
    p = Promise.resolve(new Set<string>());
    ctx.edges.set(path, p);
  }
  if (!p) {
    p = single
      ? tryGet<{ id?: string }>(ctx.graph, `${path}?$select=id`).then((m) => new Set(m?.id ? [m.id] : []))
      : listAll<{ id?: string }>(ctx.graph, `${path}?$select=id`).then((l) => new Set(l.map((x) => x.id).filter((x): x is string => typeof x === 'string')));
    ctx.edges.set(path, p);
  }
  return p;
}

/**
 * Up to 20 edges of one bindable relation from one source, as one PATCH (docs/graph-facts.md
 * §3, "Add several": all or nothing), instead of one `$ref` call each: a twentieth of the
 * write calls, which is what the write quota (3,000 per 150 s, §5) counts. Edges already
 * present are not sent. A 400 (one bad or already-present reference spoils the whole
 * PATCH) falls back to one `$ref` per edge, so the culprit fails alone.
 * Returns one Done or VaultError per op, in order.
 */
export async function runRelationGroup(ops: RelationOp[], ctx: Ctx): Promise<Array<Done | VaultError>> {
  const first = ops[0] as RelationOp;
  const from = ctx.idMap.get(first.from);
  if (!from) return ops.map((op) => new VaultError('PLAN_BLOCKED', `${op.label}: source has no live counterpart`));
  const path = relationPath(first.relation, from);
  // A fresh read on a resumed op: the cached list may predate the crash.
  if (ctx.recheck) ctx.edges.delete(path);
  let edges: Set<string>;
  try {
    edges = await edgeSet(ctx, path, false, from);
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
      // the members may have been created moments ago (docs/graph-facts.md §5): lag retries
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

/**
 * Adds one edge with a `$ref` write (PUT for the single-valued manager) unless the live
 * edge list already has it.
 * @throws VaultError from Graph, or PLAN_BLOCKED when an end has no live counterpart
 */
export async function runAddRelation(op: RelationOp, ctx: Ctx): Promise<Done> {
  const from = ctx.idMap.get(op.from);
  const to = ctx.idMap.get(op.to);
  if (!from || !to) throw new VaultError('PLAN_BLOCKED', `${op.label}: ${!from ? 'source' : 'target'} has no live counterpart`);
  const path = relationPath(op.relation, from);
  const single = op.relation === 'userManager';
  // A fresh read on a resumed op: the cached list may predate the crash.
  if (ctx.recheck) ctx.edges.delete(path);
  const edges = await edgeSet(ctx, path, single, from);
  if (edges.has(to)) return { outcome: 'alreadyPresent' };
  const rel = relationCatalog.find((r) => r.kind === op.relation);
  if (rel?.addAction) return addByAction(ctx, op, rel.addAction, { from, to, path, edges });
  const ref = { '@odata.id': `${rel?.refBase ?? DIRECTORY_OBJECTS_BASE}${to}` };
  // $ref writes reference objects that may have been created moments ago (docs/graph-facts.md §3, §5).
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

/**
 * An edge Graph adds by an action of its target (`POST /groupLifecyclePolicies/{id}/addGroup`
 * `{ groupId }`, docs/graph-facts.md §3 "Group lifecycle policy"): `{ value: true }` is the
 * add; false means Graph did not add it (the policy is not `Selected`, the group is no
 * Microsoft 365 group, or 500 groups are already selected), which is a failure, never "done".
 * @throws VaultError GRAPH_REQUEST_FAILED when Graph answers false
 */
async function addByAction(ctx: Ctx, op: RelationOp, action: { path: string; param: string }, e: { from: string; to: string; path: string; edges: Set<string> }): Promise<Done> {
  const actionPath = action.path.replace('{to}', encodeURIComponent(e.to));
  const r = await lag(ctx, e.path, () => ctx.graph.post<{ value?: unknown }>(actionPath, { [action.param]: e.from }));
  if (r?.value !== true) {
    // a second add of an edge already there also answers false: read the edges again first
    ctx.edges.delete(e.path);
    if ((await edgeSet(ctx, e.path, false)).has(e.to)) return { outcome: 'alreadyPresent' };
    throw new VaultError('GRAPH_REQUEST_FAILED', `${op.label}: Graph did not add it (${actionPath} answered false)`, 'Check that the policy applies to selected groups and that the group is a Microsoft 365 group.');
  }
  e.edges.add(e.to);
  return { outcome: 'related' };
}
