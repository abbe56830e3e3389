/**
 * App management and consent governance in emulator tenants (issue 15 items 3 and 4).
 * Every tenant gets what Microsoft puts in each one (docs/graph-facts.md §3 "App management
 * and consent governance"): the documented built-in permission grant policies, the tenant
 * default app management policy (off) and the admin consent request policy (off). A drill
 * tenant also configures them: a custom app management policy on a business app and its
 * service principal, a password lifetime restriction by default, a custom app consent policy
 * assigned to the default user role, a classified Microsoft Graph permission and admin
 * consent reviewers (a user, a group and a role).
 */
import { MICROSOFT_GRAPH_APP_ID } from '../../catalog/permissions.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import { MICROSOFT_GRAPH_SCOPES } from '../graph-app.js';
import { CONDITION_DEFAULTS } from '../consent-policies.js';
import type { SeedContext } from './context.js';
import { Rng } from './rng.js';

/**
 * Microsoft's built-in app consent policies: id → [description, include condition set]
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/manage-app-consent-policies,
 * https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent). The
 * condition sets are a simplified reading of the descriptions: the emulator never evaluates a
 * consent, it only stores what a tenant reads back.
 */
const BUILT_IN_POLICIES: readonly [string, string, JsonObject][] = [
  ['microsoft-all-application-permissions', 'Includes all application permissions (app roles), for all APIs, for any client application.', { permissionType: 'application' }],
  ['microsoft-all-application-permissions-for-chat', 'Includes all chat resource-specific application permissions, for all APIs, for any client application.', { permissionType: 'application' }],
  ['microsoft-application-admin', 'Permissions consentable by Application Administrators.', { permissionType: 'delegated' }],
  ['microsoft-company-admin', 'Permissions consentable by Company Administrators.', { permissionType: 'delegated' }],
  ['microsoft-dynamically-managed-permissions-for-chat', 'Includes dynamically managed permissions allowed for chat resource-specific consent.', { permissionType: 'application' }],
  ['microsoft-user-default-legacy', 'All delegated permissions that are not configured to require admin consent.', { permissionType: 'delegatedUserConsentable' }],
  ['microsoft-user-default-low', 'All low risk permissions consentable by member type users by default.', { permissionType: 'delegatedUserConsentable', permissionClassification: 'low', clientApplicationsFromVerifiedPublisherOnly: true }],
  ['microsoft-user-default-recommended', "Permissions consentable based on Microsoft's current recommendations.", { permissionType: 'delegatedUserConsentable' }],
];

const CONDITION_TYPE = '#microsoft.graph.permissionGrantConditionSet';

/** The custom app consent policy a drill tenant assigns to its users (an id its creator chose). */
export const CUSTOM_CONSENT_POLICY_ID = 'lab-verified-low-risk';

/** What every tenant has: the built-in consent policies and the two off-by-default singletons. */
export function seedConsentDefaults(ctx: SeedContext): void {
  // the same condition-set ids in every tenant (Microsoft's built-ins), hence a fixed stream
  const rng = new Rng(0, 'builtInConsentPolicies');
  for (const [id, description, include] of BUILT_IN_POLICIES) {
    ctx.add('permissionGrantPolicy', { id, '@odata.type': '#microsoft.graph.permissionGrantPolicy', deletedDateTime: null, description, displayName: id });
    ctx.add('permissionGrantPolicyInclude', { id: rng.guid(), '@odata.type': CONDITION_TYPE, ...structuredClone(CONDITION_DEFAULTS), ...include }, id);
  }
  ctx.add('tenantAppManagementPolicy', {
    id: '00000000-0000-0000-0000-000000000000', '@odata.type': '#microsoft.graph.tenantAppManagementPolicy', deletedDateTime: null,
    displayName: 'Default app management tenant policy', description: 'Default tenant policy that enforces app management restrictions on applications and service principals.',
    isEnabled: false, applicationRestrictions: { passwordCredentials: [], keyCredentials: [] }, servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
  });
  ctx.add('adminConsentRequestPolicy', {
    id: 'adminConsentRequestPolicy', '@odata.type': '#microsoft.graph.adminConsentRequestPolicy', isEnabled: false, notifyReviewers: false,
    remindersEnabled: false, requestDurationInDays: 0, reviewers: [], version: 0,
  });
}

function replaceFirst(ctx: SeedContext, type: 'tenantAppManagementPolicy' | 'adminConsentRequestPolicy' | 'authorizationPolicy', patch: JsonObject): void {
  const o = ctx.objects.get(type)?.[0];
  if (o) Object.assign(o, patch);
}

/**
 * A drill tenant's consent governance: run after the apps, groups, the authorization policy
 * and {@link seedConsentDefaults}. `reviewerUserId` and `reviewerGroupId` become admin consent
 * reviewers; the first business app and its service principal get the custom app management policy.
 */
export function seedConsentGovernance(ctx: SeedContext, opts: { reviewerUserId: string; reviewerGroupId?: string }): void {
  const rng = new Rng(ctx.seed, 'consentGovernance');
  const app = (ctx.objects.get('application') ?? []).find((a) => !/entra-vault|lab/i.test(String(a.displayName)));
  const sp = app ? (ctx.objects.get('servicePrincipal') ?? []).find((x) => x.appId === app.appId) : undefined;
  const policy = ctx.add('appManagementPolicy', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.appManagementPolicy', deletedDateTime: null, displayName: 'Credential management policy',
    description: 'No passwords; certificates live 90 days at most', isEnabled: true,
    restrictions: {
      passwordCredentials: [{ restrictionType: 'passwordAddition', state: 'enabled', maxLifetime: null, restrictForAppsCreatedAfterDateTime: '2019-10-19T10:37:00Z', excludeActors: null }],
      keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', state: 'enabled', maxLifetime: 'P90D', restrictForAppsCreatedAfterDateTime: '2014-10-19T10:37:00Z', excludeActors: null }],
      applicationRestrictions: null,
    },
  });
  if (app) ctx.rel('applicationAppManagementPolicies', app.id, policy.id, 'appManagementPolicy');
  if (sp) ctx.rel('servicePrincipalAppManagementPolicies', sp.id, policy.id, 'appManagementPolicy');
  replaceFirst(ctx, 'tenantAppManagementPolicy', {
    isEnabled: true,
    applicationRestrictions: { passwordCredentials: [{ restrictionType: 'passwordLifetime', state: 'enabled', maxLifetime: 'P180D', restrictForAppsCreatedAfterDateTime: '2020-01-01T00:00:00Z', excludeActors: null }], keyCredentials: [] },
  });
  ctx.add('permissionGrantPolicy', {
    id: CUSTOM_CONSENT_POLICY_ID, '@odata.type': '#microsoft.graph.permissionGrantPolicy', deletedDateTime: null,
    displayName: 'Verified publishers, low risk', description: 'Users may consent to low-risk delegated permissions of apps from verified publishers.',
  });
  const scope = (v: string): string => MICROSOFT_GRAPH_SCOPES.find((s) => s.value === v)!.id;
  ctx.add('permissionGrantPolicyInclude', {
    id: rng.guid(), '@odata.type': CONDITION_TYPE, ...structuredClone(CONDITION_DEFAULTS), permissionType: 'delegated', permissionClassification: 'low', clientApplicationsFromVerifiedPublisherOnly: true,
  }, CUSTOM_CONSENT_POLICY_ID);
  ctx.add('permissionGrantPolicyExclude', {
    id: rng.guid(), '@odata.type': CONDITION_TYPE, ...structuredClone(CONDITION_DEFAULTS), permissionType: 'delegated', resourceApplication: MICROSOFT_GRAPH_APP_ID,
    permissions: [scope('Files.Read.All'), scope('Sites.Read.All')],
  }, CUSTOM_CONSENT_POLICY_ID);
  const auth = ctx.objects.get('authorizationPolicy')?.[0];
  const drup = auth?.defaultUserRolePermissions as JsonObject | undefined;
  if (drup) drup.permissionGrantPoliciesAssigned = [`ManagePermissionGrantsForSelf.${CUSTOM_CONSENT_POLICY_ID}`];
  classifyGraphPermission(ctx, rng, 'User.Read');
  const reviewers: Json[] = [{ query: `/users/${opts.reviewerUserId}`, queryType: 'MicrosoftGraph', queryRoot: null }];
  if (opts.reviewerGroupId) reviewers.push({ query: `/groups/${opts.reviewerGroupId}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph', queryRoot: null });
  // Cloud Application Administrator, named by its role template id (the same in every tenant)
  reviewers.push({ query: "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '158c047a-c907-4556-b7ef-446551a6b5f7'", queryType: 'MicrosoftGraph', queryRoot: null });
  replaceFirst(ctx, 'adminConsentRequestPolicy', { isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 30, reviewers, version: 1 });
}

/** A `low` classification of one of Microsoft Graph's delegated permissions, on its service principal. */
function classifyGraphPermission(ctx: SeedContext, rng: Rng, value: string): void {
  const graph = (ctx.objects.get('servicePrincipal') ?? []).find((s: DirObject) => s.appId === MICROSOFT_GRAPH_APP_ID);
  const scope = MICROSOFT_GRAPH_SCOPES.find((s) => s.value === value);
  if (!graph || !scope) return;
  ctx.add('delegatedPermissionClassification', { id: rng.guid(), '@odata.type': '#microsoft.graph.delegatedPermissionClassification', classification: 'low', permissionId: scope.id, permissionName: value }, graph.id);
}
