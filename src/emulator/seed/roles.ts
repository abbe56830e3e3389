/**
 * Built-in directory role definitions (all of them, generated from Microsoft's permissions
 * reference) and the built-in authentication strengths. Built-in role ids equal their template ids, which are the
 * same in every tenant (docs/graph-facts.md §3 "Built-in role ids").
 */
import { createHash } from 'node:crypto';
import type { DirObject } from '../../model.js';
import { BUILTIN_ROLES } from '../builtin/generated/tenant-builtins.js';
import type { BuiltinRoleData } from '../builtin/types.js';

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

/**
 * Every built-in directory role of an Entra tenant, from the permissions reference
 * (src/emulator/builtin/generated/tenant-builtins.ts, vendor/tenant-builtins/SOURCE.md).
 */
export const BUILT_IN_ROLES: readonly BuiltinRoleData[] = BUILTIN_ROLES;

/**
 * A built-in role definition as `/roleManagement/directory/roleDefinitions` returns it
 * (https://learn.microsoft.com/graph/api/resources/unifiedroledefinition): id equals the
 * template id in every tenant. A fresh object on every call (the store owns it).
 */
export function builtInRoleDefinition(r: BuiltinRoleData): DirObject {
  return {
    id: r.templateId,
    '@odata.type': '#microsoft.graph.unifiedRoleDefinition',
    description: r.description,
    displayName: r.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ['/'],
    rolePermissions: [{ allowedResourceActions: [...(r.actions ?? [])], condition: null, excludedResourceActions: [] }],
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
