/**
 * App management and consent governance (issue 15 items 3 and 4): the tenant-wide default
 * and custom app management policies, delegated permission classifications, permission grant
 * (app consent) policies with their include/exclude condition sets, and the admin consent
 * request policy. Graph facts and sources: docs/graph-facts.md §3 "App management and
 * consent governance" (S75–S85).
 *
 * - The tenant default (`/policies/defaultAppManagementPolicy`) and the admin consent request
 *   policy are singletons every tenant has: patched (the consent request policy with PUT, the
 *   only write Graph documents for it: src/restore/execute/objects.ts), never created.
 * - A permission grant policy's id is chosen by its creator and kept, so the authorization
 *   policy's `permissionGrantPoliciesAssigned` entries (`ManagePermissionGrantsForSelf.{id}`)
 *   name the same policy in the new tenant; their reference rule only orders the
 *   authorization policy's update after the policy's create. Microsoft's built-in policies
 *   (ids `microsoft-…`) and their condition sets exist in every tenant and are never written
 *   (src/restore/catalog.ts `isMicrosoftBuiltIn`).
 * - Condition sets are written after their policy (`POST …/{id}/includes`, `…/excludes`);
 *   they cannot be updated, so every property is create-only and together they are the key.
 *   An appId they name (`resourceApplication`, `clientApplicationIds`) of an app the restore
 *   recreates, and the lost tenant's id in `clientApplicationTenantIds`, are written in the
 *   target's terms by the planner's embedded-value rewrite (src/restore/plan/embed.ts).
 * - Delegated permission classifications live under the API's service principal (usually a
 *   first-party one such as Microsoft Graph, which has another id in every tenant): matched
 *   by permissionId under the matched service principal, created under its live id.
 */
import type { ReferenceRule, ResourceDescriptor } from './types.js';
import { define, ms } from './define.js';

const P = {
  appConfig: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ApplicationConfiguration' },
  grant: { read: 'Policy.Read.PermissionGrant', write: 'Policy.ReadWrite.PermissionGrant' },
  // List delegatedPermissionClassifications: Application.Read.All; create/delete: Policy.ReadWrite.PermissionGrant
  classification: { read: 'Application.Read.All', write: 'Policy.ReadWrite.PermissionGrant' },
  consentRequest: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ConsentRequest' },
} as const;

/**
 * The authorization policy's permission grant policies for the default user role:
 * `ManagePermissionGrantsForSelf.{policyId}` (user consent) and
 * `ManagePermissionGrantsForOwnedResource.{policyId}` (resource-specific consent).
 */
export const AUTHORIZATION_POLICY_GRANT_REFS: readonly ReferenceRule[] = [{
  path: 'defaultUserRolePermissions.permissionGrantPoliciesAssigned', by: 'idInText',
  pattern: '^ManagePermissionGrantsFor(?:Self|OwnedResource)\\.(.+)$', targets: ['permissionGrantPolicy'], required: false,
}];

/**
 * Admin consent reviewers (`reviewers[].query`): `/users/{id}` and
 * `/groups/{id}/transitiveMembers/microsoft.graph.user` name a user or a group; a role
 * reviewer names a built-in role template (the same in every tenant) and is kept. Not
 * required: an unresolvable reviewer is taken out, reported and listed as a manual step.
 */
const REVIEWER_REFS: readonly ReferenceRule[] = [{
  path: 'reviewers.query', by: 'idInText', pattern: '^/(?:v1\\.0/|beta/)?(?:users|groups)/([^/?]+)(?:/|$)',
  targets: ['user', 'group'], required: false,
}];

const CONDITION_KEY = 'permissionType+permissionClassification+resourceApplication+permissions+clientApplicationIds+clientApplicationTenantIds+clientApplicationPublisherIds+clientApplicationsFromVerifiedPublisherOnly';

const conditionSet = (type: 'permissionGrantPolicyInclude' | 'permissionGrantPolicyExclude', nav: string, title: string): ResourceDescriptor => define({
  type, entityType: ms('permissionGrantConditionSet'), title,
  path: `/policies/permissionGrantPolicies/{parentId}/${nav}`, shape: 'contained', parentType: 'permissionGrantPolicy',
  // Condition sets are added and removed, never updated.
  createOnly: ['clientApplicationIds', 'clientApplicationPublisherIds', 'clientApplicationsFromVerifiedPublisherOnly', 'clientApplicationTenantIds',
    'permissionClassification', 'permissions', 'permissionType', 'resourceApplication'],
  requiredOnCreate: ['permissionType'], naturalKey: [CONDITION_KEY], softDelete: 'hard', tier: 1, permissions: P.grant,
});

/** The tier-1 ones (policies nothing else must exist for), in restore order. */
export const consentPolicies: readonly ResourceDescriptor[] = [
  define({
    type: 'tenantAppManagementPolicy', entityType: ms('tenantAppManagementPolicy'), title: 'App management policy (tenant default)',
    path: '/policies/defaultAppManagementPolicy', shape: 'singleton',
    readOnly: ['deletedDateTime'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1, permissions: P.appConfig,
  }),
  define({
    type: 'appManagementPolicy', entityType: ms('appManagementPolicy'), title: 'App management policy',
    path: '/policies/appManagementPolicies', shape: 'collection',
    readOnly: ['deletedDateTime'], requiredOnCreate: ['description', 'displayName'], naturalKey: ['displayName'], softDelete: 'hard', tier: 1,
    permissions: P.appConfig,
  }),
  define({
    type: 'permissionGrantPolicy', entityType: ms('permissionGrantPolicy'), title: 'Permission grant (app consent) policy',
    path: '/policies/permissionGrantPolicies', shape: 'collection',
    readOnly: ['deletedDateTime'], createOnly: ['id'], requiredOnCreate: ['id'], naturalKey: ['id'], softDelete: 'hard', tier: 1, permissions: P.grant,
  }),
  conditionSet('permissionGrantPolicyInclude', 'includes', 'Permission grant policy include condition set'),
  conditionSet('permissionGrantPolicyExclude', 'excludes', 'Permission grant policy exclude condition set'),
];

/** The tier-3 ones: they name service principals, users and groups restored in tier 2. */
export const consentSettings: readonly ResourceDescriptor[] = [
  define({
    type: 'delegatedPermissionClassification', entityType: ms('delegatedPermissionClassification'), title: 'Delegated permission classification',
    path: '/servicePrincipals/{parentId}/delegatedPermissionClassifications', shape: 'contained', parentType: 'servicePrincipal',
    // Classifications are added and removed, never updated.
    createOnly: ['classification', 'permissionId', 'permissionName'], requiredOnCreate: ['classification', 'permissionId'],
    naturalKey: ['permissionId', 'permissionName'], softDelete: 'hard', tier: 3, permissions: P.classification,
  }),
  define({
    type: 'adminConsentRequestPolicy', entityType: ms('adminConsentRequestPolicy'), title: 'Admin consent request policy',
    path: '/policies/adminConsentRequestPolicy', shape: 'singleton',
    readOnly: ['version'], requiredOnCreate: [], references: REVIEWER_REFS,
    // Tier 3: its reviewers are users and groups that exist only after tier 2.
    naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P.consentRequest,
  }),
];
