/**
 * Authentication context class references (issue 15 item 5), as Graph v1.0 documents them
 * (docs/graph-facts.md §3 "Authentication contexts"):
 * - "Create or update": `PATCH /identity/conditionalAccess/authenticationContextClassReferences/{id}`
 *   creates the object when the id is unused and updates it otherwise; 204 either way
 *   https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update
 * - the id is the `acrs` claim value, `c1` through `c99`
 *   https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference
 * - v1.0 documents no POST to the collection: it is refused (405), never silently accepted.
 * List, get, update of an existing one and delete are the catalog's generic routes.
 */
import type { Answer, Ctx } from './context.js';
import { requirePermission } from './auth.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import { asBody, commitCreate, createObject } from './writes.js';

const TYPE = 'authenticationContextClassReference' as const;
/** c1 … c99 (the documented range of the acrs claim values). */
const CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/;

/**
 * The writes this type answers differently from the generic routes: a POST to the collection
 * (405) and a PATCH of an unused id (create). Returns undefined for everything else.
 * @throws GraphHttpError 400 for an id outside c1…c99 or a body naming another id, 403 without the write permission
 */
export function authenticationContextWrite(ctx: Ctx, rest: string[]): Answer | undefined {
  if (rest.length === 0 && ctx.method === 'POST') {
    throw new GraphHttpError(405, 'Request_BadRequest', "The HTTP method 'POST' is not allowed on this collection: create an authentication context with PATCH …/authenticationContextClassReferences/{id}.");
  }
  if (rest.length !== 1 || ctx.method !== 'PATCH') return undefined;
  const id = rest[0]!;
  if (ctx.rt.store.get(TYPE, id)) return undefined;
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  if (!CONTEXT_ID.test(id)) throw badRequest(`Invalid id '${id}': an authentication context id is c1 through c99.`);
  const body = asBody(ctx.body);
  if (body.id !== undefined && body.id !== id) throw badRequest('The id in the request body must match the id in the request path.');
  const o = createObject(ctx, TYPE, undefined, { ...body, id });
  for (const k of ['description', 'displayName', 'isAvailable']) o[k] ??= null;
  commitCreate(ctx, TYPE, o, undefined);
  return { status: 204, mutated: true };
}
