/**
 * A cross-tenant access partner's identity synchronization policy as Graph v1.0 documents it
 * (issue 15 item 7; docs/graph-facts.md §3 "Cross-tenant identity synchronization", S189):
 * `/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization`
 * - PUT creates it (or replaces it whole) under an existing partner, 204
 *   (https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationpartner-put-identitysynchronization);
 * - GET reads it, 404 when the partner has none
 *   (https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-get);
 * - PATCH updates it, DELETE removes it, 204
 *   (https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-update,
 *   https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-delete);
 * - Graph returns no `id`: the object is keyed by the partner's tenantId, which a body may only repeat.
 * Read with Policy.Read.All, written with Policy.ReadWrite.CrossTenantAccess.
 */
import type { Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl, selectList } from './odata/listing.js';
import { asBody, commitCreate, createObject, deleteObject, patchObject, visible } from './writes.js';
import { identitySyncArchiveId } from '../catalog/cross-tenant-sync.js';

const TYPE = 'crossTenantIdentitySyncPolicyPartner' as const;

function bodyOf(ctx: Ctx, tenantId: string): Record<string, Json> {
  const body = asBody(ctx.body) as Record<string, Json>;
  if ('tenantId' in body && body.tenantId !== tenantId) throw badRequest('The tenantId in the body must match the partner in the request path.');
  return Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'tenantId'));
}

/**
 * Every call on a partner's identitySynchronization; undefined for other paths.
 * @throws GraphHttpError 400/403/404/405 as documented above
 */
export function crossTenantSyncRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const s = segs.map((x) => x.toLowerCase());
  if (segs.length !== 5 || s[0] !== 'policies' || s[1] !== 'crosstenantaccesspolicy' || s[2] !== 'partners' || s[4] !== 'identitysynchronization') return undefined;
  const store = ctx.rt.store;
  const partner = store.get('crossTenantAccessPolicyPartner', segs[3]!);
  if (!partner || !visible(ctx, partner.id)) throw notFound(segs[3]!);
  const d = ctx.reg.descriptor(TYPE);
  const id = identitySyncArchiveId(partner.id);
  const o = store.get(TYPE, id);
  if (ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    if (!o) throw notFound(`${partner.id}/identitySynchronization`);
    const { id: _internal, ...shown } = o;
    const full: Record<string, Json> = { displayName: null, userSyncInbound: null, ...shown, tenantId: partner.id };
    // $select as documented ("This method supports the $select OData query parameter")
    const select = selectList(ctx, TYPE, true);
    const picked = select ? Object.fromEntries(select.filter((p) => p in full).map((p) => [p, full[p] as Json])) : full;
    const ctxUrl = contextUrl(ctx, `policies/crossTenantAccessPolicy/partners('${partner.id}')/identitySynchronization`, undefined, true);
    return { status: 200, body: { '@odata.context': ctxUrl, ...picked } };
  }
  requirePermission(ctx.caller, d, true);
  if (ctx.method === 'PUT') {
    const body = bodyOf(ctx, partner.id);
    if (o) patchObject(ctx, TYPE, o, { displayName: body.displayName ?? null, userSyncInbound: body.userSyncInbound ?? null, ...body });
    else {
      const created = createObject(ctx, TYPE, partner.id, body);
      created.id = id;
      created.tenantId = partner.id;
      commitCreate(ctx, TYPE, created, partner.id);
    }
    return { status: 204, mutated: true };
  }
  if (!o) throw notFound(`${partner.id}/identitySynchronization`);
  if (ctx.method === 'PATCH') {
    patchObject(ctx, TYPE, o, bodyOf(ctx, partner.id));
    return { status: 204, mutated: true };
  }
  if (ctx.method === 'DELETE') {
    deleteObject(ctx, TYPE, o);
    return { status: 204, mutated: true };
  }
  throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`);
}
