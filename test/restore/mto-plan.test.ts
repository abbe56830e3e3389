/**
 * manual:multiTenantOrganization's text (src/restore/plan/multi-tenant-org.ts), as a unit: the
 * organization, each member tenant and who adds whom
 * (https://learn.microsoft.com/graph/api/multitenantorganization-list-tenants,
 * https://learn.microsoft.com/graph/api/resources/multitenantorganizationjoinrequestrecord;
 * docs/graph-facts.md S260–S262). The end-to-end check is test/ops/mto-checks.ts.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import { mtoSkipReason, mtoStep, mtoUpdateReason } from '../../src/restore/plan/multi-tenant-org.js';

const SRC = '11111111-1111-4111-8111-111111111111';
const OWNER = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const NEW = '44444444-4444-4444-8444-444444444444';

const archive: TenantData = {
  tenantId: SRC, initialDomain: 'contoso.onmicrosoft.com', relations: {},
  objects: {
    multiTenantOrganization: [{ id: 'org-1', displayName: 'Contoso Group', description: 'All Contoso tenants', state: 'active' }],
    multiTenantOrganizationMember: [
      { id: 'm-2', tenantId: OWNER, displayName: 'Contoso HQ', role: 'owner', state: 'active' },
      { id: 'm-1', tenantId: SRC, displayName: 'Contoso EU', role: 'member', state: 'active' },
      { id: 'm-3', tenantId: OTHER, displayName: 'Contoso US', role: 'member', state: 'pending' },
    ],
    multiTenantOrganizationJoinRequest: [{ id: 'jr', addedByTenantId: OWNER, memberState: 'active', role: 'member' }],
  },
};
const skipped = [{ archivedId: 'org-1', type: 'multiTenantOrganization' as const, displayName: 'Contoso Group', reason: 'x' }];

describe('manual:multiTenantOrganization', () => {
  it('names the organization, each tenant, and the owner-adds / tenant-joins steps for a new tenant', () => {
    const step = mtoStep(skipped, archive, NEW)!;
    expect(step.id).toBe('manual:multiTenantOrganization');
    expect(step.title).toBe('Re-join the multi-tenant organization Contoso Group');
    expect(step.instructions.split('\n')).toEqual([
      'A restore cannot re-create membership of a multi-tenant organization: the owner tenant adds a tenant by its id, and the tenant joins from its side.',
      'Organization: Contoso Group; description: All Contoso tenants.',
      'Member tenants as archived:',
      `- ${SRC} Contoso EU: role member, state active (the archived tenant)`,
      `- ${OWNER} Contoso HQ: role owner, state active`,
      `- ${OTHER} Contoso US: role member, state pending`,
      `1. In the owner tenant ${OWNER} (Contoso HQ), add this tenant: POST /tenantRelationships/multiTenantOrganization/tenants with {"tenantId": "${NEW}", "displayName": "Contoso EU", "role": "member"} (or Entra admin center > Cross-tenant synchronization > Multitenant organization > Add tenant).`,
      `2. In this tenant ${NEW}, join: PATCH /tenantRelationships/multiTenantOrganization/joinRequest with {"addedByTenantId": "${OWNER}"} (MultiTenantOrganization.ReadWrite.All; or the admin center's Join a multitenant organization).`,
      `3. In the owner tenant, remove the lost tenant ${SRC}: DELETE /tenantRelationships/multiTenantOrganization/tenants/${SRC}.`,
    ]);
    // the join request too: step 2 restores it, and fidelity's reason for it names this step
    expect(step.objects).toEqual(['org-1', 'm-1', 'm-2', 'm-3', 'jr']);
  });

  it('emits nothing when nothing of the organization was skipped (same tenant, unchanged) or none was active', () => {
    expect(mtoStep([], archive, SRC)).toBeUndefined();
    expect(mtoStep([{ ...skipped[0]!, type: 'group' }], archive, NEW)).toBeUndefined();
    const inactive: TenantData = { ...archive, objects: { multiTenantOrganization: [{ id: 'org-1', displayName: null, state: 'inactive' }] } };
    expect(mtoStep(skipped, inactive, NEW)).toBeUndefined();
  });

  it('skips creates and changed updates of the three types only', () => {
    expect(mtoSkipReason('multiTenantOrganizationMember')).toContain('manual:multiTenantOrganization');
    expect(mtoSkipReason('group')).toBeUndefined();
    expect(mtoUpdateReason('multiTenantOrganization', 1)).toContain('manual:multiTenantOrganization');
    expect(mtoUpdateReason('multiTenantOrganization', 0)).toBeUndefined();
  });
});
