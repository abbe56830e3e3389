/**
 * The multi-tenant organization in drill tenants (issue 15 item 7; docs/graph-facts.md S236,
 * S260–S262): the drill tenant is an active member of an organization owned by its first
 * cross-tenant partner, with its second partner a member too. A restore into a new tenant cannot
 * re-create this (the owner must add the new tenant id and it must join), so it emits
 * manual:multiTenantOrganization (src/restore/plan/multi-tenant-org.ts).
 */
import type { SeedContext } from './context.js';
import { Rng } from './rng.js';

const T = (name: string): string => `#microsoft.graph.${name}`;
const AT = '2025-03-01T09:00:00Z';

/** Seeds the organization, its three tenants and this tenant's join request (nothing with fewer than two partners). */
export function seedMultiTenantOrganization(ctx: SeedContext): void {
  const [owner, other] = ctx.objects.get('crossTenantAccessPolicyPartner') ?? [];
  if (!owner || !other) return;
  const rng = new Rng(ctx.seed, 'multiTenantOrganization');
  ctx.add('multiTenantOrganization', {
    id: rng.guid(), '@odata.type': T('multiTenantOrganization'),
    displayName: `${ctx.orgName} Group`, description: `Tenants of the ${ctx.orgName} group`, state: 'active', createdDateTime: AT,
  });
  const member = (tenantId: string, displayName: string, role: string): void => {
    ctx.add('multiTenantOrganizationMember', {
      // its own object id (a directoryObject), never the tenant id: the organization object is keyed by that
      id: rng.guid(), '@odata.type': T('multiTenantOrganizationMember'), tenantId, displayName, role, state: 'active',
      addedByTenantId: owner.id, addedDateTime: AT, joinedDateTime: AT, transitionDetails: null,
    });
  };
  member(owner.id, `Partner ${owner.id.slice(0, 8)} (owner)`, 'owner');
  member(other.id, `Partner ${other.id.slice(0, 8)}`, 'member');
  member(ctx.tenantId, ctx.orgName, 'member');
  ctx.add('multiTenantOrganizationJoinRequest', {
    id: 'joinRequest', '@odata.type': T('multiTenantOrganizationJoinRequestRecord'),
    addedByTenantId: owner.id, memberState: 'active', role: 'member', transitionDetails: null,
  });
}

/** A tenant in no organization: Graph answers the singleton with state inactive ("the multitenant organization isn't created", S260). */
export function seedNoMultiTenantOrganization(ctx: SeedContext): void {
  ctx.add('multiTenantOrganization', {
    id: new Rng(ctx.seed, 'multiTenantOrganization').guid(), '@odata.type': T('multiTenantOrganization'),
    displayName: null, description: null, state: 'inactive', createdDateTime: null,
  });
}
