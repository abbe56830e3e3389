/**
 * A user flow's attribute order on restore (src/snapshot/user-flow-order.ts, docs/graph-facts.md
 * S360). The flow's update candidate carries the archived `@assignmentOrder` (created for the
 * purpose when nothing else of the flow changes) and runs after the flow's create and the creates
 * of its assignments in this plan, so setOrder sees every assignment
 * (src/restore/execute/user-flow-order.ts). Nothing is planned when the target already collects the
 * archived attributes (custom ones re-linked through the match) in the archived order, and no
 * assignment of the flow is recreated: a second run writes nothing. Pure.
 */
import { scopedArchiveId } from '../../catalog/contained-ids.js';
import type { ResourceDescriptor } from '../../catalog/types.js';
import type { DirObject } from '../../model.js';
import { ORDER_KEY, orderOf, sameOrder } from '../../snapshot/user-flow-order.js';
import { opIdFor, type Candidate, type PlanContext } from './context.js';

/**
 * The flow's update candidate `c` (or a new one) with the archived order added when the target's
 * differs; `c` itself when the order needs no write. `live` is the target's flow (undefined: this
 * plan creates it), `producer` maps archived ids to the ops recreating them.
 */
export function withAssignmentOrder(ctx: PlanContext, desc: ResourceDescriptor, id: string, obj: DirObject, live: DirObject | undefined, c: Candidate | undefined, producer: ReadonlyMap<string, string>): Candidate | undefined {
  const archived = orderOf({ order: obj[ORDER_KEY] });
  const flowOp = producer.get(id);
  if (archived === undefined || archived.length < 2 || (live === undefined && flowOp === undefined)) return c;
  const assignmentOps = archived.map((a) => producer.get(scopedArchiveId(id, a))).filter((o): o is string => o !== undefined);
  const current = orderOf({ order: live?.[ORDER_KEY] });
  // the match's idMap holds the target's id of every archived object matched live (src/restore/diff.ts);
  // an attribute neither live nor recreated (its assignment neither) cannot be ordered: left out, as the executor does
  const mapped = archived.map((a) => ctx.match.idMap.get(a)).filter((a): a is string => a !== undefined && current !== undefined && current.includes(a));
  if (assignmentOps.length === 0 && current !== undefined && sameOrder(mapped, current)) return c;
  const cand: Candidate = c ?? { opId: opIdFor('update', desc.type, id), kind: 'update', type: desc.type, archivedId: id, tier: desc.tier, body: {}, changes: [], after: [] };
  cand.body = { ...(cand.body ?? {}), [ORDER_KEY]: archived };
  cand.after = [...new Set([...cand.after, ...(flowOp === undefined ? [] : [flowOp]), ...assignmentOps])];
  return cand;
}
