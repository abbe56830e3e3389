/**
 * A user flow's attribute order on restore (src/snapshot/user-flow-order.ts, docs/graph-facts.md
 * S360): the flow's update body carries the archived `@assignmentOrder`; once the flow's
 * assignments are restored (the op depends on their creates, src/restore/plan/user-flow-order.ts)
 * the attribute ids are re-linked to the target's (a recreated custom attribute has a new id),
 * getOrder is read, and setOrder is POSTed only when the target collects them in another order.
 * Attributes the target flow does not collect are left out of the order (setOrder refuses them);
 * attributes only the target collects keep their place after the archived ones.
 */
import { VaultError } from '../../errors.js';
import type { Json, JsonObject } from '../../model.js';
import { assignmentOrderPath, ORDER_KEY, orderOf, sameOrder } from '../../snapshot/user-flow-order.js';
import { lag, type Ctx, type Done } from './context.js';

/** Removes and returns the archived order from a flow's update body (undefined: none). */
export function takeOrder(body: JsonObject): Json | undefined {
  const order = body[ORDER_KEY];
  delete body[ORDER_KEY];
  return order;
}

/**
 * Writes the archived order `archived` to the live flow `flowId` when it differs.
 * @throws VaultError ARCHIVE_MALFORMED for a malformed order, GRAPH_* from Graph
 */
export async function setAssignmentOrder(ctx: Ctx, flowId: string, archived: Json): Promise<Done['outcome']> {
  const want = orderOf({ order: archived });
  if (want === undefined) throw new VaultError('ARCHIVE_MALFORMED', `the archived user flow ${flowId} has a malformed ${ORDER_KEY}`);
  const read = assignmentOrderPath(flowId, 'getOrder');
  const current = orderOf(await lag(ctx, read, () => ctx.graph.get(read))) ?? [];
  const mapped = want.map((a) => ctx.idMap.get(a) ?? a).filter((a) => current.includes(a));
  if (sameOrder(mapped, current)) return 'alreadyPresent';
  const path = assignmentOrderPath(flowId, 'setOrder');
  const order = [...mapped, ...current.filter((a) => !mapped.includes(a))];
  await lag(ctx, path, () => ctx.graph.post(path, { newAssignmentOrder: { order } }));
  return 'updated';
}

/** The outcome of a flow update `r` followed by its order write. */
export async function withOrder(ctx: Ctx, r: Done, flowId: string, archived: Json): Promise<Done> {
  const o = await setAssignmentOrder(ctx, flowId, archived);
  return { ...r, outcome: r.outcome === 'updated' || o === 'updated' ? 'updated' : r.outcome, liveId: flowId };
}
