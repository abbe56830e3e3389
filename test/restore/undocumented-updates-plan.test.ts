/**
 * The planner never plans an update Graph's reference does not document
 * (src/catalog/documented-writes.ts; vendor/graph-docs/resource-methods.json): a live
 * certificate-based authentication configuration whose authorities differ ("Updating
 * certificateBasedAuthConfiguration is not supported. To change a certificateBasedAuthConfiguration,
 * first delete and then create a new",
 * https://learn.microsoft.com/graph/api/resources/certificatebasedauthconfiguration) is reported,
 * with the properties that differ and the manual way out, never PATCHed. A PIM schedule whose
 * period differs is still planned: it is changed by an adminUpdate request (S386,
 * https://learn.microsoft.com/graph/api/resources/unifiedroleassignmentschedulerequest).
 */
import { describe, expect, it } from 'vitest';
import { UNDOCUMENTED_WRITES, updateUndocumented } from '../../src/catalog/documented-writes.js';
import type { TenantData } from '../../src/model.js';
import type { LiveState } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { meta } from './planner-fixtures.js';

const org = { id: 'tenant-a', displayName: 'Contoso' };
const CBA = '29728ade-6ae4-4ee9-9103-412912537da5';
const cba = (crl: string) => ({ id: CBA, '@parentId': 'tenant-a', certificateAuthorities: [{ isRootAuthority: true, certificate: 'AAAA', certificateRevocationListUrl: crl, deltaCertificateRevocationListUrl: null, issuer: 'CN=Root', issuerSki: 'AB' }] });
const schedule = (end: string | null) => ({
  id: 's1', principalId: 'u1', roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/', appScopeId: null,
  scheduleInfo: { startDateTime: '2025-01-01T00:00:00Z', recurrence: null, expiration: end ? { type: 'afterDateTime', endDateTime: end, duration: null } : { type: 'noExpiration', endDateTime: null, duration: null } },
});
const user = { id: 'u1', displayName: 'Ada', userPrincipalName: 'ada@contoso.example', accountEnabled: true, mailNickname: 'ada' };

describe('updates Graph does not document', () => {
  it('the guard names the types whose update is undocumented, and not those changed apart', () => {
    expect(updateUndocumented('delegatedPermissionClassification')).toBe(true);
    expect(updateUndocumented('accessPackageResourceRoleScope')).toBe(true);
    expect(updateUndocumented('roleAssignmentSchedule')).toBe(false); // adminUpdate request
    expect(updateUndocumented('userFlowLanguage')).toBe(false); // its pages are PUT
    expect(updateUndocumented('user')).toBe(false);
    expect(UNDOCUMENTED_WRITES.roleAssignmentSchedule).toContain('update');
  });

  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.example',
    objects: { user: [user], organization: [org], certificateBasedAuthConfiguration: [cba('http://pki.contoso.example/root.crl')], roleAssignmentSchedule: [schedule('2030-01-01T00:00:00Z')] },
    relations: {},
  };
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.example', relations: {}, deleted: {}, verifiedDomains: ['contoso.example'],
    objects: { user: [user], organization: [org], certificateBasedAuthConfiguration: [cba('http://pki.contoso.example/old.crl')], roleAssignmentSchedule: [schedule(null)] },
  };
  const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'attributes', selection: { objectIds: [CBA, 's1'] } });

  it('a certificate-based authentication configuration that differs is reported with its property and never PATCHed', () => {
    expect(plan.operations.filter((o) => 'type' in o && o.type === 'certificateBasedAuthConfiguration' && o.kind !== 'verify')).toEqual([]);
    const skipped = plan.skipped?.find((s) => s.archivedId === CBA);
    expect(skipped?.reason).toMatch(/documents no update .*: certificateAuthorities differ and are not written; set them by hand, or delete the object and restore it again/);
  });

  it('a PIM schedule whose period differs is planned (the executor sends adminUpdate)', () => {
    const u = plan.operations.find((o) => o.kind === 'update' && o.type === 'roleAssignmentSchedule');
    expect(u && u.kind === 'update' && u.body.scheduleInfo).toMatchObject({ expiration: { type: 'afterDateTime', endDateTime: '2030-01-01T00:00:00Z' } });
  });
});
