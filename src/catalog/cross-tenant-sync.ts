/**
 * Cross-tenant identity synchronization (issue 15 item 7): whether a partner tenant may
 * synchronize users into this tenant, one policy under each cross-tenant access partner.
 *
 * Graph facts (docs/graph-facts.md §3 "Cross-tenant identity synchronization", S189):
 * - `/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization` is a
 *   single-valued contained navigation (crossTenantIdentitySyncPolicyPartner: displayName,
 *   tenantId, userSyncInbound.isSyncAllowed), created with PUT (the CSDL's UpdateRestrictions name
 *   PUT), updated with PATCH, deleted with DELETE; read with Policy.Read.All, written with
 *   Policy.ReadWrite.CrossTenantAccess. A partner without one answers 404.
 * - Its key is the partner's tenantId, the same in every tenant, and Graph returns no `id`: the
 *   archive names it `crossTenantIdentitySyncPolicyPartner:{tenantId}` (src/snapshot/walker.ts),
 *   so source and target objects match by id; a restore PUTs it under the recreated partner
 *   (src/restore/execute/objects.ts).
 */
import { define, ms } from './define.js';

// the multi-tenant organization's types and the people settings (./people-settings.ts), listed next to these by ./resources.ts
export { multiTenantOrganization, multiTenantOrganizationJoinRequest, multiTenantOrganizationMember } from './multi-tenant-org.js';
export { peopleSettingsTypes } from './people-settings.js';

export const crossTenantIdentitySyncPolicyPartner = define({
  type: 'crossTenantIdentitySyncPolicyPartner', entityType: ms('crossTenantIdentitySyncPolicyPartner'), title: 'Cross-tenant identity synchronization',
  path: '/policies/crossTenantAccessPolicy/partners/{parentId}/identitySynchronization', shape: 'singleton', parentType: 'crossTenantAccessPolicyPartner',
  // the partner's key, from the URL
  readOnly: ['tenantId'], requiredOnCreate: [], naturalKey: [], softDelete: 'hard', tier: 3,
  permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.CrossTenantAccess' },
});

/** The archive id of the policy under partner `tenantId` (Graph returns none). */
export function identitySyncArchiveId(tenantId: string): string {
  return `crossTenantIdentitySyncPolicyPartner:${tenantId}`;
}
