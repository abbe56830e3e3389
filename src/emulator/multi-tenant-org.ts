/**
 * The multi-tenant organization's writes as Graph v1.0 guards them (docs/graph-facts.md S190,
 * S236, S260–S262). The catalog's generic routes serve its reads (GET the organization, list and
 * get `tenants`, GET `joinRequest`, with MultiTenantOrganization.Read.All); the catalog names that
 * read permission as `write` too, since the product never writes it (src/catalog/multi-tenant-org.ts).
 * Graph writes it only with MultiTenantOrganization.ReadWrite.All
 * (https://learn.microsoft.com/graph/api/multitenantorganization-update,
 * https://learn.microsoft.com/graph/api/multitenantorganization-post-tenants,
 * https://learn.microsoft.com/graph/api/multitenantorganizationjoinrequestrecord-update), so any
 * write by a caller without it is a 403 here, never a silent success through the generic routes.
 */
import type { Answer, Ctx } from './context.js';
import { forbidden } from './graph-error.js';

// the pages name this one permission only (Directory.ReadWrite.All does not stand in for it)
const MTO_WRITE = 'MultiTenantOrganization.ReadWrite.All';

/**
 * Refuses (403) a write under /tenantRelationships/multiTenantOrganization without
 * MultiTenantOrganization.ReadWrite.All; undefined otherwise (the generic routes answer).
 * @throws GraphHttpError 403
 */
export function multiTenantOrgRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const s = segs.map((x) => x.toLowerCase());
  if (s[0] !== 'tenantrelationships' || s[1] !== 'multitenantorganization' || ctx.method === 'GET') return undefined;
  if (!ctx.caller.roles.has(MTO_WRITE)) throw forbidden();
  return undefined;
}
