/**
 * The order a self-service sign-up user flow collects its attributes in, in the backup (issue 15
 * item 6): `GET …/b2xUserFlows/{id}/userAttributeAssignments/getOrder` (docs/graph-facts.md S360)
 * is read once per flow and archived on the flow record as `@assignmentOrder`, the attribute ids
 * in order (docs/archive-format.md §2). The restore re-links custom attribute ids and calls setOrder
 * after the assignments (src/restore/plan/user-flow-order.ts, src/restore/execute/user-flow-order.ts).
 */
import type { GraphClient } from '../graph/types.js';
import type { DirObject } from '../model.js';

/** The record key of a flow's archived attribute order. */
export const ORDER_KEY = '@assignmentOrder';

/** The Graph path of a flow's getOrder (`fn` getOrder) or setOrder. */
export function assignmentOrderPath(flowId: string, fn: 'getOrder' | 'setOrder'): string {
  return `/identity/b2xUserFlows/${encodeURIComponent(flowId)}/userAttributeAssignments/${fn}`;
}

/** The `order` of an assignmentOrder, or undefined when it is not a string collection. */
export function orderOf(v: unknown): string[] | undefined {
  const order = v && typeof v === 'object' && !Array.isArray(v) ? (v as { order?: unknown }).order : undefined;
  return Array.isArray(order) && order.every((a) => typeof a === 'string') ? order as string[] : undefined;
}

/** True when `current`, restricted to the ids of `want`, lists them in `want`'s order. */
export function sameOrder(want: readonly string[], current: readonly string[]): boolean {
  const kept = current.filter((a) => want.includes(a));
  return kept.length === want.length && kept.every((a, i) => a === want[i]);
}

/**
 * Reads the attribute order of the flow `obj` into `obj[ORDER_KEY]`. Returns the message of an
 * order not archived (a failed read): the flow itself is still archived.
 */
export async function readAssignmentOrder(graph: GraphClient, obj: DirObject): Promise<string[]> {
  try {
    const order = orderOf(await graph.get(assignmentOrderPath(obj.id, 'getOrder')));
    if (order === undefined) return [`${obj.id}: getOrder returned no order; the attribute order is not archived`];
    obj[ORDER_KEY] = order;
    return [];
  } catch (e) {
    return [`${obj.id}: the attribute order is not archived (${e instanceof Error ? e.message : String(e)})`];
  }
}
