/**
 * An update of a tenant policy whose settings are independent writes what it can (attribute-level
 * restore): a property naming an object that is neither in the target nor restored (a required
 * reference) keeps its live value, reported as `propertyKept`, and the policy's other settings are
 * still written. Any other update with such a reference is blocked whole, as before: an
 * authentication method's state written without its targets would switch it on for everyone. Found with Graph's own
 * example of the default cross-tenant access policy (crosstenantaccesspolicyconfigurationdefault-update,
 * test/ops/documented-tenant.test.ts): its outbound B2B settings name a group the tenant lacks,
 * and the whole update, inbound trust included, used to be skipped.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { meta } from './planner-fixtures.js';

const org = { id: 'tenant-a', displayName: 'Contoso' };
const allowAll = { applications: { accessType: 'allowed', targets: [{ target: 'AllApplications', targetType: 'application' }] }, usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'user' }] } };
const blockGroup = (g: string) => ({ applications: { accessType: 'blocked', targets: [{ target: 'AllApplications', targetType: 'application' }] }, usersAndGroups: { accessType: 'blocked', targets: [{ target: g, targetType: 'group' }] } });
const policy = (outbound: object, mfa: boolean) => ({
  id: 'default', isServiceDefault: false, b2bCollaborationOutbound: outbound,
  inboundTrust: { isMfaAccepted: mfa, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
});

function plan(liveMfa: boolean) {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.example',
    objects: { organization: [org], crossTenantAccessPolicyDefault: [policy(blockGroup('g-gone'), true)] },
    relations: {},
  };
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.example', deleted: {}, verifiedDomains: ['contoso.example'], relations: {},
    objects: { organization: [org], crossTenantAccessPolicyDefault: [policy(allowAll, liveMfa)] },
  };
  return buildPlan({ archive, archiveMeta: meta, live, scenario: 'attributes', selection: { objectIds: ['default'] } });
}

describe('an update whose property names an object that is not restored', () => {
  it('writes the other properties; that one keeps its live value and is reported', () => {
    const p = plan(false);
    const upd = p.operations.find((o) => o.opId === 'update:crossTenantAccessPolicyDefault:default') as Extract<Operation, { kind: 'update' }> | undefined;
    expect(upd?.body).toEqual({ inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false } });
    expect(upd?.changes.map((c) => c.property)).toEqual(['inboundTrust']);
    expect(p.unresolved).toEqual([expect.objectContaining({ archivedId: 'default', path: 'b2bCollaborationOutbound.usersAndGroups.targets[0].target', value: 'g-gone', effect: 'propertyKept' })]);
    expect(p.skipped ?? []).toEqual([]);
  });

  it('an authentication method is never switched on without its targets: blocked whole, as before', () => {
    // its state without its include targets would enable the method for everyone the live targets name
    const method = (state: string, group: string) => ({ id: 'Fido2', '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state, includeTargets: [{ targetType: 'group', id: group, isRegistrationRequired: false }], excludeTargets: [] });
    const archive: TenantData = { tenantId: 'tenant-a', initialDomain: 'contoso.example', objects: { organization: [org], authenticationMethodConfiguration: [method('enabled', 'g-gone')] }, relations: {} };
    const live: LiveState = {
      tenantId: 'tenant-a', initialDomain: 'contoso.example', deleted: {}, verifiedDomains: ['contoso.example'], relations: {},
      objects: { organization: [org], authenticationMethodConfiguration: [method('disabled', 'all_users')] },
    };
    const p = buildPlan({ archive, archiveMeta: meta, live, scenario: 'attributes', selection: { objectIds: ['Fido2'] } });
    expect(p.operations.some((o) => o.kind === 'update')).toBe(false);
    expect(p.unresolved.map((u) => u.effect)).toEqual(['blocked']);
  });

  it('an update with nothing else to write is blocked, as before', () => {
    // the inbound trust already matches: only the property naming the missing group differs
    const p = plan(true);
    expect(p.operations.some((o) => o.kind === 'update')).toBe(false);
    expect(p.unresolved).toEqual([expect.objectContaining({ archivedId: 'default', value: 'g-gone', effect: 'blocked' })]);
    expect(p.skipped?.map((x) => x.archivedId)).toEqual(['default']);
  });
});
