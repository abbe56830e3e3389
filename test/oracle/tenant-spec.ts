/**
 * A generated tenant (fast-check) and how to write it through plain Graph calls. Every
 * generated object's name starts with `ov-`/`OV ` so the oracle compares exactly what it wrote.
 */
import fc from 'fast-check';
import type { Io } from './graph-io.js';
import { layerSpec, writeLayer, type LayerSpec } from './layer-spec.js';

export const GA_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

export interface TenantSpec {
  users: { given: string; surname: string; jobTitle: string | null; department: string | null; enabled: boolean }[];
  groups: { m365: boolean; members: number[]; owners: number[]; inPrevious: boolean; description: string | null }[];
  aus: { members: number[] }[];
  apps: { roles: number; requires: boolean; users: number[]; groups: number[] }[];
  cas: { includeGroups: number[]; excludeUsers: number[]; state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced' }[];
  locations: { trusted: boolean }[];
  admins: number[];
  /** Global Administrator's PIM role settings: activation length, approvers (group/user indexes). */
  pim: { hours: number; approverGroup: number | null; approverUser: number | null };
  /** Consent governance: admin consent reviewers, a custom consent policy for users, an app management policy on an app. */
  consent: { reviewerUser: number | null; reviewerGroup: number | null; customPolicy: boolean; appPolicy: boolean };
  /**
   * Issue 15's layer as an administrator writes it (./layer-spec.ts): a joiner workflow whose
   * welcome mail copies a user and which adds new hires to a group, an access review of a group's
   * members, a token lifetime policy on an app, an authentication context a CA policy demands,
   * a custom security attribute with a user's value.
   */
  layer: LayerSpec;
}

const idx = (max: number) => fc.uniqueArray(fc.nat(max - 1), { maxLength: Math.min(max, 4) });

export const tenantSpec: fc.Arbitrary<TenantSpec> = fc.integer({ min: 2, max: 6 }).chain((nu) =>
  fc.integer({ min: 1, max: 4 }).chain((ng) =>
    fc.record({
      users: fc.array(
        fc.record({
          given: fc.constantFrom('Ada', 'Björn', 'Chen', 'Dana', 'Émile', 'Farah'),
          surname: fc.constantFrom('Ng', 'Okafor', 'Müller', "O'Neil"),
          jobTitle: fc.option(fc.constantFrom('Engineer', 'Analyst', 'Nurse'), { nil: null }),
          department: fc.option(fc.constantFrom('IT', 'Finance', 'Ward 3'), { nil: null }),
          enabled: fc.boolean(),
        }),
        { minLength: nu, maxLength: nu },
      ),
      groups: fc.array(
        fc.record({ m365: fc.boolean(), members: idx(nu), owners: idx(nu), inPrevious: fc.boolean(), description: fc.option(fc.constantFrom('team', 'Ünïcode ✓'), { nil: null }) }),
        { minLength: ng, maxLength: ng },
      ),
      aus: fc.array(fc.record({ members: idx(nu) }), { maxLength: 2 }),
      apps: fc.array(fc.record({ roles: fc.integer({ min: 1, max: 2 }), requires: fc.boolean(), users: idx(nu), groups: idx(ng) }), { maxLength: 2 }),
      cas: fc.array(
        fc.record({ includeGroups: idx(ng), excludeUsers: idx(nu), state: fc.constantFrom('enabled' as const, 'disabled' as const, 'enabledForReportingButNotEnforced' as const) }),
        { maxLength: 2 },
      ),
      locations: fc.array(fc.record({ trusted: fc.boolean() }), { maxLength: 2 }),
      admins: fc.uniqueArray(fc.nat(nu - 1), { minLength: 1, maxLength: 2 }),
      pim: fc.record({
        hours: fc.integer({ min: 1, max: 8 }),
        approverGroup: fc.option(fc.nat(ng - 1), { nil: null }),
        approverUser: fc.option(fc.nat(nu - 1), { nil: null }),
      }),
      consent: fc.record({
        reviewerUser: fc.option(fc.nat(nu - 1), { nil: null }), reviewerGroup: fc.option(fc.nat(ng - 1), { nil: null }),
        customPolicy: fc.boolean(), appPolicy: fc.boolean(),
      }),
      layer: layerSpec(nu, ng),
    }),
  ),
);

/** Writes `spec` into the tenant behind `io`; returns the ids it created, by oracle key. */
export async function writeTenant(io: Io, spec: TenantSpec, domain: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const created = async (key: string, path: string, body: unknown) => {
    const r = await io.send('POST', path, body);
    ids.set(key, String(r?.id));
    return r ?? {};
  };
  for (const [i, u] of spec.users.entries()) {
    await created(`user:ov-u${i}`, '/users', {
      accountEnabled: u.enabled, displayName: `OV ${u.given} ${u.surname}`, givenName: u.given, surname: u.surname, mailNickname: `ov-u${i}`,
      userPrincipalName: `ov-u${i}@${domain}`, passwordProfile: { password: `Ov-${i}-Str0ng!pass`, forceChangePasswordNextSignIn: true },
      ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}), ...(u.department ? { department: u.department } : {}),
    });
  }
  const user = (i: number) => ids.get(`user:ov-u${i}`) as string;
  for (const [i, g] of spec.groups.entries()) {
    await created(`group:OV Group ${i}`, '/groups', {
      displayName: `OV Group ${i}`, mailNickname: `ovgroup${i}`, mailEnabled: g.m365, securityEnabled: !g.m365, groupTypes: g.m365 ? ['Unified'] : [],
      ...(g.description ? { description: g.description } : {}),
    });
    const gid = ids.get(`group:OV Group ${i}`) as string;
    for (const m of g.members) await io.send('POST', `/groups/${gid}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user(m)}` });
    for (const o of g.owners) await io.send('POST', `/groups/${gid}/owners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user(o)}` });
    const prev = ids.get(`group:OV Group ${i - 1}`);
    if (g.inPrevious && prev && !spec.groups[i - 1]!.m365 && !g.m365) {
      await io.send('POST', `/groups/${prev}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${gid}` });
    }
  }
  const group = (i: number) => ids.get(`group:OV Group ${i}`) as string;
  for (const [i, a] of spec.aus.entries()) {
    await created(`au:OV Unit ${i}`, '/directory/administrativeUnits', { displayName: `OV Unit ${i}`, description: `unit ${i}` });
    for (const m of a.members) await io.send('POST', `/directory/administrativeUnits/${ids.get(`au:OV Unit ${i}`)}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user(m)}` });
  }
  for (const [i, a] of spec.apps.entries()) {
    const roles = Array.from({ length: a.roles }, (_, k) => ({
      id: `0000000${i}-0000-4000-8000-00000000000${k}`, allowedMemberTypes: ['User'], description: `role ${k}`, displayName: `Role ${k}`, isEnabled: true, value: `ov.role${k}`,
    }));
    const app = await created(`app:OV App ${i}`, '/applications', { displayName: `OV App ${i}`, appRoles: roles });
    const sp = await created(`sp:OV App ${i}`, '/servicePrincipals', { appId: app.appId, appRoleAssignmentRequired: a.requires });
    for (const u of a.users) await io.send('POST', `/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: user(u), resourceId: sp.id, appRoleId: roles[0]!.id });
    for (const g of a.groups) {
      if (spec.groups[g]!.m365) continue;
      await io.send('POST', `/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: group(g), resourceId: sp.id, appRoleId: roles[roles.length - 1]!.id });
    }
  }
  for (const [i, l] of spec.locations.entries()) {
    await created(`nl:OV Location ${i}`, '/identity/conditionalAccess/namedLocations', {
      '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: `OV Location ${i}`, isTrusted: l.trusted,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `10.${i}.0.0/16` }],
    });
  }
  // A tenant that switches CA policies on has turned its security defaults off first, as
  // Graph requires (docs/graph-facts.md S47); new tenants start with them on.
  if (spec.cas.some((c) => c.state === 'enabled')) await io.send('PATCH', '/policies/identitySecurityDefaultsEnforcementPolicy', { isEnabled: false });
  for (const [i, c] of spec.cas.entries()) {
    await created(`ca:OV Policy ${i}`, '/identity/conditionalAccess/policies', {
      displayName: `OV Policy ${i}`, state: c.state,
      conditions: {
        applications: { includeApplications: ['All'] }, clientAppTypes: ['all'],
        users: { includeUsers: c.includeGroups.length ? [] : ['All'], includeGroups: c.includeGroups.map(group), excludeUsers: c.excludeUsers.map(user) },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
  }
  for (const a of spec.admins) {
    await io.send('POST', '/roleManagement/directory/roleAssignments', { principalId: user(a), roleDefinitionId: GA_TEMPLATE, directoryScopeId: '/' });
  }
  await writePim(io, spec.pim, group, user);
  await writeConsent(io, spec, ids, group, user);
  await writeLayer(io, spec.layer, { ids, user, group, securityGroups: spec.groups.flatMap((g, i) => (g.m365 ? [] : [i])) });
  return ids;
}

/**
 * Consent governance as an administrator sets it (https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update,
 * https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-permissiongrantpolicies,
 * https://learn.microsoft.com/graph/api/appmanagementpolicy-post-appliesto).
 */
async function writeConsent(io: Io, spec: TenantSpec, ids: Map<string, string>, group: (i: number) => string, user: (i: number) => string): Promise<void> {
  const c = spec.consent;
  const reviewers = [
    ...(c.reviewerUser === null ? [] : [{ query: `/users/${user(c.reviewerUser)}`, queryType: 'MicrosoftGraph' }]),
    ...(c.reviewerGroup === null ? [] : [{ query: `/groups/${group(c.reviewerGroup)}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' }]),
  ];
  if (reviewers.length) await io.send('PUT', '/policies/adminConsentRequestPolicy', { isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 7, reviewers });
  if (c.customPolicy) {
    await io.send('POST', '/policies/permissionGrantPolicies', { id: 'ov-consent', displayName: 'OV consent', description: 'oracle' });
    await io.send('POST', '/policies/permissionGrantPolicies/ov-consent/includes', { permissionType: 'delegated', permissionClassification: 'low' });
    const drup = (await io.get('/policies/authorizationPolicy')).defaultUserRolePermissions as Record<string, unknown>;
    await io.send('PATCH', '/policies/authorizationPolicy', { defaultUserRolePermissions: { ...drup, permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.ov-consent'] } });
  }
  const app = ids.get('app:OV App 0');
  if (c.appPolicy && app) {
    const p = await io.send('POST', '/policies/appManagementPolicies', { displayName: 'OV App policy', description: 'oracle', isEnabled: true });
    ids.set('amp:OV App policy', String(p?.id));
    await io.send('POST', `/applications/${app}/appManagementPolicies/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/policies/appManagementPolicies/${String(p?.id)}` });
  }
}

/**
 * Global Administrator's PIM role settings as an administrator sets them: the role's policy
 * found through its assignment, then one rule PATCH at a time
 * (https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update).
 */
async function writePim(io: Io, pim: TenantSpec['pim'], group: (i: number) => string, user: (i: number) => string): Promise<void> {
  const f = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GA_TEMPLATE}'`;
  const [a] = await io.list(`/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(f)}`);
  const rules = `/policies/roleManagementPolicies/${String(a?.policyId)}/rules`;
  await io.send('PATCH', `${rules}/Expiration_EndUser_Assignment`, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', isExpirationRequired: true, maximumDuration: `PT${pim.hours}H`,
  });
  const approvers = [
    ...(pim.approverGroup === null ? [] : [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: group(pim.approverGroup) }]),
    ...(pim.approverUser === null ? [] : [{ '@odata.type': '#microsoft.graph.singleUser', userId: user(pim.approverUser) }]),
  ];
  if (approvers.length === 0) return;
  await io.send('PATCH', `${rules}/Approval_EndUser_Assignment`, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule', id: 'Approval_EndUser_Assignment',
    setting: {
      isApprovalRequired: true, isApprovalRequiredForExtension: false, isRequestorJustificationRequired: true, approvalMode: 'SingleStage',
      approvalStages: [{ approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true, escalationTimeInMinutes: 0, isEscalationEnabled: false, primaryApprovers: approvers, escalationApprovers: [] }],
    },
  });
}
