/**
 * Pure edges (no id or properties of their own), archived as `relations/<kind>.jsonl`.
 * Written with `$ref` (`/groups/{id}/members/$ref`) or `@odata.bind`; the manager with
 * `PUT /users/{id}/manager/$ref` (docs/graph-facts.md §3 "Membership and ownership").
 * A device may be a group member too (issue 15 item 10): the edge is archived with toType
 * `device`; a restore never recreates the device, so the edge is reported (blocked, and listed
 * in the devices' manual step, src/restore/plan/devices.ts), never written and never dropped
 * silently. An organizational contact may be a member as well: archived with toType `orgContact`,
 * re-linked to the target's contact of the same mail, or reported blocked and listed in the
 * contacts' manual step (src/restore/plan/org-contacts.ts) when the target lacks it.
 */
import type { RelationDescriptor } from './types.js';
import { GROUP_LIFECYCLE_RELATIONS } from './directory-settings.js';

export const relations: readonly RelationDescriptor[] = [
  {
    kind: 'groupMembers', fromType: 'group', path: '/groups/{id}/members',
    targets: ['user', 'group', 'servicePrincipal', 'device', 'orgContact'], singleValued: false,
    permissions: { read: 'Group.Read.All', write: 'Group.ReadWrite.All' },
  },
  {
    kind: 'groupOwners', fromType: 'group', path: '/groups/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Group.Read.All', write: 'Group.ReadWrite.All' },
  },
  {
    kind: 'applicationOwners', fromType: 'application', path: '/applications/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Application.Read.All', write: 'Application.ReadWrite.All' },
  },
  {
    kind: 'servicePrincipalOwners', fromType: 'servicePrincipal', path: '/servicePrincipals/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Application.Read.All', write: 'Application.ReadWrite.All' },
  },
  {
    kind: 'userManager', fromType: 'user', path: '/users/{id}/manager',
    targets: ['user'], singleValued: true,
    permissions: { read: 'User.Read.All', write: 'User.ReadWrite.All' },
  },
  {
    kind: 'administrativeUnitMembers', fromType: 'administrativeUnit', path: '/directory/administrativeUnits/{id}/members',
    targets: ['user', 'group'], singleValued: false,
    permissions: { read: 'AdministrativeUnit.Read.All', write: 'AdministrativeUnit.ReadWrite.All' },
  },
  // Token and session policy assignments (issue 15 item 3), each `POST …/$ref` with the
  // policy's own URL: https://learn.microsoft.com/graph/api/application-post-tokenlifetimepolicies,
  // application-post-tokenissuancepolicies, serviceprincipal-post-claimsmappingpolicies,
  // serviceprincipal-post-homerealmdiscoverypolicies.
  ...([
    ['applicationTokenLifetimePolicies', 'application', 'applications', 'tokenLifetimePolicies', 'tokenLifetimePolicy'],
    ['applicationTokenIssuancePolicies', 'application', 'applications', 'tokenIssuancePolicies', 'tokenIssuancePolicy'],
    ['servicePrincipalClaimsMappingPolicies', 'servicePrincipal', 'servicePrincipals', 'claimsMappingPolicies', 'claimsMappingPolicy'],
    ['servicePrincipalHomeRealmDiscoveryPolicies', 'servicePrincipal', 'servicePrincipals', 'homeRealmDiscoveryPolicies', 'homeRealmDiscoveryPolicy'],
  ] as const).map(([kind, fromType, from, nav, target]): RelationDescriptor => ({
    kind, fromType, path: `/${from}/{id}/${nav}`, targets: [target], singleValued: false,
    permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ApplicationConfiguration' },
    refBase: `https://graph.microsoft.com/v1.0/policies/${nav}/`,
  })),
  // App management policy assignments (issue 15 item 3): `POST /applications/{id}/appManagementPolicies/$ref`
  // and the same under /servicePrincipals, naming the policy's URL; one policy per app
  // (docs/graph-facts.md §3 "App management and consent governance").
  ...([['applicationAppManagementPolicies', 'application', 'applications'], ['servicePrincipalAppManagementPolicies', 'servicePrincipal', 'servicePrincipals']] as const)
    .map(([kind, fromType, from]): RelationDescriptor => ({
      kind, fromType, path: `/${from}/{id}/appManagementPolicies`, targets: ['appManagementPolicy'], singleValued: false,
      permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ApplicationConfiguration' },
      refBase: 'https://graph.microsoft.com/v1.0/policies/appManagementPolicies/',
    })),
  // A self-service sign-up user flow's identity providers (issue 15 item 6): `POST …/identityProviders/$ref`
  // naming `https://graph.microsoft.com/v1.0/identityProviders/{id}` (Google-OAUTH, Facebook-OAUTH),
  // https://learn.microsoft.com/graph/api/b2xidentityuserflow-post-identityproviders.
  {
    kind: 'b2xUserFlowIdentityProviders', fromType: 'b2xUserFlow', path: '/identity/b2xUserFlows/{id}/identityProviders', targets: ['identityProvider'],
    singleValued: false, permissions: { read: 'IdentityUserFlow.Read.All', write: 'IdentityUserFlow.ReadWrite.All' },
    refBase: 'https://graph.microsoft.com/v1.0/identityProviders/',
  },
  ...GROUP_LIFECYCLE_RELATIONS,
  // A connected organization's sponsors (users or groups), issue 15 item 8:
  // https://learn.microsoft.com/graph/api/connectedorganization-post-internalsponsors (docs/graph-facts.md S142).
  ...(['internal', 'external'] as const).map((side): RelationDescriptor => ({
    kind: side === 'internal' ? 'connectedOrganizationInternalSponsors' : 'connectedOrganizationExternalSponsors', fromType: 'connectedOrganization',
    path: `/identityGovernance/entitlementManagement/connectedOrganizations/{id}/${side}Sponsors`, targets: ['user', 'group'],
    singleValued: false, permissions: { read: 'EntitlementManagement.Read.All', write: 'EntitlementManagement.ReadWrite.All' },
  })),
  // A user's sponsors (users or groups, responsible for a guest's access), issue 15 item 10:
  // `POST /users/{id}/sponsors/$ref` naming the user or group, User.ReadWrite.All
  // (docs/graph-facts.md S195).
  {
    kind: 'userSponsors', fromType: 'user', path: '/users/{id}/sponsors', targets: ['user', 'group'],
    singleValued: false, permissions: { read: 'User.Read.All', write: 'User.ReadWrite.All' },
  },
  // An access package's incompatible access packages and groups (separation of duties), issue 15
  // item 8: `POST …/accessPackages/{id}/incompatibleAccessPackages/$ref` naming the package's URL,
  // `…/incompatibleGroups/$ref` naming the group's (docs/graph-facts.md S243, S244).
  ...([['accessPackageIncompatibleAccessPackages', 'incompatibleAccessPackages', 'accessPackage', 'identityGovernance/entitlementManagement/accessPackages'],
    ['accessPackageIncompatibleGroups', 'incompatibleGroups', 'group', 'groups']] as const).map(([kind, nav, target, set]): RelationDescriptor => ({
    kind, fromType: 'accessPackage', path: `/identityGovernance/entitlementManagement/accessPackages/{id}/${nav}`, targets: [target],
    singleValued: false, permissions: { read: 'EntitlementManagement.Read.All', write: 'EntitlementManagement.ReadWrite.All' },
    refBase: `https://graph.microsoft.com/v1.0/${set}/`,
  })),
];
