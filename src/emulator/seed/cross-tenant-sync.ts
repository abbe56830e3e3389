/**
 * Cross-tenant identity synchronization in drill tenants (issue 15 item 7; docs/graph-facts.md
 * §3 "Cross-tenant identity synchronization"): the first partner may synchronize its users into
 * this tenant, so a restore must PUT the policy again under the recreated partner (a new tenant's
 * partners have none, and user synchronization would stay blocked).
 */
import type { SeedContext } from './context.js';
import { identitySyncArchiveId } from '../../catalog/cross-tenant-sync.js';

/** The first seeded partner allows inbound user synchronization (nothing when there is no partner). */
export function seedIdentitySynchronization(ctx: SeedContext): void {
  const partner = (ctx.objects.get('crossTenantAccessPolicyPartner') ?? [])[0];
  if (!partner) return;
  ctx.add('crossTenantIdentitySyncPolicyPartner', {
    id: identitySyncArchiveId(partner.id), '@odata.type': '#microsoft.graph.crossTenantIdentitySyncPolicyPartner',
    tenantId: partner.id, displayName: `Partner ${partner.id.slice(0, 8)} (user sync)`, userSyncInbound: { isSyncAllowed: true },
  }, partner.id);
}
