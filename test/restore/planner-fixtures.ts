/** Small hand-built tenants for the diff/planner/render tests. */
import type { DirObject, Relation, TenantData } from '../../src/model.js';
import type { LiveState, Plan } from '../../src/restore/types.js';

export const GA = '62e90394-69f5-4237-9190-012177145e10';
export const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const APP_ID = '11111111-2222-3333-4444-555555555555';
export const APP_HEX = APP_ID.replace(/-/g, '');
export const EXT = `extension_${APP_HEX}_costCenter`;

export const meta: Plan['archive'] = { tenantId: 'tenant-a', takenAt: '2026-11-01T00:00:00Z', manifestSha256: 'ab'.repeat(32) };

export function user(id: string, upn: string, extra: Partial<DirObject> = {}): DirObject {
  return {
    id, userPrincipalName: upn, displayName: upn.split('@')[0] as string, accountEnabled: true,
    mailNickname: upn.split('@')[0] as string, createdDateTime: '2025-01-01T00:00:00Z', ...extra,
  };
}

/** A tenant with a GA, a helpdesk admin, a synced user, a group, an app+SP+extension, a location and a CA policy. */
export function sampleArchive(): TenantData {
  const objects: TenantData['objects'] = {
    user: [
      user('u-admin', 'admin@contoso.com'),
      user('u-bob', 'bob@contoso.com', { [EXT]: 'CC-42', jobTitle: 'Sales' }),
      user('u-hyb', 'hybrid@contoso.com', {
        onPremisesSyncEnabled: true, onPremisesImmutableId: 'imm-1', usageLocation: 'DE',
      }),
    ],
    group: [
      { id: 'g-sales', displayName: 'Sales', mailNickname: 'sales', mailEnabled: false, securityEnabled: true, groupTypes: [] },
    ],
    application: [{ id: 'app-1', appId: APP_ID, displayName: 'Payroll', passwordCredentials: [{ keyId: 'k1', displayName: 'prod', endDateTime: '2027-01-01T00:00:00Z', hint: 'abc' }] }],
    extensionProperty: [{ id: 'ext-1', name: EXT, dataType: 'String', targetObjects: ['User'] }],
    servicePrincipal: [{ id: 'sp-1', appId: APP_ID, displayName: 'Payroll' }],
    roleAssignment: [
      { id: 'ra-ga', principalId: 'u-admin', roleDefinitionId: GA, directoryScopeId: '/' },
      { id: 'ra-hd', principalId: 'u-bob', roleDefinitionId: HELPDESK, directoryScopeId: '/' },
    ],
    namedLocation: [{ id: 'nl-1', '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: 'HQ', isTrusted: true, ipRanges: [{ cidrAddress: '10.0.0.0/8' }] }],
    conditionalAccessPolicy: [
      {
        id: 'ca-1', displayName: 'Sales MFA', state: 'enabled', createdDateTime: '2025-01-01T00:00:00Z',
        conditions: {
          users: { includeGroups: ['g-sales'], excludeUsers: ['u-admin'], includeRoles: [HELPDESK] },
          applications: { includeApplications: [APP_ID] },
          locations: { includeLocations: ['All'], excludeLocations: ['nl-1'] },
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      },
    ],
  };
  const relations: TenantData['relations'] = {
    groupMembers: [{ kind: 'groupMembers', from: 'g-sales', to: 'u-bob', toType: 'user' } satisfies Relation],
  };
  return { tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', objects, relations };
}

export function emptyLive(): LiveState {
  return {
    tenantId: 'tenant-b', initialDomain: 'fresh.onmicrosoft.com', objects: {}, relations: {}, deleted: {},
    verifiedDomains: ['fresh.onmicrosoft.com'],
  };
}

/** The archive as a tenant would show it live: same ids, verified domains. */
export function liveCopy(a: TenantData): LiveState {
  return {
    ...(JSON.parse(JSON.stringify(a)) as TenantData),
    deleted: {},
    verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
  };
}
