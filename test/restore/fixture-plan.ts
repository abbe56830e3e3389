/** A hand-written plan exercising every operation kind against the fake Graph. */
import type { Clock } from '../../src/clock.js';
import type { Plan } from '../../src/restore/types.js';
import { emptyState, type FakeState } from './fake-graph.js';

export const A = {
  u1: 'a-u1', u2: 'a-u2', u3: 'a-u3', g1: 'a-g1', app: 'a-app', sp: 'a-sp', graphSp: 'a-graphsp', ca1: 'a-ca1', ca2: 'a-ca2', gone: 'a-gone',
};
export const ARCHIVED_APP_ID = '11111111-2222-3333-4444-555555555555';

/** Target: empty except a soft-deleted u3 and Microsoft Graph's SP (matched at plan time). */
export function targetState(): FakeState {
  const s = emptyState();
  s.collections['/servicePrincipals'] = [{ id: 'live-graphsp', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' }];
  s.deleted.push({ collection: '/users', obj: { id: A.u3, userPrincipalName: 'carol@contoso.example', displayName: 'Carol' } });
  return s;
}

export function fixturePlan(): Plan {
  return {
    formatVersion: 1,
    scenario: 'tenant-loss',
    archive: { tenantId: 'src-tenant', takenAt: '2026-01-01T00:00:00Z', manifestSha256: 'f'.repeat(64) },
    target: { tenantId: 'dst-tenant', initialDomain: 'contoso.example' },
    idMap: { [A.graphSp]: 'live-graphsp' },
    appIdMap: {},
    domainMap: {},
    unresolved: [{ opId: 'ca2', type: 'conditionalAccessPolicy', archivedId: A.ca2, path: 'conditions.users.includeGroups', value: A.gone, effect: 'keptReportOnly' }],
    manualSteps: [],
    reportOnly: [{ archivedId: A.ca2, displayName: 'Block legacy (unresolved)', reason: 'group a-gone is in neither archive nor target' }],
    warnings: [],
    operations: [
      { opId: 'bg', kind: 'createBreakGlassAdmin', tier: 0, dependsOn: [], label: 'break-glass admin', userPrincipalName: 'bg1@contoso.example', displayName: 'Break Glass 1' },
      { opId: 'u1', kind: 'create', type: 'user', tier: 2, dependsOn: ['bg', 'app'], label: 'user alice', archivedId: A.u1, body: { accountEnabled: true, displayName: 'Alice', mailNickname: 'alice', userPrincipalName: 'alice@contoso.example', [`extension_${ARCHIVED_APP_ID.replace(/-/g, '')}_costCenter`]: 'CC1' }, refs: [{ at: ['$name', `extension_${ARCHIVED_APP_ID.replace(/-/g, '')}_costCenter`], by: 'extensionName', archivedTargetId: A.app, targetType: 'application' }], naturalKey: { property: 'userPrincipalName', value: 'alice@contoso.example' }, needsPassword: true },
      { opId: 'u2', kind: 'create', type: 'user', tier: 2, dependsOn: ['bg'], label: 'user bob', archivedId: A.u2, body: { accountEnabled: true, displayName: 'Bob', mailNickname: 'bob', userPrincipalName: 'bob@contoso.example' }, refs: [], naturalKey: { property: 'userPrincipalName', value: 'bob@contoso.example' }, needsPassword: true },
      { opId: 'u3', kind: 'restoreDeleted', type: 'user', tier: 2, dependsOn: ['bg'], label: 'restore user carol', archivedId: A.u3, deletedId: A.u3 },
      { opId: 'g1', kind: 'create', type: 'group', tier: 2, dependsOn: ['bg'], label: 'group sales', archivedId: A.g1, body: { displayName: 'Sales', mailEnabled: false, mailNickname: 'sales', securityEnabled: true }, refs: [], naturalKey: { property: 'mailNickname', value: 'sales' } },
      { opId: 'app', kind: 'create', type: 'application', tier: 2, dependsOn: ['bg'], label: 'app payroll', archivedId: A.app, body: { displayName: 'Payroll', uniqueName: 'payroll' }, refs: [], naturalKey: { property: 'uniqueName', value: 'payroll' } },
      { opId: 'sp', kind: 'create', type: 'servicePrincipal', tier: 2, dependsOn: ['app'], label: 'sp payroll', archivedId: A.sp, body: { appId: ARCHIVED_APP_ID }, refs: [{ at: ['appId'], by: 'appId', archivedTargetId: A.app, targetType: 'application' }] },
      { opId: 'm1', kind: 'addRelation', tier: 3, dependsOn: ['g1', 'u1'], label: 'sales ∋ alice', relation: 'groupMembers', from: A.g1, to: A.u1, toType: 'user' },
      { opId: 'm2', kind: 'addRelation', tier: 3, dependsOn: ['g1', 'u3'], label: 'sales ∋ carol', relation: 'groupMembers', from: A.g1, to: A.u3, toType: 'user' },
      { opId: 'mgr', kind: 'addRelation', tier: 3, dependsOn: ['u1', 'u2'], label: 'alice → bob', relation: 'userManager', from: A.u1, to: A.u2, toType: 'user' },
      { opId: 'ara', kind: 'create', type: 'appRoleAssignment', tier: 3, dependsOn: ['u1', 'sp'], label: 'alice → payroll', archivedId: 'a-ara', parentArchivedId: A.sp, body: { principalId: A.u1, resourceId: A.sp, appRoleId: '00000000-0000-0000-0000-000000000000' }, refs: [{ at: ['principalId'], by: 'id', archivedTargetId: A.u1, targetType: 'user' }, { at: ['resourceId'], by: 'id', archivedTargetId: A.sp, targetType: 'servicePrincipal' }] },
      { opId: 'ra', kind: 'create', type: 'roleAssignment', tier: 3, dependsOn: ['u2'], label: 'bob helpdesk', archivedId: 'a-ra', body: { principalId: A.u2, roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8', directoryScopeId: '/' }, refs: [{ at: ['principalId'], by: 'id', archivedTargetId: A.u2, targetType: 'user' }] },
      { opId: 'ca1', kind: 'create', type: 'conditionalAccessPolicy', tier: 4, dependsOn: ['g1', 'sp'], label: 'CA require MFA', archivedId: A.ca1, body: { displayName: 'Require MFA', state: 'enabledForReportingButNotEnforced', conditions: { users: { includeGroups: [A.g1] }, applications: { includeApplications: [ARCHIVED_APP_ID] } }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } }, refs: [{ at: ['conditions', 'users', 'includeGroups', 0], by: 'id', archivedTargetId: A.g1, targetType: 'group' }, { at: ['conditions', 'applications', 'includeApplications', 0], by: 'appId', archivedTargetId: A.app, targetType: 'application' }] },
      { opId: 'ca1on', kind: 'enableConditionalAccess', tier: 4, dependsOn: ['ca1'], label: 'enable CA require MFA', archivedId: A.ca1, state: 'enabled' },
      { opId: 'ca2', kind: 'create', type: 'conditionalAccessPolicy', tier: 4, dependsOn: [], label: 'CA block legacy', archivedId: A.ca2, body: { displayName: 'Block legacy (unresolved)', state: 'enabled', conditions: { users: { includeUsers: ['All'] } }, grantControls: { operator: 'OR', builtInControls: ['block'] } }, refs: [] },
      { opId: 'ca2on', kind: 'enableConditionalAccess', tier: 4, dependsOn: ['ca2'], label: 'enable CA block legacy', archivedId: A.ca2, state: 'enabled' },
      { opId: 'verify', kind: 'verify', tier: 5, dependsOn: ['m1', 'm2', 'mgr', 'ara', 'ra', 'ca1on', 'ca2on'], label: 'verify' },
    ],
  };
}

/** A clock whose sleeps return at once and add to `slept`. */
export class FakeClock implements Clock {
  t = Date.parse('2026-02-01T00:00:00Z');
  slept = 0;
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.slept += ms;
    this.t += ms;
  }
}
