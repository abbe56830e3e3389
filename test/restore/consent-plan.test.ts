/**
 * The planner and consent governance (issue 15 item 4):
 * - the authorization policy names custom permission grant policies by id
 *   (`ManagePermissionGrantsForSelf.{id}`, https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent);
 *   Graph refuses an id of no policy, so its update waits for the policy's create (and the
 *   policy's condition sets for the policy);
 * - Microsoft's built-in policies (`microsoft-…`) and their condition sets are never written;
 * - admin consent reviewers (`/users/{id}`, `/groups/{id}/…`) are remapped to the target's ids;
 *   one that resolves to nothing is taken out (`dropped`) and listed in a manual step with its
 *   exact value; a role reviewer (a built-in template id) is kept.
 */
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { CONSENT_REVIEWERS_STEP_ID } from '../../src/restore/plan/consent.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { meta, user } from './planner-fixtures.js';

const ROLE_QUERY = "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '158c047a-c907-4556-b7ef-446551a6b5f7'";
const authorization = (assigned: string[]): DirObject => ({
  id: 'authorizationPolicy', displayName: 'Authorization Policy',
  defaultUserRolePermissions: { allowedToCreateApps: false, allowedToCreateSecurityGroups: false, allowedToReadOtherUsers: true, permissionGrantPoliciesAssigned: assigned },
});
const builtIn: DirObject = { id: 'microsoft-user-default-low', displayName: 'microsoft-user-default-low', description: 'built-in' };
const builtInInclude = (id: string): DirObject => ({ id, '@parentId': 'microsoft-user-default-low', permissionType: 'delegatedUserConsentable', permissions: ['all'] });
const consentRequest = (reviewers: string[]): DirObject => ({
  id: 'adminConsentRequestPolicy', isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 14, version: 3,
  reviewers: reviewers.map((query) => ({ query, queryType: 'MicrosoftGraph', queryRoot: null })),
});

function tenants(): { archive: TenantData; live: LiveState } {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: {
      user: [user('u1', 'ann@contoso.com')],
      group: [{ id: 'g1', displayName: 'Consent reviewers', mailEnabled: false, mailNickname: 'reviewers', securityEnabled: true, groupTypes: [] }],
      authorizationPolicy: [authorization(['ManagePermissionGrantsForSelf.custom-low', 'ManagePermissionGrantsForOwnedResource.microsoft-user-default-low'])],
      permissionGrantPolicy: [builtIn, { id: 'custom-low', displayName: 'Custom low', description: 'verified publishers' }],
      permissionGrantPolicyInclude: [builtInInclude('b-inc-a'), { id: 'inc1', '@parentId': 'custom-low', permissionType: 'delegated', permissionClassification: 'low' }],
      // u-gone was deleted before the backup: not in the archive, not in the target
      adminConsentRequestPolicy: [consentRequest(['/users/u1', '/groups/g1/transitiveMembers/microsoft.graph.user', '/users/u-gone', ROLE_QUERY])],
    },
  };
  const live: LiveState = {
    tenantId: 'tenant-b', initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fresh.onmicrosoft.com', 'contoso.com'],
    objects: {
      user: [{ ...user('new-u1', 'ann@contoso.com') }],
      authorizationPolicy: [authorization(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'])],
      // the built-in's condition set has another id in this tenant
      permissionGrantPolicy: [builtIn], permissionGrantPolicyInclude: [builtInInclude('b-inc-b')],
      adminConsentRequestPolicy: [consentRequest([])],
    },
  };
  return { archive, live };
}

const opOf = (ops: Operation[], id: string): Operation => {
  const op = ops.find((o) => o.opId === id);
  expect(op, id).toBeDefined();
  return op as Operation;
};

describe('planner: consent governance', () => {
  it('updates the authorization policy only after the custom permission grant policy it names exists', () => {
    const { archive, live } = tenants();
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const ops = plan.operations;
    const auth = opOf(ops, 'update:authorizationPolicy:authorizationPolicy');
    expect(auth.dependsOn).toContain('create:permissionGrantPolicy:custom-low');
    expect(opOf(ops, 'create:permissionGrantPolicyInclude:inc1').dependsOn).toContain('create:permissionGrantPolicy:custom-low');
    const at = (id: string): number => ops.findIndex((o) => o.opId === id);
    expect(at('create:permissionGrantPolicy:custom-low')).toBeLessThan(at('update:authorizationPolicy:authorizationPolicy'));
    // the policy keeps its id, so the reference is written as archived
    if (auth.kind !== 'update') throw new Error('an update');
    expect((auth.body['defaultUserRolePermissions'] as DirObject)['permissionGrantPoliciesAssigned']).toEqual(['ManagePermissionGrantsForSelf.custom-low', 'ManagePermissionGrantsForOwnedResource.microsoft-user-default-low']);
    // Microsoft's built-in policy and its condition set (another id in the target) are never written
    expect(ops.some((o) => 'archivedId' in o && (o.archivedId === 'microsoft-user-default-low' || o.archivedId === 'b-inc-a'))).toBe(false);
    expect(plan.warnings.join('\n')).not.toContain('b-inc-a');
  });

  it('re-links admin consent reviewers, and lists the one it cannot as a manual step', () => {
    const { archive, live } = tenants();
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const op = opOf(plan.operations, 'update:adminConsentRequestPolicy:adminConsentRequestPolicy');
    if (op.kind !== 'update') throw new Error('an update');
    const queries = (op.body['reviewers'] as { query: string }[]).map((r) => r.query);
    // the live user under its new id now, the recreated group filled in at run time, the role kept, the lost user out
    expect(queries).toEqual(['/users/new-u1', '/groups/g1/transitiveMembers/microsoft.graph.user', ROLE_QUERY]);
    expect(op.refs.map((r) => [r.by, r.archivedTargetId])).toEqual([['idInText', 'g1']]);
    expect(op.dependsOn).toContain('create:group:g1');
    expect(plan.unresolved).toEqual([expect.objectContaining({ type: 'adminConsentRequestPolicy', path: 'reviewers[2].query', value: '/users/u-gone', effect: 'dropped' })]);
    const step = plan.manualSteps.find((s) => s.id === CONSENT_REVIEWERS_STEP_ID);
    expect(step?.instructions).toContain('"/users/u-gone"');
    expect(step?.objects).toEqual(['adminConsentRequestPolicy']);
  });

  it('an objects restore re-links the live reviewers to a recreated group, and brings a recreated API\'s classifications', () => {
    const group: DirObject = { id: 'g1', displayName: 'Consent reviewers', mailEnabled: false, mailNickname: 'reviewers', securityEnabled: true, groupTypes: [] };
    const sp: DirObject = { id: 'sp1', appId: '99999999-0000-0000-0000-000000000001', displayName: 'Contoso API', oauth2PermissionScopes: [{ id: 'scope-1', value: 'Widgets.Read' }] };
    const reviewers = ['/users/u1', '/groups/g1/transitiveMembers/microsoft.graph.user'];
    const archive: TenantData = {
      tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
      objects: {
        user: [user('u1', 'ann@contoso.com')], group: [group], servicePrincipal: [sp],
        delegatedPermissionClassification: [{ id: 'cls1', '@parentId': 'sp1', classification: 'low', permissionId: 'scope-1', permissionName: 'Widgets.Read' }],
        adminConsentRequestPolicy: [consentRequest(reviewers)],
      },
    };
    // the same tenant after the security group (hard-deleted) and the service principal are gone; the policy still names the old group
    const live: LiveState = {
      tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'],
      objects: { user: [user('u1', 'ann@contoso.com')], adminConsentRequestPolicy: [consentRequest(reviewers)] },
    };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g1', 'sp1'] } });
    const relink = opOf(plan.operations, 'update:adminConsentRequestPolicy:adminConsentRequestPolicy');
    if (relink.kind !== 'update') throw new Error('an update');
    expect(relink.dependsOn).toContain('create:group:g1');
    expect(relink.refs.map((r) => [r.by, r.archivedTargetId, r.at.join('.')])).toEqual([['idInText', 'g1', 'reviewers.1.query']]);
    expect((relink.body['reviewers'] as { query: string }[]).map((r) => r.query)).toEqual(reviewers);
    expect(plan.included?.some((x) => x.archivedId === 'adminConsentRequestPolicy' && x.requiredBy === 'g1')).toBe(true);
    const cls = opOf(plan.operations, 'create:delegatedPermissionClassification:cls1');
    expect(cls.dependsOn).toContain('create:servicePrincipal:sp1');
    expect(plan.included?.some((x) => x.archivedId === 'cls1' && x.requiredBy === 'sp1')).toBe(true);
  });

  it('a condition set naming a recreated app (its appId) or the lost tenant is written in the target\'s terms', () => {
    const [oldTenant, newTenant] = ['aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'];
    const appId = 'cccccccc-3333-4333-8333-cccccccccccc';
    const archive: TenantData = {
      tenantId: oldTenant, initialDomain: 'contoso.onmicrosoft.com', relations: {},
      objects: {
        application: [{ id: 'app1', appId, displayName: 'Contoso API' }],
        permissionGrantPolicy: [{ id: 'custom-low', displayName: 'Custom low', description: 'x' }],
        permissionGrantPolicyInclude: [{ id: 'inc1', '@parentId': 'custom-low', permissionType: 'delegated', resourceApplication: appId, clientApplicationTenantIds: [oldTenant], permissions: ['all'] }],
      },
    };
    const live: LiveState = { tenantId: newTenant, initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fresh.onmicrosoft.com'], objects: {} };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const inc = opOf(plan.operations, 'create:permissionGrantPolicyInclude:inc1');
    if (inc.kind !== 'create') throw new Error('a create');
    expect(inc.body['clientApplicationTenantIds']).toEqual([newTenant]);
    // the recreated app's new appId is filled in at run time, after the app's create
    expect(inc.refs).toEqual([expect.objectContaining({ by: 'appId', archivedTargetId: 'app1', at: ['resourceApplication'] })]);
    expect(inc.dependsOn).toContain('create:application:app1');
  });
});
