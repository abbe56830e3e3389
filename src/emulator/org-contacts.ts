/**
 * Organizational contacts (`/contacts`, issue 15 item 10). The catalog's generic routes list and
 * read them (https://learn.microsoft.com/graph/api/orgcontact-list,
 * https://learn.microsoft.com/graph/api/orgcontact-get); this module answers what Graph refuses:
 * - the resource page (https://learn.microsoft.com/graph/api/resources/orgcontact) says contacts
 *   are synchronized from on-premises or from Exchange Online and read-only in Microsoft Graph, and
 *   v1.0 documents no create, update or delete: POST /contacts, PATCH/PUT/DELETE /contacts/{id}
 *   answer 405, as Graph answers a method a resource does not support;
 * - Add members (https://learn.microsoft.com/graph/api/group-post-members): an organizational
 *   contact can be a member of a security group, not of a Microsoft 365 group (400).
 */
import type { Json } from '../model.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';

const notAllowed = (method: string): GraphHttpError =>
  new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on this resource.`);

/**
 * Refuses the writes v1.0 does not have; undefined for every other call (reads go to the catalog).
 * @throws GraphHttpError 405
 */
export function orgContactsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  if (segs[0]?.toLowerCase() !== 'contacts') return undefined;
  if (segs.length === 1 && ctx.method === 'POST') throw notAllowed(ctx.method);
  if (segs.length === 2 && (ctx.method === 'PATCH' || ctx.method === 'PUT' || ctx.method === 'DELETE')) throw notAllowed(ctx.method);
  return undefined;
}

/**
 * An org contact added to the members of a Microsoft 365 group (`groupTypes` holds `Unified`).
 * @throws GraphHttpError 400
 */
export function checkContactMember(memberType: string, group: Readonly<Record<string, Json | undefined>> | undefined): void {
  if (memberType !== 'orgContact' || !group) return;
  const types = group['groupTypes'];
  if (Array.isArray(types) && types.includes('Unified')) throw badRequest('An organizational contact cannot be a member of a Microsoft 365 group.');
}
