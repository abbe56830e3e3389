/**
 * The order a self-service sign-up user flow collects its attributes in (issue 15 item 6), as
 * Graph v1.0 documents it (docs/graph-facts.md §3 "Self-service sign-up user flows", S360):
 * - `GET /identity/b2xUserFlows/{id}/userAttributeAssignments/getOrder` returns an assignmentOrder,
 *   `{ order: [<attribute id>…] }` https://learn.microsoft.com/graph/api/identityuserflowattributeassignment-getorder
 * - `POST …/userAttributeAssignments/setOrder` with `{ newAssignmentOrder: { order: [...] } }`:
 *   204 https://learn.microsoft.com/graph/api/identityuserflowattributeassignment-setorder
 * The pages document no error; the emulator answers 400 for an id the flow does not collect, a
 * repeated id or a missing newAssignmentOrder (the order lists "identityUserFlowAttribute object
 * identifiers" of the flow, https://learn.microsoft.com/graph/api/resources/assignmentorder).
 * Assignments the order does not name keep their place after the named ones (unverified).
 * The order set is kept on the flow as `@em.order` (never shown as a property); without one the
 * flow collects in the order the assignments were added.
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import type { TenantStore } from './store.js';

const ORDER = '@em.order';

/** A flow with the attribute order `order` set (a drill seed sets one). */
export function withSetOrder(flow: DirObject, order: readonly string[]): DirObject {
  return { ...flow, [ORDER]: [...order] };
}

/** The attribute ids `flowId` collects, in its current order. */
export function assignmentOrder(store: TenantStore, flowId: string): string[] {
  const prefix = `${flowId}/`;
  const assigned = [...store.parentOf.childrenOf(flowId)].filter((id) => id.startsWith(prefix) && store.get('userFlowAttributeAssignment', id)).map((id) => id.slice(prefix.length));
  const set = store.get('b2xUserFlow', flowId)?.[ORDER];
  const named = Array.isArray(set) ? set.filter((a): a is string => typeof a === 'string' && assigned.includes(a)) : [];
  return [...named, ...assigned.filter((a) => !named.includes(a))];
}

/** The `newAssignmentOrder.order` of a setOrder body, checked against what the flow collects. @throws GraphHttpError 400 */
function requestedOrder(ctx: Ctx, current: readonly string[]): string[] {
  const body = ctx.body && typeof ctx.body === 'object' && !(ctx.body instanceof Uint8Array) && !Array.isArray(ctx.body) ? ctx.body as Record<string, Json> : {};
  const extra = Object.keys(body).find((k) => k !== 'newAssignmentOrder' && !k.startsWith('@'));
  if (extra) throw badRequest(`Parameter '${extra}' is not a parameter of setOrder.`);
  const nao = body['newAssignmentOrder'];
  const order = nao && typeof nao === 'object' && !Array.isArray(nao) ? nao['order'] : undefined;
  if (!Array.isArray(order) || order.some((a) => typeof a !== 'string')) throw badRequest("Parameter 'newAssignmentOrder' with an 'order' string collection is required.");
  const ids = order as string[];
  const unknown = ids.find((a) => !current.some((c) => c.toLowerCase() === a.toLowerCase()));
  if (unknown !== undefined) throw badRequest(`The user flow does not collect the attribute '${unknown}'.`);
  if (new Set(ids.map((a) => a.toLowerCase())).size !== ids.length) throw badRequest('The order names an attribute more than once.');
  return ids.map((a) => current.find((c) => c.toLowerCase() === a.toLowerCase())!);
}

/**
 * `…/b2xUserFlows/{id}/userAttributeAssignments/getOrder` and `…/setOrder`; undefined for every
 * other request (the registry serves them).
 * @throws GraphHttpError 404 for an unknown flow, 405 for another method, 400 for a bad order
 */
export function assignmentOrderRoute(ctx: Ctx, segs: string[]): Answer | undefined {
  const low = segs.map((s) => s.toLowerCase());
  if (segs.length !== 5 || low[0] !== 'identity' || low[1] !== 'b2xuserflows' || low[3] !== 'userattributeassignments') return undefined;
  const fn = low[4]!.replace(/^microsoft\.graph\./, '');
  if (fn !== 'getorder' && fn !== 'setorder') return undefined;
  const store = ctx.rt.store;
  const flow = store.get('b2xUserFlow', segs[2]!);
  if (!flow) throw notFound(segs[2]!);
  const write = fn === 'setorder';
  if (ctx.method !== (write ? 'POST' : 'GET')) throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on ${segs[4]}.`);
  requirePermission(ctx.caller, ctx.reg.descriptor('userFlowAttributeAssignment'), write);
  const current = assignmentOrder(store, flow.id);
  if (!write) return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#microsoft.graph.assignmentOrder`, order: current } };
  const order = requestedOrder(ctx, current);
  store.replace('b2xUserFlow', { ...flow, [ORDER]: [...order, ...current.filter((a) => !order.includes(a))] });
  store.touch('b2xUserFlow', flow.id, 'live');
  return { status: 204, mutated: true };
}

