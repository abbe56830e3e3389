/**
 * Splitting a create: the properties whose references wait for `cut` dependencies move
 * into a follow-up update, so the create can run earlier. Used for tier-0 bootstrap
 * admins (never wait for tier-2 objects) and to break dependency cycles (app A needs
 * app B's appId and B needs A's). Pure.
 */
import type { Operation, RefSlot } from '../types.js';
import type { JsonObject } from '../../model.js';
import type { PlannerCatalog } from '../catalog.js';
import { cmp } from '../json.js';
import type { OpSplitter } from './order.js';

export interface SplitContext {
  catalog: PlannerCatalog;
  /** Archived id → opId that makes it exist. */
  producer: Map<string, string>;
  /**
   * Every opId already in use (the splitter registers the follow-ups it makes), asked for only
   * when an op is split: the planner makes it then (at 100k users a set of every opId is 9.9 MiB,
   * and most plans split nothing).
   */
  taken: () => Set<string>;
  nameOf: (archivedId: string) => string;
}

/** The top-level body key a slot writes into (`$name` slots: the renamed key). */
function keyOf(s: RefSlot): string | undefined {
  const k = s.at[0] === '$name' ? s.at[1] : s.at[0];
  return typeof k === 'string' ? k : undefined;
}

/**
 * The opIds in use among `ops` that a follow-up's could be (`followUpId` makes only `update:` ids),
 * made on the first call: a caller registers the follow-ups it makes in the set it gets back. An edge
 * operation's id (`add:…`, ./relation-op.ts) is never one, and is never read here: it is made when
 * read, and at 100k users the set of every op id was about 36 MiB (250,000 edge ids made for it) that
 * the planner's remap step dropped as garbage once an application's create was split (issue 17 item 1).
 */
export function opIdsInUse(ops: readonly Operation[]): () => Set<string> {
  let inUse: Set<string> | undefined;
  return () => {
    if (!inUse) {
      inUse = new Set<string>();
      for (const o of ops) if (o.kind !== 'addRelation' && o.opId.startsWith(FOLLOW_UP_PREFIX)) inUse.add(o.opId);
    }
    return inUse;
  };
}

/** What every follow-up's opId starts with (`followUpId`). */
const FOLLOW_UP_PREFIX = 'update:';

/**
 * The opId of the follow-up update that finishes `op`'s create: `update:<type>:<archived id>`, or
 * with `#2`, `#3`… when that is taken; registered in `taken`.
 */
export function followUpId(taken: Set<string>, op: { type: string; archivedId: string }): string {
  const base = `${FOLLOW_UP_PREFIX}${op.type}:${op.archivedId}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}#${n}`;
  taken.add(id);
  return id;
}

/**
 * A splitter for orderOperations. Returns undefined (cannot split) for non-create ops,
 * when no reference waits for `cut`, or when a property that must be there on create
 * (required or create-only) would have to move.
 */
export function makeSplitter(ctx: SplitContext): OpSplitter {
  return (op, cut) => {
    if (op.kind !== 'create') return undefined;
    const moved = new Set<string>();
    for (const s of op.refs) {
      const dep = ctx.producer.get(s.archivedTargetId);
      const k = keyOf(s);
      if (dep && cut.has(dep) && k !== undefined) moved.add(k);
    }
    if (moved.size === 0) return undefined;
    // A contained object cannot be created before its parent exists.
    const parentOp = op.parentArchivedId ? ctx.producer.get(op.parentArchivedId) : undefined;
    if (parentOp && cut.has(parentOp)) return undefined;
    const desc = ctx.catalog.descriptor(op.type);
    if ([...moved].some((k) => desc.requiredOnCreate.includes(k) || desc.createOnly.includes(k))) return undefined;
    const body: JsonObject = {};
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(op.body)) (moved.has(k) ? rest : body)[k] = v;
    const keep = (s: RefSlot): boolean => !moved.has(keyOf(s) ?? '');
    const movedRefs = op.refs.filter((s) => !keep(s));
    const movedDeps = movedRefs.map((s) => ctx.producer.get(s.archivedTargetId)).filter((d): d is string => d !== undefined);
    const followId = followUpId(ctx.taken(), op);
    const created: Operation = { ...op, body, refs: op.refs.filter(keep), dependsOn: op.dependsOn.filter((d) => !cut.has(d)) };
    const follow: Operation = {
      opId: followId,
      kind: 'update',
      tier: op.tier === 0 ? desc.tier : op.tier,
      // Everything the create waited for is a safe superset of what the moved values need.
      dependsOn: [...new Set([op.opId, ...cut, ...movedDeps])].sort(cmp),
      label: `Finish ${desc.title} ${ctx.nameOf(op.archivedId)} (references)`,
      type: op.type,
      archivedId: op.archivedId,
      changes: [...moved].sort(cmp).map((p) => ({ property: p, archived: rest[p] ?? null, live: null })),
      body: rest,
      refs: movedRefs,
    };
    if (op.parentArchivedId) follow.parentArchivedId = op.parentArchivedId;
    return [created, follow];
  };
}
