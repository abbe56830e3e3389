/**
 * Built-in directory role definitions the seeded tenants use, and the built-in
 * authentication strengths. Built-in role ids equal their template ids, which are the
 * same in every tenant (docs/graph-facts.md §3 "Built-in role ids").
 */
import { createHash } from 'node:crypto';
import type { DirObject } from '../../model.js';

export interface BuiltInRole {
  templateId: string;
  displayName: string;
  description: string;
  actions: readonly string[];
}

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
  guestUser: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
} as const;

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { templateId: ROLE.globalAdministrator, displayName: 'Global Administrator', description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    actions: ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/groups/allProperties/allTasks', 'microsoft.directory/applications/allProperties/allTasks', 'microsoft.directory/servicePrincipals/allProperties/allTasks', 'microsoft.directory/roleAssignments/allProperties/allTasks', 'microsoft.directory/conditionalAccessPolicies/allProperties/allTasks', 'microsoft.directory/organization/allProperties/allTasks'] },
  { templateId: ROLE.privilegedRoleAdministrator, displayName: 'Privileged Role Administrator', description: 'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
    actions: ['microsoft.directory/roleAssignments/allProperties/allTasks', 'microsoft.directory/roleDefinitions/allProperties/allTasks', 'microsoft.directory/roleEligibilitySchedules/allProperties/allTasks', 'microsoft.directory/administrativeUnits/allProperties/allTasks', 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update'] },
  { templateId: ROLE.userAdministrator, displayName: 'User Administrator', description: 'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
    actions: ['microsoft.directory/users/create', 'microsoft.directory/users/delete', 'microsoft.directory/users/restore', 'microsoft.directory/users/basic/update', 'microsoft.directory/users/password/update', 'microsoft.directory/users/manager/update', 'microsoft.directory/groups/members/update'] },
  { templateId: ROLE.helpdeskAdministrator, displayName: 'Helpdesk Administrator', description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
    actions: ['microsoft.directory/users/invalidateAllRefreshTokens', 'microsoft.directory/users/password/update', 'microsoft.directory/bitlockerKeys/key/read'] },
  { templateId: ROLE.groupsAdministrator, displayName: 'Groups Administrator', description: 'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
    actions: ['microsoft.directory/groups/create', 'microsoft.directory/groups/delete', 'microsoft.directory/groups/restore', 'microsoft.directory/groups/members/update', 'microsoft.directory/groups/owners/update', 'microsoft.directory/groups/settings/update'] },
  { templateId: ROLE.applicationAdministrator, displayName: 'Application Administrator', description: 'Can create and manage all aspects of app registrations and enterprise apps.',
    actions: ['microsoft.directory/applications/create', 'microsoft.directory/applications/delete', 'microsoft.directory/applications/credentials/update', 'microsoft.directory/servicePrincipals/create', 'microsoft.directory/servicePrincipals/credentials/update', 'microsoft.directory/applications/owners/update'] },
  { templateId: ROLE.conditionalAccessAdministrator, displayName: 'Conditional Access Administrator', description: 'Can manage Conditional Access capabilities.',
    actions: ['microsoft.directory/conditionalAccessPolicies/create', 'microsoft.directory/conditionalAccessPolicies/delete', 'microsoft.directory/conditionalAccessPolicies/basic/update', 'microsoft.directory/namedLocations/create', 'microsoft.directory/namedLocations/basic/update'] },
  { templateId: ROLE.securityAdministrator, displayName: 'Security Administrator', description: 'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
    actions: ['microsoft.directory/authorizationPolicy/standard/read', 'microsoft.directory/conditionalAccessPolicies/basic/update', 'microsoft.directory/identityProtection/allProperties/allTasks', 'microsoft.directory/auditLogs/allProperties/read'] },
  { templateId: ROLE.globalReader, displayName: 'Global Reader', description: 'Can read everything that a Global Administrator can, but not update anything.',
    actions: ['microsoft.directory/users/allProperties/read', 'microsoft.directory/groups/allProperties/read', 'microsoft.directory/applications/allProperties/read', 'microsoft.directory/roleAssignments/allProperties/read'] },
  { templateId: ROLE.directorySynchronizationAccounts, displayName: 'Directory Synchronization Accounts', description: 'Only used by Microsoft Entra Connect service.',
    actions: ['microsoft.directory/users/create', 'microsoft.directory/users/basic/update', 'microsoft.directory/groups/create', 'microsoft.directory/groups/members/update', 'microsoft.directory/organization/dirSync/update'] },
  { templateId: ROLE.guestUser, displayName: 'Guest User', description: 'Default role for guest users. Can read a limited set of directory information.',
    actions: ['microsoft.directory/users/basic/read', 'microsoft.directory/groups/standard/read'] },
];

/** A built-in role definition as `/roleManagement/directory/roleDefinitions` returns it. */
export function builtInRoleDefinition(r: BuiltInRole): DirObject {
  return {
    id: r.templateId,
    '@odata.type': '#microsoft.graph.unifiedRoleDefinition',
    description: r.description,
    displayName: r.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ['/'],
    rolePermissions: [{ allowedResourceActions: [...r.actions], condition: null, excludedResourceActions: [] }],
    templateId: r.templateId,
    version: '1',
  };
}

/** Built-in authentication strengths: fixed ids in every tenant. */
export const AUTH_STRENGTH = {
  mfa: '00000000-0000-0000-0000-000000000002',
  passwordlessMfa: '00000000-0000-0000-0000-000000000003',
  phishingResistant: '00000000-0000-0000-0000-000000000004',
} as const;

export function builtInAuthenticationStrengths(): DirObject[] {
  const base = (id: string, displayName: string, description: string, allowedCombinations: string[]): DirObject => ({
    id,
    '@odata.type': '#microsoft.graph.authenticationStrengthPolicy',
    allowedCombinations,
    createdDateTime: '2022-10-24T13:00:00Z',
    description,
    displayName,
    modifiedDateTime: '2022-10-24T13:00:00Z',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
  });
  return [
    base(AUTH_STRENGTH.mfa, 'Multifactor authentication', 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
      ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse',
        'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,hardwareOath', 'password,sms', 'password,voice', 'federatedMultiFactor',
        'microsoftAuthenticatorPush,federatedSingleFactor', 'softwareOath,federatedSingleFactor', 'hardwareOath,federatedSingleFactor',
        'sms,federatedSingleFactor', 'voice,federatedSingleFactor']),
    base(AUTH_STRENGTH.passwordlessMfa, 'Passwordless MFA', 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
      ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush']),
    base(AUTH_STRENGTH.phishingResistant, 'Phishing-resistant MFA', 'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
      ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']),
  ];
}

/** The directoryRole object id of `templateId` in `tenantId`: stable per tenant, never the template id (docs/graph-facts.md §3). */
export function directoryRoleId(tenantId: string, templateId: string): string {
  const h = createHash('sha256').update(`directoryRole|${tenantId}|${templateId.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
