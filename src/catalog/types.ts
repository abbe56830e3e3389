/**
 * The catalog's contract: one descriptor per Entra resource type the product backs
 * up. Property lists are generated from Graph's v1.0 CSDL (src/catalog/generated/);
 * restore rules (references, natural keys, tiers, soft-delete) are hand-written in
 * src/catalog/resources.ts.
 */

/** Catalog keys. Stable: they name archive entries (`objects/<type>.jsonl`). */
export type ResourceType =
  | 'organization'
  | 'organizationalBranding'
  | 'domain'
  | 'user'
  | 'group'
  | 'groupSetting'
  | 'application'
  | 'extensionProperty'
  | 'federatedIdentityCredential'
  | 'servicePrincipal'
  | 'appRoleAssignment'
  | 'oauth2PermissionGrant'
  | 'roleDefinition'
  | 'roleAssignment'
  | 'roleEligibilitySchedule'
  | 'roleAssignmentSchedule'
  | 'administrativeUnit'
  | 'scopedRoleMembership'
  | 'namedLocation'
  | 'authenticationStrengthPolicy'
  | 'authenticationCombinationConfiguration'
  | 'conditionalAccessPolicy'
  | 'authenticationMethodsPolicy'
  | 'authenticationMethodConfiguration'
  | 'authorizationPolicy'
  | 'identitySecurityDefaultsEnforcementPolicy'
  | 'activityBasedTimeoutPolicy'
  | 'claimsMappingPolicy'
  | 'homeRealmDiscoveryPolicy'
  | 'tokenIssuancePolicy'
  | 'tokenLifetimePolicy'
  | 'crossTenantAccessPolicy'
  | 'crossTenantAccessPolicyDefault'
  | 'crossTenantAccessPolicyPartner'
  | 'attributeSet'
  | 'customSecurityAttributeDefinition'
  | 'roleManagementPolicy'
  | 'roleManagementPolicyAssignment'
  // PIM for Groups policies (issue 15 item 1; ./pim-group-policies.ts)
  | 'pimGroupPolicy'
  | 'pimGroupPolicyAssignment'
  // app management and consent governance (issue 15 items 3 and 4; ./consent-policies.ts)
  | 'tenantAppManagementPolicy'
  | 'appManagementPolicy'
  | 'delegatedPermissionClassification'
  | 'permissionGrantPolicy'
  | 'permissionGrantPolicyInclude'
  | 'permissionGrantPolicyExclude'
  | 'adminConsentRequestPolicy'
  // issue 15 items 5-6: ./ca-dependencies.ts, ./external-identities.ts
  | 'authenticationContextClassReference'
  | 'authenticationFlowsPolicy'
  | 'identityProvider'
  | 'domainFederation'
  | 'customAuthenticationExtension'
  | 'authenticationEventListener'
  | 'b2xUserFlow'
  | 'userFlowAttribute'
  | 'userFlowAttributeAssignment'
  | 'userFlowLanguage'
  // external-tenant sign-up flows (issue 15): ./events-flows.ts
  | 'authenticationEventsFlow'
  // issue 15 item 10: ./directory-settings.ts
  | 'groupLifecyclePolicy'
  | 'groupSpecificSetting'
  // PIM for Groups (issue 15 item 1; ./pim-groups.ts)
  | 'pimGroupEligibilitySchedule'
  | 'pimGroupAssignmentSchedule'
  // issue 15 item 8: ./entitlement.ts
  | 'accessPackageCatalog'
  | 'accessPackage'
  | 'accessPackageAssignmentPolicy'
  | 'accessPackageAssignment'
  | 'connectedOrganization'
  | 'entitlementManagementSettings'
  // issue 15 item 10: company branding per locale (./resources.ts)
  | 'organizationalBrandingLocalization'
  // issue 15 item 8, part 2: ./entitlement-resources.ts
  | 'accessPackageResource'
  | 'accessPackageResourceRoleScope'
  // issue 15 item 8, part 3: ./entitlement-extensions.ts
  | 'accessPackageCustomWorkflowExtension'
  // issue 15 item 9: ./governance.ts
  | 'accessReviewDefinition'
  | 'lifecycleWorkflowSettings'
  | 'customTaskExtension'
  | 'lifecycleWorkflow'
  // issue 15 item 10: ./devices.ts
  | 'deviceRegistrationPolicy'
  | 'certificateBasedAuthConfiguration'
  | 'device'
  // issue 15 item 7: ./cross-tenant-sync.ts
  | 'crossTenantIdentitySyncPolicyPartner'
  // issue 15 item 7: ./multi-tenant-org.ts
  | 'multiTenantOrganization'
  | 'multiTenantOrganizationMember'
  | 'multiTenantOrganizationJoinRequest'
  // issue 15 item 10: ./org-contacts.ts
  | 'orgContact'
  // issue 15 item 10: ./people-settings.ts
  | 'pronounsSettings'
  | 'itemInsightsSettings'
  | 'profileCardProperty'
  | 'profileSource'
  | 'profilePropertySetting';

/** Pure edges, archived as `relations/<kind>.jsonl`. */
export type RelationKind =
  | 'groupMembers'
  | 'groupOwners'
  | 'applicationOwners'
  | 'servicePrincipalOwners'
  | 'userManager'
  | 'administrativeUnitMembers'
  | 'applicationTokenLifetimePolicies'
  | 'applicationTokenIssuancePolicies'
  | 'servicePrincipalClaimsMappingPolicies'
  | 'servicePrincipalHomeRealmDiscoveryPolicies'
  | 'applicationAppManagementPolicies'
  | 'servicePrincipalAppManagementPolicies'
  | 'b2xUserFlowIdentityProviders'
  | 'groupLifecyclePolicies'
  // issue 15 item 8: a connected organization's sponsors (./entitlement.ts)
  | 'connectedOrganizationInternalSponsors'
  | 'connectedOrganizationExternalSponsors'
  // issue 15 item 10: a user's sponsors (./relations.ts)
  | 'userSponsors'
  // issue 15 item 8: an access package's incompatible access packages and groups (./relations.ts)
  | 'accessPackageIncompatibleAccessPackages'
  | 'accessPackageIncompatibleGroups';

/**
 * Restore tiers (docs/design.md "Restore"): 0 bootstrap admins, 1 settings and
 * unreferenced policies, 2 objects, 3 relationships, 4 conditional access, 5 verify.
 */
export type RestoreTier = 0 | 1 | 2 | 3 | 4 | 5;

/** How a referencing value identifies its target. */
export type ReferenceBy =
  /** the target's object id */
  | 'id'
  /** the target application's / service principal's appId */
  | 'appId'
  /** a directory role's templateId (stable across tenants for built-in roles) */
  | 'roleTemplateId'
  /**
   * a unifiedRoleDefinition's object id (role assignments, PIM schedules): a built-in
   * definition's id equals its templateId in every tenant; a custom one is recreated with
   * a new id, which its templateId need not equal (docs/graph-facts.md §3 "Built-in role ids")
   */
  | 'roleDefinitionId'
  /** a directoryScopeId: '/', '/administrativeUnits/{id}' or '/{objectId}' */
  | 'directoryScope'
  /** a property *name* `extension_<appId without dashes>_<name>` on users/groups */
  | 'extensionName'
  /**
   * an object id inside a longer string, found by the rule's `pattern` (its first capture
   * group): an admin consent reviewer's `query` (`/users/{id}`), a permission grant policy
   * assigned to the default user role (`ManagePermissionGrantsForSelf.{policyId}`). A value
   * the pattern does not match holds no reference and is kept.
   */
  | 'idInText';

/** A property (or property-name pattern) of a type that points at another object. */
export interface ReferenceRule {
  /**
   * Dotted path inside the object; arrays are traversed implicitly
   * (`conditions.users.includeGroups`, `requiredResourceAccess.resourceAppId`).
   * For `by: 'extensionName'` the path is `*` (any top-level property name).
   */
  path: string;
  by: ReferenceBy;
  /** Catalog types the value may point at. */
  targets: readonly ResourceType[];
  /** For `by: 'idInText'`: a regular expression whose first capture group is the id. */
  pattern?: string;
  /**
   * For `by: 'idInText'`: the value may hold several ids (a lifecycle workflow task's
   * comma-separated `cc` or `groupID` list, docs/graph-facts.md S270); every match of `pattern`
   * is one reference, re-linked on its own. Absent: the first match is the only one.
   */
  several?: boolean;
  /** Literal values that are not references ('All', 'None', 'GuestsOrExternalUsers', …). */
  specialValues?: readonly string[];
  /**
   * True when the object cannot be created without this reference resolved
   * (an appRoleAssignment without its principal); false when an unresolved value
   * can be dropped *only* if dropping it cannot weaken security (never for CA).
   */
  required: boolean;
}

export type SoftDelete =
  /** users, applications, service principals, AUs: /directory/deletedItems, 30 days */
  | 'recycleBin'
  /** groups: Microsoft 365 groups soft-delete, security groups are hard-deleted */
  | 'recycleBinIfUnified'
  /** CA policies and named locations: /identity/conditionalAccess/deletedItems */
  | 'caDeletedItems'
  /** lifecycle workflows: /identityGovernance/lifecycleWorkflows/deletedItems/workflows, 30 days (docs/graph-facts.md S183, S271) */
  | 'lifecycleDeletedItems'
  /** everything else: a delete is final */
  | 'hard'
  /** singletons and tenant objects that cannot be deleted */
  | 'notDeletable';

export interface ResourceDescriptor {
  type: ResourceType;
  /** Qualified CSDL entity type, e.g. `microsoft.graph.user`. */
  entityType: string;
  /** Human label for plans and reports. */
  title: string;
  /**
   * Where it lives. Collections: `/users`. Contained: `/applications/{parentId}/extensionProperties`.
   * Singletons: `/policies/authorizationPolicy`.
   */
  path: string;
  shape: 'collection' | 'contained' | 'singleton';
  /** For `contained`: the parent's type. */
  parentType?: ResourceType;
  /** The full `$select` list: every structural property of the entity type and its bases. */
  properties: readonly string[];
  /** What Graph returns without `$select` (undefined: all of `properties`). */
  defaultProperties?: readonly string[];
  /** Server-computed or otherwise not writable. */
  readOnly: readonly string[];
  /** Writable on create only (immutable afterwards). */
  createOnly: readonly string[];
  requiredOnCreate: readonly string[];
  /** Structural properties deliberately not selected, each with the reason. */
  excluded: Readonly<Record<string, string>>;
  references: readonly ReferenceRule[];
  /** Properties tried in order to match an archived object to a live one when ids differ. */
  naturalKey: readonly string[];
  softDelete: SoftDelete;
  /** Graph offers `/delta` for this collection. */
  delta: boolean;
  tier: RestoreTier;
  /** Least application permissions to read / write. */
  permissions: { read: string; write: string };
  /**
   * Structural properties Graph returns only on a single-object GET (`/users/{id}`),
   * never on a list, even with `$select`. Disjoint from `properties` and `excluded`.
   */
  perObjectProperties?: readonly string[];
  /**
   * Polymorphic collections: the qualified derived entity types Graph returns items of
   * (each item carries `@odata.type`). `properties` is then the union over the base
   * and every derived type, so list these collections without `$select` (Graph
   * cannot `$select` a derived property without a type cast) and keep every field.
   */
  derivedEntityTypes?: readonly string[];
  /**
   * The Graph key when it is not `id` (cross-tenant partners are keyed by `tenantId`).
   * The archive still stores an `id` field, equal to this property's value.
   */
  keyProperty?: string;
  /**
   * Navigation properties Graph returns inline in the object's JSON and the archive
   * keeps with the object (authentication method configurations' `includeTargets`).
   */
  inlineNavigation?: readonly string[];
  /**
   * Navigations to directory objects Graph serves only from their own path
   * (`{path}/{id}/{nav}`), never inline nor by `$expand`, yet takes inline in a create body: a
   * lifecycle workflow's `administrationScopeTargets` (docs/graph-facts.md S272). Read per object
   * and archived with the object as `[{ '@odata.type', id }]`, the shape the create body takes.
   */
  navigationReads?: readonly string[];
  /**
   * Query options a list must carry (Graph refuses the list without them): the PIM policy
   * lists require `$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`, and rules come
   * only with `$expand=rules`. On a contained type, `{parentId}` is the parent's id: PIM for
   * Groups lists require `$filter=groupId eq '{id}'`, one list per group.
   */
  listQuery?: string;
  /**
   * On a contained type Graph documents only as an expansion of its parent's GET: the
   * `$expand` item to read it with. The walk GETs the parent
   * (`path` without its last segment) with `$select=id&$expand=<parentExpand>` and takes the
   * objects from the navigation named by `path`'s last segment; `path` stays the create path.
   * Access package resource role scopes: `resourceRoleScopes($expand=role,scope)`
   * (docs/graph-facts.md §3, S225).
   */
  parentExpand?: string;
  /**
   * On a contained type whose Graph id repeats under every parent (a user flow's attribute
   * assignment is named by its attribute: `City` in every flow): the archive names each object
   * `<parentId>/<graph id>` (./contained-ids.ts, docs/archive-format.md §2 "Contained ids"),
   * so ids stay unique across the archive; Graph paths use the id after the prefix.
   */
  idScopedByParent?: boolean;
  /**
   * Headers Graph requires on every read and write of the object (the default company branding:
   * `Accept-Language: 0`, "A valid ISO 639-1 locale or `0` for the default locale. Required",
   * docs/graph-facts.md S391). The backup's reads and the restore's reads and PATCHes send them.
   */
  requestHeaders?: Readonly<Record<string, string>>;
}

export interface RelationDescriptor {
  kind: RelationKind;
  fromType: ResourceType;
  /** `/groups/{id}/members`. */
  path: string;
  /** Types the edge may point at. */
  targets: readonly ResourceType[];
  /** Manager is single-valued (`/users/{id}/manager`). */
  singleValued: boolean;
  permissions: { read: string; write: string };
  /**
   * The URL a `$ref` write names the target by, when Graph documents one other than
   * `https://graph.microsoft.com/v1.0/directoryObjects/` (policies: `…/policies/tokenLifetimePolicies/`).
   */
  refBase?: string;
  /**
   * Written by an action of the target instead of a `$ref`: `POST {path}` (`{to}` the target's
   * live id) with `{ [param]: <source's live id> }`, answered `{ value: true }` when added
   * (the group lifecycle policy's `addGroup`, ./directory-settings.ts).
   */
  addAction?: { path: string; param: string };
}
