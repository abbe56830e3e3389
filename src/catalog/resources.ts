/**
 * Hand-written restore rules per resource type. Property lists come from the
 * generated v1.0 CSDL subset (./generated/graph-v1.0.ts): `properties` is every
 * structural property of the entity type and its bases, minus `excluded` (each with
 * a reason) and `perObjectProperties`; read-only is CSDL Computed plus what the docs
 * call read-only (docs/graph-facts.md §3).
 *
 * Conventions other modules rely on:
 * - `naturalKey` entries are alternatives tried in order. An entry joining names with
 *   `+` is a composite key (`principalId+resourceId+appRoleId`); reference-valued
 *   parts are compared after old→new id remapping. Dotted entries address nested
 *   values (`roleMemberInfo.id`). An empty list means "the only live object"
 *   (singletons, the organization).
 * - Role references: CA include/excludeRoles hold template ids (`by: 'roleTemplateId'`);
 *   custom definitions are recreated with their archived `templateId` (writable when
 *   isBuiltIn=false), so the value stays. Role assignments and PIM schedules hold the
 *   definition's object id (`by: 'roleDefinitionId'`): built-in definitions have
 *   id == templateId in every tenant (docs/graph-facts.md §3 "Built-in role ids"); a
 *   recreated custom definition has a new id, which may differ from its templateId, so
 *   the value is swapped for the live definition's id.
 * - scopedRoleMembership.roleId is a *directoryRole* object id in Graph. The catalog
 *   has no directoryRole type; it is declared `by: 'roleTemplateId'` with target
 *   roleDefinition: the backup notes the directoryRole's `roleTemplateId` beside it
 *   (`@roleTemplateId`), the planner writes that template, and the executor activates it
 *   in the target and writes the target's directoryRole id (docs/graph-facts.md §3
 *   "Directory roles").
 * - crossTenantAccessPolicyPartner is keyed by `tenantId` in Graph (no `id`); the
 *   archive stores `id` = `tenantId` (`keyProperty: 'tenantId'`).
 * - PIM role settings (./pim-policies.ts): a roleManagementPolicy has no key of its own and
 *   another id in every tenant; it is matched through its roleManagementPolicyAssignment's
 *   roleDefinitionId (restore/diff.ts), and its lists need `listQuery` (Graph's required filter).
 *
 * Deviations from the first plan (docs/decisions.md "Catalog"), and why:
 * - Tier: domains are tier 1 (users' UPNs need the domain first), not tier 2. The
 *   authentication method configurations and cross-tenant default/partner settings
 *   are tier 3, not 1: they reference groups/users/apps (includeTargets, usersAndGroups
 *   targets) that only exist after tier 2. Named locations are tier 1 (nothing they
 *   depend on), as the catalog brief asks; the first plan had them in tier 2.
 * - Administrative units live at `/directory/administrativeUnits`: the v1.0 CSDL has
 *   no `/administrativeUnits` entity set (only `directory.administrativeUnits`).
 * - organizationalBranding is a single-valued navigation of an organization, so it is
 *   shape 'singleton' with a `{parentId}` path and parentType organization.
 * - authenticationMethodConfiguration and crossTenantAccessPolicyPartner are
 *   collections under a singleton, so shape 'collection' (no `{parentId}`).
 * - PIM schedules are read from roleEligibilitySchedules / roleAssignmentSchedules,
 *   but Graph creates them only through the matching `…ScheduleRequests` endpoints
 *   (action adminAssign); `path` is the read path.
 * - groupSetting values can name a group (EnableGroupCreation's
 *   GroupCreationAllowedGroupId): a name/value pair cannot be expressed as a
 *   ReferenceRule path, so the planner must special-case it.
 */
import type { ReferenceRule, ResourceDescriptor, ResourceType } from './types.js';
import { defaultsFromNotes, define, ms } from './define.js';
import { roleManagementPolicy, roleManagementPolicyAssignment } from './pim-policies.js';
import { pimGroupPolicies, pimGroupSchedules } from './pim-groups.js';
import { AUTH_METHODS_POLICY_REFS, AUTHENTICATOR_FEATURE_REFS, CROSS_TENANT_REFS } from './policy-refs.js';
import { AUTHORIZATION_POLICY_GRANT_REFS, consentPolicies, consentSettings } from './consent-policies.js';
import { entitlementTypes } from './entitlement.js';
import { entitlementResourceTypes } from './entitlement-resources.js';
import { governanceTypes } from './governance.js';
import { crossTenantIdentitySyncPolicyPartner, multiTenantOrganization, multiTenantOrganizationJoinRequest, multiTenantOrganizationMember, peopleSettingsTypes } from './cross-tenant-sync.js';
import { certificateBasedAuthConfiguration, device, deviceRegistrationPolicy, orgContact } from './devices.js';
import { authenticationContextClassReference, CA_DEPENDENCY_REFS, CA_LOCATION_VALUES } from './ca-dependencies.js';
import { groupLifecyclePolicy, groupSpecificSetting } from './directory-settings.js';
import { BRANDING_STREAM, brandingLocalization } from './branding.js';
import { authenticationEventListener, authenticationFlowsPolicy, b2xUserFlow, customAuthenticationExtension, domainFederation, identityProvider, userFlowAttribute, userFlowAttributeAssignment, userFlowLanguage, authenticationEventsFlow } from './external-identities.js';

// Permissions (docs/graph-facts.md §6; names from ./permissions.ts).
const P = {
  org: { read: 'Organization.Read.All', write: 'Organization.ReadWrite.All' },
  domain: { read: 'Domain.Read.All', write: 'Domain.ReadWrite.All' },
  user: { read: 'User.Read.All', write: 'User.ReadWrite.All' },
  group: { read: 'Group.Read.All', write: 'Group.ReadWrite.All' },
  // Current docs list Group.ReadWrite.All among the permissions for /groupSettings writes.
  groupSetting: { read: 'Directory.Read.All', write: 'Group.ReadWrite.All' },
  app: { read: 'Application.Read.All', write: 'Application.ReadWrite.All' },
  appRoleAssignment: { read: 'Application.Read.All', write: 'AppRoleAssignment.ReadWrite.All' },
  grant: { read: 'Directory.Read.All', write: 'DelegatedPermissionGrant.ReadWrite.All' },
  role: { read: 'RoleManagement.Read.Directory', write: 'RoleManagement.ReadWrite.Directory' },
  au: { read: 'AdministrativeUnit.Read.All', write: 'AdministrativeUnit.ReadWrite.All' },
  scopedRole: { read: 'AdministrativeUnit.Read.All', write: 'RoleManagement.ReadWrite.Directory' },
  ca: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ConditionalAccess' },
  authMethods: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.AuthenticationMethod' },
  authorization: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.Authorization' },
  crossTenant: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.CrossTenantAccess' },
  // Update identitySecurityDefaultsEnforcementPolicy (v1.0) admits Policy.ReadWrite.SecurityDefaults
  // or Policy.ReadWrite.ConditionalAccess; the writer holds the latter already (docs/graph-facts.md §3).
  securityDefaults: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ConditionalAccess' },
  // The five stsPolicy kinds: https://learn.microsoft.com/graph/api/resources/policy-overview
  appConfig: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ApplicationConfiguration' },
  csa: { read: 'CustomSecAttributeDefinition.Read.All', write: 'CustomSecAttributeDefinition.ReadWrite.All' },
} as const;

const SCOPED_PRINCIPALS: readonly ResourceType[] = ['user', 'group', 'servicePrincipal'];

/** Built-in authentication strengths exist in every tenant with these ids. */
const BUILT_IN_AUTH_STRENGTHS = [
  '00000000-0000-0000-0000-000000000002',
  '00000000-0000-0000-0000-000000000003',
  '00000000-0000-0000-0000-000000000004',
] as const;

const ROLE_REFS: readonly ReferenceRule[] = [
  { path: 'principalId', by: 'id', targets: SCOPED_PRINCIPALS, required: true },
  { path: 'roleDefinitionId', by: 'roleDefinitionId', targets: ['roleDefinition'], required: true },
  // docs/graph-facts.md §3 unifiedRoleAssignment: '/', '/administrativeUnits/{id}', '/{application-objectId}'.
  { path: 'directoryScopeId', by: 'directoryScope', targets: ['administrativeUnit', 'application'], specialValues: ['/'], required: true },
];

const EXTENSION_ATTRIBUTES: ReferenceRule = {
  // docs/design.md "Restore": extension attribute names embed the owning app's appId.
  path: '*',
  by: 'extensionName',
  targets: ['application'],
  required: false,
};

/** Every CA reference (docs/graph-facts.md §3 "Conditional Access"); all required: never weaken a policy. */
const CA_REFS: readonly ReferenceRule[] = [
  ...(['includeUsers', 'excludeUsers'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'id', targets: ['user'], specialValues: ['All', 'None', 'GuestsOrExternalUsers'], required: true,
  })),
  ...(['includeGroups', 'excludeGroups'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'id', targets: ['group'], required: true,
  })),
  ...(['includeRoles', 'excludeRoles'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'roleTemplateId', targets: ['roleDefinition'], required: true,
  })),
  ...(['includeApplications', 'excludeApplications'] as const).map((p): ReferenceRule => ({
    path: `conditions.applications.${p}`, by: 'appId', targets: ['servicePrincipal'],
    specialValues: ['All', 'None', 'Office365', 'MicrosoftAdminPortals'], required: true,
  })),
  ...(['includeServicePrincipals', 'excludeServicePrincipals'] as const).map((p): ReferenceRule => ({
    path: `conditions.clientApplications.${p}`, by: 'id', targets: ['servicePrincipal'],
    specialValues: ['ServicePrincipalsInMyTenant'], required: true,
  })),
  ...(['includeLocations', 'excludeLocations'] as const).map((p): ReferenceRule => ({
    path: `conditions.locations.${p}`, by: 'id', targets: ['namedLocation'], specialValues: CA_LOCATION_VALUES, required: true,
  })),
  {
    path: 'grantControls.authenticationStrength.id', by: 'id', targets: ['authenticationStrengthPolicy'],
    specialValues: BUILT_IN_AUTH_STRENGTHS, required: true,
  },
  ...CA_DEPENDENCY_REFS,
];

/** Cross-tenant settings: outbound user/group targets and inbound app targets are local objects. */

const STREAM = 'binary stream (Edm.Stream): not selectable; fetched with its own GET and not part of the JSON object';
const DELEGATED_ONLY = 'per-signed-in-user state, only readable with delegated permissions; not tenant data';

/** Token and session policies (stsPolicy): [type, title, Graph path]. */
const STS_POLICIES: readonly [ResourceType, string, string][] = [
  ['activityBasedTimeoutPolicy', 'Activity-based timeout policy', '/policies/activityBasedTimeoutPolicies'],
  ['claimsMappingPolicy', 'Claims-mapping policy', '/policies/claimsMappingPolicies'],
  ['homeRealmDiscoveryPolicy', 'Home realm discovery policy', '/policies/homeRealmDiscoveryPolicies'],
  ['tokenIssuancePolicy', 'Token issuance policy', '/policies/tokenIssuancePolicies'],
  ['tokenLifetimePolicy', 'Token lifetime policy', '/policies/tokenLifetimePolicies'],
];

/** The catalog in restore order (tier, then dependencies within a tier). */
export const resources: readonly ResourceDescriptor[] = [
  define({
    type: 'organization', entityType: ms('organization'), title: 'Organization', path: '/organization', shape: 'collection',
    // Update organization accepts only the notification/privacy properties.
    readOnly: ['assignedPlans', 'businessPhones', 'city', 'country', 'countryLetterCode', 'createdDateTime', 'defaultUsageLocation',
      'displayName', 'mobileDeviceManagementAuthority', 'onPremisesLastSyncDateTime', 'onPremisesSyncEnabled', 'partnerTenantType',
      'postalCode', 'preferredLanguage', 'provisionedPlans', 'state', 'street', 'tenantType', 'verifiedDomains'],
    requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1, permissions: P.org,
  }),
  define({
    type: 'organizationalBranding', entityType: ms('organizationalBranding'), title: 'Company branding',
    path: '/organization/{parentId}/branding', shape: 'singleton', parentType: 'organization', requestHeaders: { 'Accept-Language': '0' },
    excluded: {
      backgroundImage: BRANDING_STREAM, bannerLogo: BRANDING_STREAM, customCSS: BRANDING_STREAM, favicon: BRANDING_STREAM, headerLogo: BRANDING_STREAM,
      squareLogo: BRANDING_STREAM, squareLogoDark: BRANDING_STREAM,
    },
    readOnly: ['backgroundImageRelativeUrl', 'bannerLogoRelativeUrl', 'cdnList', 'customCSSRelativeUrl', 'faviconRelativeUrl',
      'headerLogoRelativeUrl', 'squareLogoDarkRelativeUrl', 'squareLogoRelativeUrl'],
    requiredOnCreate: [], naturalKey: [], softDelete: 'hard', tier: 1, permissions: P.org,
  }),
  brandingLocalization,
  certificateBasedAuthConfiguration,
  define({
    type: 'domain', entityType: ms('domain'), title: 'Domain', path: '/domains', shape: 'collection',
    readOnly: ['availabilityStatus', 'isAdminManaged', 'isInitial', 'isRoot', 'isVerified', 'manufacturer', 'model', 'state'],
    // The domain's id is its name, given on create.
    createOnly: ['id'], requiredOnCreate: ['id'], naturalKey: ['id'], softDelete: 'hard', tier: 1, permissions: P.domain,
  }),
  define({
    type: 'authorizationPolicy', entityType: ms('authorizationPolicy'), title: 'Authorization policy',
    path: '/policies/authorizationPolicy', shape: 'singleton',
    readOnly: ['deletedDateTime'], requiredOnCreate: [], references: AUTHORIZATION_POLICY_GRANT_REFS,
    naturalKey: [], softDelete: 'notDeletable', tier: 1, permissions: P.authorization,
  }),
  define({
    // Security defaults: on in every tenant created since October 2019, and incompatible
    // with enabled Conditional Access policies, so a tenant-loss restore turns them off
    // (as archived) before any CA policy is switched on (restore/plan/operations.ts).
    type: 'identitySecurityDefaultsEnforcementPolicy', entityType: ms('identitySecurityDefaultsEnforcementPolicy'),
    title: 'Security defaults', path: '/policies/identitySecurityDefaultsEnforcementPolicy', shape: 'singleton',
    readOnly: ['deletedDateTime', 'description', 'displayName'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1,
    permissions: P.securityDefaults,
  }),
  ...STS_POLICIES.map(([type, title, path]) => define({
    // definition: one JSON string per policy (Collection(Edm.String)); isOrganizationDefault
    // applies it tenant-wide. Their assignments to apps and service principals are not in the
    // catalog yet (docs/coverage.md).
    type, entityType: ms(type), title, path, shape: 'collection',
    readOnly: ['deletedDateTime'], requiredOnCreate: ['definition', 'displayName'], naturalKey: ['displayName'], softDelete: 'hard', tier: 1,
    permissions: P.appConfig,
  })),
  ...consentPolicies,
  groupLifecyclePolicy,
  define({
    type: 'groupSetting', entityType: ms('groupSetting'), title: 'Group setting (tenant-wide)', path: '/groupSettings', shape: 'collection',
    readOnly: ['displayName'], createOnly: ['templateId'], requiredOnCreate: ['templateId', 'values'],
    naturalKey: ['templateId'], softDelete: 'hard', tier: 1, permissions: P.groupSetting,
  }),
  define({
    type: 'attributeSet', entityType: ms('attributeSet'), title: 'Custom security attribute set', path: '/directory/attributeSets',
    shape: 'collection', createOnly: ['id'], requiredOnCreate: ['id'], naturalKey: ['id'],
    // Attribute sets cannot be deleted.
    softDelete: 'notDeletable', tier: 1, permissions: P.csa,
  }),
  define({
    type: 'customSecurityAttributeDefinition', entityType: ms('customSecurityAttributeDefinition'), title: 'Custom security attribute',
    path: '/directory/customSecurityAttributeDefinitions', shape: 'collection',
    createOnly: ['attributeSet', 'isCollection', 'isSearchable', 'name', 'type'],
    requiredOnCreate: ['attributeSet', 'isCollection', 'isSearchable', 'name', 'status', 'type'],
    references: [{ path: 'attributeSet', by: 'id', targets: ['attributeSet'], required: true }],
    // Predefined values (issue 15 item 10) are kept with their definition: an allowedValue's id
    // is the value itself, unique only within its definition, and Graph creates them inline in
    // the definition's POST (docs/graph-facts.md S196, S197); on an existing definition they are
    // written one by one (src/restore/execute/allowed-values.ts).
    inlineNavigation: ['allowedValues'], listQuery: '$expand=allowedValues',
    // Definitions cannot be deleted, only deactivated (status).
    // Graph names a definition <attributeSet>_<name>; the pair is the key if an id ever differs.
    naturalKey: ['id', 'attributeSet+name'], softDelete: 'notDeletable', tier: 1, permissions: P.csa,
  }),
  define({
    type: 'crossTenantAccessPolicy', entityType: ms('crossTenantAccessPolicy'), title: 'Cross-tenant access policy',
    path: '/policies/crossTenantAccessPolicy', shape: 'singleton',
    readOnly: ['deletedDateTime'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1, permissions: P.crossTenant,
  }),
  define({
    type: 'namedLocation', entityType: ms('namedLocation'), title: 'Named location', path: '/identity/conditionalAccess/namedLocations',
    shape: 'collection', polymorphic: true, readOnly: ['createdDateTime', 'modifiedDateTime', 'deletedDateTime'],
    requiredOnCreate: ['displayName'], naturalKey: ['displayName'],
    // docs/graph-facts.md §3: CA policies and named locations soft-delete for 30 days.
    softDelete: 'caDeletedItems', tier: 1, permissions: P.ca,
  }),
  authenticationContextClassReference, authenticationFlowsPolicy, identityProvider, domainFederation,
  define({
    type: 'authenticationStrengthPolicy', entityType: ms('authenticationStrengthPolicy'), title: 'Authentication strength',
    path: '/policies/authenticationStrengthPolicies', shape: 'collection',
    readOnly: ['createdDateTime', 'modifiedDateTime', 'policyType', 'requirementsSatisfied'],
    requiredOnCreate: ['allowedCombinations', 'displayName'], naturalKey: ['displayName'], softDelete: 'hard', tier: 1, permissions: P.ca,
  }),
  define({
    // The FIDO2 AAGUIDs and certificate issuers a custom strength accepts: without them a
    // restored strength accepts any key or certificate (issue 11 item 10). Built-in strengths
    // have none. Where v1.0 documents them (docs/graph-facts.md S390, authenticationstrengthpolicy-post-combinationconfigurations).
    type: 'authenticationCombinationConfiguration', entityType: ms('authenticationCombinationConfiguration'), polymorphic: true,
    title: 'Authentication strength combination configuration',
    path: '/identity/conditionalAccess/authenticationStrength/policies/{parentId}/combinationConfigurations', shape: 'contained', parentType: 'authenticationStrengthPolicy',
    requiredOnCreate: ['appliesToCombinations'],
    naturalKey: ['appliesToCombinations'], softDelete: 'hard', tier: 1, permissions: P.ca,
  }),
  define({
    type: 'user', entityType: ms('user'), title: 'User', path: '/users', shape: 'collection',
    // docs/graph-facts.md §2: exactly these 11 without $select.
    defaultProperties: defaultsFromNotes(ms('user')),
    excluded: {
      signInActivity: 'needs AuditLog.Read.All and an Entra ID P1/P2 licence; a $select with it fails the whole list otherwise, and it is telemetry, not restorable state',
      mailboxSettings: 'Exchange mailbox setting, not directory data; needs MailboxSettings.Read and a mailbox',
      employeeLeaveDateTime: 'needs User-LifeCycleInfo.Read.All, which the backup reader does not hold',
      print: 'Universal Print printer shares, not directory data; needs printer permissions',
    },
    // Graph returns these SharePoint profile properties only on GET /users/{id}.
    perObjectProperties: ['aboutMe', 'birthday', 'hireDate', 'interests', 'mySite', 'pastProjects', 'preferredName', 'responsibilities', 'schools', 'skills'],
    // docs/graph-facts.md §3: proxyAddresses and most onPremises* are read-only; onPremisesImmutableId is writable.
    readOnly: ['deletedDateTime', 'assignedLicenses', 'assignedPlans', 'createdDateTime', 'creationType', 'externalUserState',
      'externalUserStateChangeDateTime', 'identityParentId', 'imAddresses', 'isManagementRestricted', 'lastPasswordChangeDateTime',
      'legalAgeGroupClassification', 'licenseAssignmentStates', 'onPremisesDistinguishedName', 'onPremisesDomainName',
      'onPremisesLastSyncDateTime', 'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
      'onPremisesSyncEnabled', 'onPremisesUserPrincipalName', 'provisionedPlans', 'proxyAddresses', 'securityIdentifier',
      'serviceProvisioningErrors', 'signInSessionsValidFromDateTime'],
    // docs/graph-facts.md §3 Users.
    requiredOnCreate: ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName'],
    references: [EXTENSION_ATTRIBUTES],
    naturalKey: ['userPrincipalName', 'onPremisesImmutableId'], softDelete: 'recycleBin', delta: true, tier: 2, permissions: P.user,
  }),
  device, orgContact,
  define({
    type: 'group', entityType: ms('group'), title: 'Group', path: '/groups', shape: 'collection',
    // docs/graph-facts.md §2: the 2021 default subset, and what the documented List groups
    // response carries besides (https://learn.microsoft.com/graph/api/group-list:
    // deletedDateTime, resourceBehaviorOptions, resourceProvisioningOptions). The 2019 pages'
    // creationOptions is not a v1.0 property any more (not in the CSDL): not served.
    defaultProperties: [...defaultsFromNotes(ms('group')), 'deletedDateTime', 'resourceBehaviorOptions', 'resourceProvisioningOptions'],
    excluded: {
      isSubscribedByMail: DELEGATED_ONLY, isFavorite: DELEGATED_ONLY, unseenCount: DELEGATED_ONLY,
      unseenConversationsCount: DELEGATED_ONLY, unseenMessagesCount: DELEGATED_ONLY,
    },
    // docs/graph-facts.md §2: supported only on GET /groups/{id}, not on list (Microsoft 365 groups).
    perObjectProperties: ['allowExternalSenders', 'autoSubscribeNewMembers', 'hideFromAddressLists', 'hideFromOutlookClients'],
    // docs/graph-facts.md §3 Read-only properties (group).
    readOnly: ['deletedDateTime', 'assignedLicenses', 'createdDateTime', 'expirationDateTime', 'hasMembersWithLicenseErrors', 'isArchived',
      'isManagementRestricted', 'licenseProcessingState', 'mail', 'onPremisesDomainName', 'onPremisesLastSyncDateTime',
      'onPremisesNetBiosName', 'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
      'onPremisesSyncEnabled', 'organizationId', 'proxyAddresses', 'renewedDateTime', 'securityIdentifier', 'serviceProvisioningErrors'],
    createOnly: ['isAssignableToRole', 'resourceBehaviorOptions', 'resourceProvisioningOptions', 'uniqueName'],
    requiredOnCreate: ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'],
    references: [EXTENSION_ATTRIBUTES],
    naturalKey: ['uniqueName', 'mailNickname', 'displayName'],
    // docs/graph-facts.md §4: only Microsoft 365 (Unified) groups soft-delete.
    softDelete: 'recycleBinIfUnified', delta: true, tier: 2, permissions: P.group,
  }),
  define({
    type: 'application', entityType: ms('application'), title: 'App registration', path: '/applications', shape: 'collection',
    excluded: { logo: STREAM },
    // docs/graph-facts.md §3: appId is server-generated; passwordCredentials only via addPassword.
    readOnly: ['deletedDateTime', 'appId', 'certification', 'createdDateTime', 'disabledByMicrosoftStatus', 'passwordCredentials',
      'publisherDomain', 'verifiedPublisher'],
    createOnly: ['uniqueName'],
    requiredOnCreate: ['displayName'],
    references: [
      // May point outside the tenant (Microsoft Graph's own appId): not required.
      { path: 'requiredResourceAccess.resourceAppId', by: 'appId', targets: ['servicePrincipal'], required: false },
      { path: 'api.preAuthorizedApplications.appId', by: 'appId', targets: ['servicePrincipal'], required: false },
    ],
    naturalKey: ['uniqueName', 'displayName'], softDelete: 'recycleBin', delta: true, tier: 2, permissions: P.app,
  }),
  define({
    type: 'extensionProperty', entityType: ms('extensionProperty'), title: 'Directory extension',
    path: '/applications/{parentId}/extensionProperties', shape: 'contained', parentType: 'application',
    readOnly: ['deletedDateTime', 'appDisplayName', 'isSyncedFromOnPremises'],
    // Extension properties cannot be updated, only deleted and recreated.
    createOnly: ['dataType', 'isMultiValued', 'name', 'targetObjects'],
    requiredOnCreate: ['dataType', 'name', 'targetObjects'],
    // `name` embeds the owning app's appId: compare after remapping.
    naturalKey: ['name'], softDelete: 'hard', tier: 2, permissions: P.app,
  }),
  define({
    type: 'federatedIdentityCredential', entityType: ms('federatedIdentityCredential'), title: 'Federated identity credential',
    path: '/applications/{parentId}/federatedIdentityCredentials', shape: 'contained', parentType: 'application',
    createOnly: ['name'], requiredOnCreate: ['audiences', 'issuer', 'name', 'subject'],
    naturalKey: ['name'], softDelete: 'hard', tier: 2, permissions: P.app,
  }),
  define({
    type: 'servicePrincipal', entityType: ms('servicePrincipal'), title: 'Service principal', path: '/servicePrincipals', shape: 'collection',
    readOnly: ['deletedDateTime', 'appDescription', 'appDisplayName', 'appOwnerOrganizationId', 'applicationTemplateId',
      'disabledByMicrosoftStatus', 'passwordCredentials', 'resourceSpecificApplicationPermissions', 'servicePrincipalType',
      'signInAudience', 'verifiedPublisher'],
    createOnly: ['appId'],
    // docs/graph-facts.md §3: a service principal needs only appId.
    requiredOnCreate: ['appId'],
    references: [
      // Multi-tenant and first-party apps have no application object in this tenant.
      { path: 'appId', by: 'appId', targets: ['application'], required: false },
    ],
    naturalKey: ['appId'], softDelete: 'recycleBin', delta: true, tier: 2, permissions: P.app,
  }),
  define({
    type: 'roleDefinition', entityType: ms('unifiedRoleDefinition'), title: 'Directory role definition',
    path: '/roleManagement/directory/roleDefinitions', shape: 'collection',
    readOnly: ['isBuiltIn'], createOnly: ['templateId'],
    requiredOnCreate: ['displayName', 'isEnabled', 'rolePermissions'],
    // Built-in definitions cannot be deleted; custom ones are hard-deleted.
    naturalKey: ['templateId', 'displayName'], softDelete: 'hard', tier: 2, permissions: P.role,
  }),
  define({
    type: 'administrativeUnit', entityType: ms('administrativeUnit'), title: 'Administrative unit',
    path: '/directory/administrativeUnits', shape: 'collection',
    readOnly: ['deletedDateTime'], requiredOnCreate: ['displayName'],
    references: [EXTENSION_ATTRIBUTES],
    naturalKey: ['displayName'], softDelete: 'recycleBin', delta: true, tier: 2, permissions: P.au,
  }),
  b2xUserFlow, deviceRegistrationPolicy, // the policy after the users and groups it names (./devices.ts)
  define({
    type: 'appRoleAssignment', entityType: ms('appRoleAssignment'), title: 'App role assignment',
    path: '/servicePrincipals/{parentId}/appRoleAssignedTo', shape: 'contained', parentType: 'servicePrincipal',
    // docs/graph-facts.md §3 appRoleAssignment.
    readOnly: ['deletedDateTime', 'createdDateTime', 'principalDisplayName', 'principalType', 'resourceDisplayName'],
    createOnly: ['appRoleId', 'principalId', 'resourceId'],
    requiredOnCreate: ['appRoleId', 'principalId', 'resourceId'],
    references: [
      { path: 'principalId', by: 'id', targets: SCOPED_PRINCIPALS, required: true },
      { path: 'resourceId', by: 'id', targets: ['servicePrincipal'], required: true },
    ],
    naturalKey: ['principalId+resourceId+appRoleId'], softDelete: 'hard', tier: 3, permissions: P.appRoleAssignment,
  }),
  define({
    type: 'oauth2PermissionGrant', entityType: ms('oAuth2PermissionGrant'), title: 'Delegated permission grant',
    path: '/oauth2PermissionGrants', shape: 'collection',
    createOnly: ['clientId', 'consentType', 'principalId', 'resourceId'],
    // docs/graph-facts.md §3 oAuth2PermissionGrant; principalId only when consentType is Principal.
    requiredOnCreate: ['clientId', 'consentType', 'resourceId'],
    references: [
      { path: 'clientId', by: 'id', targets: ['servicePrincipal'], required: true },
      { path: 'resourceId', by: 'id', targets: ['servicePrincipal'], required: true },
      { path: 'principalId', by: 'id', targets: ['user'], required: true },
    ],
    naturalKey: ['clientId+resourceId+principalId'], softDelete: 'hard', delta: true, tier: 3, permissions: P.grant,
  }),
  define({
    type: 'roleAssignment', entityType: ms('unifiedRoleAssignment'), title: 'Directory role assignment',
    path: '/roleManagement/directory/roleAssignments', shape: 'collection',
    readOnly: ['principalOrganizationId'],
    // Role assignments cannot be updated, only deleted and recreated.
    createOnly: ['appScopeId', 'condition', 'directoryScopeId', 'principalId', 'roleDefinitionId'],
    requiredOnCreate: ['directoryScopeId', 'principalId', 'roleDefinitionId'],
    references: ROLE_REFS,
    naturalKey: ['principalId+roleDefinitionId+directoryScopeId'], softDelete: 'hard', tier: 3, permissions: P.role,
  }),
  define({
    type: 'roleEligibilitySchedule', entityType: ms('unifiedRoleEligibilitySchedule'), title: 'PIM role eligibility',
    path: '/roleManagement/directory/roleEligibilitySchedules', shape: 'collection',
    readOnly: ['createdDateTime', 'createdUsing', 'memberType', 'modifiedDateTime', 'status'],
    createOnly: ['appScopeId', 'directoryScopeId', 'principalId', 'roleDefinitionId'],
    requiredOnCreate: ['directoryScopeId', 'principalId', 'roleDefinitionId', 'scheduleInfo'],
    references: ROLE_REFS,
    naturalKey: ['principalId+roleDefinitionId+directoryScopeId'], softDelete: 'hard', tier: 3, permissions: P.role,
  }),
  define({
    type: 'roleAssignmentSchedule', entityType: ms('unifiedRoleAssignmentSchedule'), title: 'PIM active role assignment',
    path: '/roleManagement/directory/roleAssignmentSchedules', shape: 'collection',
    readOnly: ['assignmentType', 'createdDateTime', 'createdUsing', 'memberType', 'modifiedDateTime', 'status'],
    createOnly: ['appScopeId', 'directoryScopeId', 'principalId', 'roleDefinitionId'],
    requiredOnCreate: ['directoryScopeId', 'principalId', 'roleDefinitionId', 'scheduleInfo'],
    references: ROLE_REFS,
    naturalKey: ['principalId+roleDefinitionId+directoryScopeId'], softDelete: 'hard', tier: 3, permissions: P.role,
  }),
  // PIM role settings: after the schedules, before anything that could depend on them (./pim-policies.ts).
  roleManagementPolicy,
  roleManagementPolicyAssignment,
  ...pimGroupSchedules, ...pimGroupPolicies, // group policies after the schedules that onboard their group
  define({
    type: 'scopedRoleMembership', entityType: ms('scopedRoleMembership'), title: 'AU-scoped role member',
    path: '/directory/administrativeUnits/{parentId}/scopedRoleMembers', shape: 'contained', parentType: 'administrativeUnit',
    createOnly: ['administrativeUnitId', 'roleId', 'roleMemberInfo'],
    requiredOnCreate: ['roleId', 'roleMemberInfo'],
    references: [
      { path: 'administrativeUnitId', by: 'id', targets: ['administrativeUnit'], required: true },
      { path: 'roleId', by: 'roleTemplateId', targets: ['roleDefinition'], required: true },
      { path: 'roleMemberInfo.id', by: 'id', targets: SCOPED_PRINCIPALS, required: true },
    ],
    naturalKey: ['administrativeUnitId+roleId+roleMemberInfo.id'], softDelete: 'hard', tier: 3, permissions: P.scopedRole,
  }),
  ...consentSettings,
  groupSpecificSetting,
  ...entitlementTypes,
  ...entitlementResourceTypes,
  ...governanceTypes,
  define({
    type: 'authenticationMethodsPolicy', entityType: ms('authenticationMethodsPolicy'), title: 'Authentication methods policy',
    path: '/policies/authenticationMethodsPolicy', shape: 'singleton',
    readOnly: ['lastModifiedDateTime'], requiredOnCreate: [], references: AUTH_METHODS_POLICY_REFS,
    // Tier 3, not 1: its targets name groups that exist only after tier 2.
    naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P.authMethods,
  }),
  define({
    type: 'authenticationMethodConfiguration', entityType: ms('authenticationMethodConfiguration'),
    title: 'Authentication method configuration', path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations',
    shape: 'collection', polymorphic: true, inlineNavigation: ['includeTargets'],
    requiredOnCreate: [],
    references: [
      { path: 'includeTargets.id', by: 'id', targets: ['group'], specialValues: ['all_users'], required: true },
      { path: 'excludeTargets.id', by: 'id', targets: ['group'], specialValues: ['all_users'], required: true },
      ...AUTHENTICATOR_FEATURE_REFS,
    ],
    // Ids are method names ('Fido2', 'Sms', …), the same in every tenant; built-in methods cannot be deleted.
    naturalKey: ['id'], softDelete: 'notDeletable', tier: 3, permissions: P.authMethods,
  }),
  define({
    type: 'crossTenantAccessPolicyDefault', entityType: ms('crossTenantAccessPolicyConfigurationDefault'),
    title: 'Cross-tenant access defaults', path: '/policies/crossTenantAccessPolicy/default', shape: 'singleton',
    readOnly: ['isServiceDefault'], requiredOnCreate: [], references: CROSS_TENANT_REFS,
    naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P.crossTenant,
  }),
  define({
    type: 'crossTenantAccessPolicyPartner', entityType: ms('crossTenantAccessPolicyConfigurationPartner'),
    title: 'Cross-tenant access partner', path: '/policies/crossTenantAccessPolicy/partners', shape: 'collection',
    keyProperty: 'tenantId', readOnly: ['isInMultiTenantOrganization'], createOnly: ['tenantId'], requiredOnCreate: ['tenantId'],
    references: CROSS_TENANT_REFS, naturalKey: ['tenantId'], softDelete: 'hard', tier: 3, permissions: P.crossTenant,
  }),
  crossTenantIdentitySyncPolicyPartner, multiTenantOrganization, multiTenantOrganizationMember, multiTenantOrganizationJoinRequest, ...peopleSettingsTypes,
  customAuthenticationExtension, authenticationEventListener, userFlowAttribute, userFlowAttributeAssignment, userFlowLanguage, authenticationEventsFlow,
  define({
    type: 'conditionalAccessPolicy', entityType: ms('conditionalAccessPolicy'), title: 'Conditional Access policy',
    path: '/identity/conditionalAccess/policies', shape: 'collection',
    readOnly: ['createdDateTime', 'deletedDateTime', 'modifiedDateTime'],
    // docs/graph-facts.md §3 Conditional Access: conditions is required.
    requiredOnCreate: ['conditions', 'displayName', 'state'],
    references: CA_REFS,
    naturalKey: ['displayName'], softDelete: 'caDeletedItems', tier: 4, permissions: P.ca,
  }),
];
